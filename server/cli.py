"""The `clothingline` command (also `python -m server`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from server.media.storage import MediaStoreMisconfigured, check_media_store, open_storage
from server.settings import (
    LocalPushRefused,
    SharedSecretsMissing,
    check_local_push,
    check_shared_secrets,
    get_settings,
)

LOOPBACK_PROXY = "127.0.0.1,::1"  # uvicorn's own default: a reverse proxy on this machine


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from server.demo import DemoModeRefused, check_demo_settings

    if args.host:
        os.environ["HOST"] = args.host
    if args.demo:
        os.environ["DEMO"] = "1"
    get_settings.cache_clear()
    settings = get_settings()
    refuse_unsafe_settings()
    if settings.demo:
        try:
            check_demo_settings(settings.host, settings.public_origin)
        except DemoModeRefused as error:
            sys.exit(f"clothingline: {error}")
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=settings.host,
        port=args.port or settings.port,
        log_level=settings.log_level.lower(),
        **proxy_options(args.forwarded_allow_ips),
    )


def refuse_unsafe_settings() -> None:
    """Also refuses one of several processes without the keys they must share."""
    try:
        check_shared_secrets(os.environ)
        check_local_push(get_settings())
        check_media_store(get_settings().media)
    except (LocalPushRefused, SharedSecretsMissing, MediaStoreMisconfigured) as error:
        sys.exit(f"clothingline: {error}")


def proxy_options(forwarded_allow_ips: str | None) -> dict[str, Any]:
    """The client address (rate limits, logs) comes from X-Forwarded-For / Forwarded only when
    the peer is one of these proxies."""
    trusted = forwarded_allow_ips or os.environ.get("FORWARDED_ALLOW_IPS") or LOOPBACK_PROXY
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def migrate(args: argparse.Namespace) -> None:
    from server.db import migrate as run_migrations
    from server.db import use_database

    use_database(get_settings().database_url)
    asyncio.run(run_migrations())


def create_admin(args: argparse.Namespace) -> None:
    """The only way to become an admin: prints a one-time enrolment URL (valid 24 hours)."""
    from server.accounts.refusals import AccountError
    from server.accounts.services import create_invited_account
    from server.accounts.tables import Role
    from server.db import use_database

    settings = get_settings()
    use_database(settings.database_url)
    try:
        _account_id, token = asyncio.run(
            create_invited_account(Role.ADMIN, args.name, args.phone, created_by=None)
        )
    except AccountError as error:
        sys.exit(f"clothingline: {error.message}")
    print(f"{settings.public_origin}/enrol/{token}")


def worker(args: argparse.Namespace) -> None:
    """Send pushes and dispatch due waves from this process only (set PUSH_WORKER=0 on the web
    processes)."""
    import logging

    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    refuse_unsafe_settings()
    asyncio.run(run_worker())


async def run_worker() -> None:
    import signal

    from server.db import close_database, open_database, use_database
    from server.jobs import background_jobs
    from server.media.services import MediaStore
    from server.notifications.sender import ICON_PATH
    from server.notifications.vapid import load_vapid_keys
    from server.web.assets import STATIC_DIR, load_asset

    settings = get_settings()
    engine = use_database(settings.database_url)
    keys = load_vapid_keys(settings.data_dir, settings.vapid_private_key, settings.vapid_subject)
    icon = load_asset(STATIC_DIR, STATIC_DIR / ICON_PATH).url
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    await open_database(engine, settings.database_pool_size)
    try:
        async with background_jobs(settings, keys=keys, icon=icon, media=MediaStore.open(settings)):
            await stop.wait()
    finally:
        await close_database(engine)


def demo_data(args: argparse.Namespace) -> None:
    from server.db import use_database
    from server.demo_data import load_demo_data
    from server.media.services import MediaStore

    settings = get_settings()
    use_database(settings.database_url)
    media = MediaStore.open(settings)
    summary = asyncio.run(load_demo_data(if_empty=args.if_empty, media=media))
    print(f"clothingline demo-data: {summary}")


def backup(args: argparse.Namespace) -> None:
    """A consistent copy of the SQLite database and the photos, safe while the app serves."""
    from server.backup import BackupRefused
    from server.backup import backup as take_backup

    settings = get_settings()
    try:
        media = open_storage(settings)
        copied = take_backup(settings.database_url, settings.data_dir, args.destination, media)
    except (BackupRefused, MediaStoreMisconfigured) as error:
        sys.exit(f"clothingline: {error}")
    print(f"clothingline backup: {describe(copied)}")


def restore(args: argparse.Namespace) -> None:
    """Put a backup back where DATABASE_URL and DATA_DIR point (with the app stopped)."""
    from server.backup import BackupRefused
    from server.backup import restore as put_back

    settings = get_settings()
    try:
        media = open_storage(settings)
        copied = put_back(args.source, settings.database_url, settings.data_dir, media)
    except (BackupRefused, MediaStoreMisconfigured) as error:
        sys.exit(f"clothingline: {error}")
    print(f"clothingline restore: {describe(copied)}")


def describe(copied: Any) -> str:
    secrets = f", {', '.join(copied.secrets)}" if copied.secrets else ""
    return f"{copied.database}, {copied.media_files} photo files{secrets}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clothingline", description="Clothing Line server")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="serve the web app")
    serve_parser.add_argument("--host", help="address to bind (default: HOST or 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, help="port (default: PORT or 8000)")
    serve_parser.add_argument(
        "--demo",
        action="store_true",
        help="offer sign-in as demo accounts (loopback HOST and PUBLIC_ORIGIN only)",
    )
    serve_parser.add_argument(
        "--forwarded-allow-ips",
        help="proxies whose X-Forwarded-For is trusted, comma-separated, * for any "
        f"(default: FORWARDED_ALLOW_IPS or {LOOPBACK_PROXY})",
    )
    serve_parser.set_defaults(handler=serve)

    migrate_parser = commands.add_parser("migrate", help="apply database migrations")
    migrate_parser.set_defaults(handler=migrate)

    admin_parser = commands.add_parser(
        "create-admin", help="create an admin account and print its one-time enrolment URL"
    )
    admin_parser.add_argument("--name", required=True)
    admin_parser.add_argument("--phone", required=True, help="WhatsApp number, e.g. 0812...")
    admin_parser.set_defaults(handler=create_admin)

    worker_parser = commands.add_parser(
        "worker", help="send push notifications from the outbox until stopped"
    )
    worker_parser.set_defaults(handler=worker)

    demo_parser = commands.add_parser(
        "demo-data", help="load the demo programme: tailors, cohorts, buyers (idempotent)"
    )
    demo_parser.add_argument(
        "--if-empty", action="store_true", help="do nothing when the database has any account"
    )
    demo_parser.set_defaults(handler=demo_data)

    backup_parser = commands.add_parser(
        "backup", help="copy the SQLite database and the photos into a new folder, while serving"
    )
    backup_parser.add_argument("destination", type=Path, help="an empty or new folder")
    backup_parser.set_defaults(handler=backup)

    restore_parser = commands.add_parser(
        "restore", help="put a backup folder back (stop the app first)"
    )
    restore_parser.add_argument("source", type=Path, help="a folder `backup` wrote")
    restore_parser.set_defaults(handler=restore)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")
    try:
        args.handler(args)
    except KeyboardInterrupt:
        sys.exit(130)

"""The `clothingline` command (also `python -m server`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from server.settings import get_settings


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        proxy_headers=True,
        log_level=settings.log_level.lower(),
    )


def migrate(args: argparse.Namespace) -> None:
    from server.db import migrate as run_migrations
    from server.db import use_database

    use_database(get_settings().database_url)
    asyncio.run(run_migrations())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clothingline", description="Clothing Line server")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="serve the web app")
    serve_parser.add_argument("--host", help="address to bind (default: HOST or 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, help="port (default: PORT or 8000)")
    serve_parser.set_defaults(handler=serve)

    migrate_parser = commands.add_parser("migrate", help="apply database migrations")
    migrate_parser.set_defaults(handler=migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")
    try:
        args.handler(args)
    except KeyboardInterrupt:
        sys.exit(130)

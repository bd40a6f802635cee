"""Fan-out of one order's alert to 1,000 subscribed tailors, through the real worker.

Usage:
    .venv/bin/python benchmarks/push_fanout.py                 # SQLite in a temporary file
    .venv/bin/python benchmarks/push_fanout.py --postgres postgresql://postgres@127.0.0.1:5432/bench_push
    .venv/bin/python benchmarks/push_fanout.py --tailors 5000

Creates N tailors, each with one browser subscribed to a local push service that answers 201
(tests/push_receiver.py, in a thread of this process: it shares the CPU with the worker),
writes one "new order" alert to each through `notify()` (the outbox), then starts
`run_forever` and times how long until the push service holds every push, and until every
outbox row is recorded as sent. The PostgreSQL database must be a scratch one: it is emptied.
Budget (ARCHITECTURE.md): 1,000 pushes handed to the push service within 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")

import asyncpg  # noqa: E402

from server.accounts.tables import Account, Role  # noqa: E402
from server.db import close_database, migrate, open_database, transaction, use_database  # noqa: E402
from server.notifications.kinds import AlertKind  # noqa: E402
from server.notifications.sender import Sender, new_http_session  # noqa: E402
from server.notifications.services import Alert, notify  # noqa: E402
from server.notifications.tables import Delivery, DeliveryStatus, PushSubscription  # noqa: E402
from server.notifications.vapid import load_vapid_keys  # noqa: E402
from server.notifications.worker import run_forever  # noqa: E402
from tests.push_receiver import PushReceiver  # noqa: E402

BUDGET_S = 5.0
ICON = "/static/bench/icons/icon-192.png"


async def reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def build(receiver: PushReceiver, tailors: int) -> None:
    """Tailors with one subscribed phone each, and one new-order alert queued for each."""
    accounts = await Account.insert(
        *[
            Account(
                role=Role.TAILOR,
                name=f"Penjahit {number}",
                phone=f"+62812{number:08d}",
                locale="id",
                webauthn_user_id=secrets.token_urlsafe(32),
            )
            for number in range(tailors)
        ]
    ).returning(Account.id)
    ids = [row["id"] for row in accounts]
    browsers = [receiver.browser().subscription() for _ in ids]
    await PushSubscription.insert(
        *[
            PushSubscription(
                account=account_id,
                endpoint=browser["endpoint"],
                p256dh=browser["keys"]["p256dh"],
                auth=browser["keys"]["auth"],
            )
            for account_id, browser in zip(ids, browsers, strict=True)
        ]
    )
    alert = Alert(
        title="Pesanan baru di dekat Anda",
        body="Kemeja batik lengan panjang, 120 pcs, Rp85.000/pcs · 3,2 km",
        url="/orders/00000000-0000-0000-0000-000000000001",
        tag="order-1",
    )
    async with transaction():
        for account_id in ids:
            await notify(account_id, AlertKind.NEW_ORDER, lambda: alert)


async def measure(url: str, tailors: int, data_dir: Path) -> float:
    engine = use_database(url)
    await migrate()
    await open_database(engine, pool_size=20)
    try:
        with PushReceiver() as receiver:
            started = time.perf_counter()
            await build(receiver, tailors)
            print(f"setup: {tailors} tailors and alerts in {time.perf_counter() - started:.1f} s")
            keys = load_vapid_keys(data_dir, None, "mailto:bench@clothingline.example")
            stop = asyncio.Event()
            # The local receiver is on loopback: allowed only when asked for, as in the tests.
            async with new_http_session(allow_local=True) as session:
                sender = Sender(
                    session=session,
                    vapid=keys.vapid,
                    subject=keys.subject,
                    icon=ICON,
                    allow_local=True,
                )
                started = time.perf_counter()
                worker = asyncio.create_task(run_forever(sender, stop=stop))
                await asyncio.to_thread(receiver.wait_for, tailors, 120)
                handed_over = time.perf_counter() - started
                pending = Delivery.count().where(Delivery.status != DeliveryStatus.SENT)
                while True:
                    if not await pending:
                        break
                    await asyncio.sleep(0.01)
                recorded = time.perf_counter() - started
                stop.set()
                await worker
            assert len(receiver.received) == tailors, "a push was sent twice"
            receiver.received[0].vapid()
            assert receiver.received[0].payload()["tag"] == "order-1"
    finally:
        await close_database(engine)
    print(f"handed to the push service: {handed_over:.2f} s ({tailors / handed_over:.0f} pushes/s)")
    print(f"all recorded as sent:       {recorded:.2f} s")
    return handed_over


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (emptied)")
    parser.add_argument("--tailors", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            asyncio.run(reset_postgres(args.postgres))
            url = args.postgres
        else:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        print(f"database: {url.split('@')[-1]}")
        seconds = asyncio.run(measure(url, args.tailors, Path(folder)))
    budget = BUDGET_S * args.tailors / 1000
    print(f"budget {budget:.1f} s: {'ok' if seconds <= budget else 'OVER BUDGET'}")
    sys.exit(0 if seconds <= budget else 1)


if __name__ == "__main__":
    main()

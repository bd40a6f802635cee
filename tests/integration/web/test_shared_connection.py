"""A request asks everything on one database connection, and its transactions still hold:
committed together or not at all, on that connection."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, Role
from server.connections import shared_connection
from server.db import (
    close_database,
    current_engine,
    make_engine,
    open_database,
    reading,
    transaction,
)
from server.notifications.tables import Notification
from tests.builders import people
from tests.helpers import csrf_token
from tests.query_count import Tally

Counter = Callable[[], AbstractContextManager[Tally]]


class Refused(Exception):
    pass


async def notification_for(account_id: int) -> str:
    rows = await Notification.insert(
        Notification(account=account_id, kind="test", title="Ada pesanan baru", url="/jobs")
    ).returning(Notification.public_id)
    return str(rows[0]["public_id"])


async def unread(account_id: int) -> int:
    return int(
        await Notification.count().where(
            (Notification.account == account_id) & Notification.read_at.is_null()
        )
    )


async def test_a_signed_in_page_asks_everything_on_one_connection(
    client: AsyncTestClient[Litestar], count_queries: Counter
) -> None:
    await people.sign_in_as(client, await people.tailor(km=1.0))

    with count_queries() as used:
        page = await client.get("/jobs")

    assert page.status_code == 200
    assert used.queries > 2
    assert used.connections == 1


async def test_a_page_that_writes_keeps_what_it_wrote(
    client: AsyncTestClient[Litestar], count_queries: Counter
) -> None:
    account_id = await people.account(Role.TAILOR, "Siti")
    await people.sign_in_as(client, account_id)
    public_id = await notification_for(account_id)

    with count_queries() as used:
        opened = await client.get(f"/notifications/{public_id}", follow_redirects=False)

    assert (opened.status_code, opened.headers["location"]) == (303, "/jobs")
    assert used.connections == 1
    assert await unread(account_id) == 0


async def test_a_form_post_is_one_transaction_on_one_connection(
    client: AsyncTestClient[Litestar], count_queries: Counter
) -> None:
    account_id = await people.account(Role.TAILOR, "Siti")
    await people.sign_in_as(client, account_id)
    for _ in range(2):
        await notification_for(account_id)
    token = await csrf_token(client)

    with count_queries() as used:
        answer = await client.post(
            "/notifications/mark-all-read", data={"_csrf_token": token}, follow_redirects=False
        )

    assert answer.status_code == 303
    assert used.connections == 1
    assert await unread(account_id) == 0


async def test_a_failed_transaction_on_the_shared_connection_leaves_nothing(
    clean_database: str, count_queries: Counter
) -> None:
    account_id = await people.account(Role.TAILOR, "Siti")
    with count_queries() as used:
        async with shared_connection(current_engine()):
            with pytest.raises(Refused):
                async with transaction():
                    await notification_for(account_id)
                    await Account.update({Account.name: "Siti Baru"}).where(
                        Account.id == account_id
                    )
                    raise Refused
            async with transaction():
                await notification_for(account_id)
            async with reading():
                seen = await unread(account_id)

    assert seen == 1
    assert await unread(account_id) == 1
    assert await Account.select(Account.name).where(Account.id == account_id).first() == {
        "name": "Siti"
    }
    assert used.connections == 1


async def test_without_a_database_the_shared_connection_steps_aside(clean_database: str) -> None:
    unreachable = make_engine(
        "postgresql://postgres@127.0.0.1:9/nowhere"
        if clean_database.startswith("postgres")
        else "sqlite:////nonexistent-folder/clothingline.sqlite"
    )
    async with shared_connection(unreachable):
        assert not unreachable.current_transaction.get()


async def test_rows_pointing_at_nobody_are_refused_on_the_shared_connection(
    clean_database: str,
) -> None:
    async with shared_connection(current_engine()):
        with pytest.raises(Exception, match=r"(?i)foreign key"):
            await notification_for(987_654)
        with pytest.raises(Exception, match=r"(?i)foreign key"):
            async with transaction():
                await notification_for(987_654)

    assert await Notification.count() == 0


async def test_a_serving_sqlite_process_reuses_its_connections_without_their_transactions(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.sqlite'}")
    await engine.run_ddl("CREATE TABLE note (body TEXT)")
    await open_database(engine, pool_size=1)
    try:
        async with shared_connection(engine):
            first = engine.current_transaction.get().connection
            await first.execute("BEGIN")
            await first.execute("INSERT INTO note VALUES ('half done')")
        async with shared_connection(engine):
            again = engine.current_transaction.get().connection
            left_open = again.in_transaction
            rows = await engine.run_ddl("SELECT count(*) AS n FROM note")
    finally:
        await close_database(engine)

    assert again is first
    assert not left_open
    assert rows == [{"n": 0}]
    with pytest.raises(ValueError):  # closed with the process's database
        await first.execute("SELECT 1")

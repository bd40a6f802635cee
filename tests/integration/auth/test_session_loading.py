"""Who a session cookie stands for, read in one statement with the bell's unread count."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import AccountStatus, Role
from server.accounts.tokens import hash_token
from server.auth.sessions import SESSION_LIFETIME, TOUCH_AFTER, load_session
from server.auth.tables import Session
from server.clock import now
from server.notifications.tables import Notification
from tests.builders import people


async def notify(account_id: int, *, read: bool = False) -> None:
    await Notification.insert(
        Notification(
            account=account_id, kind="test", title="Ada kabar", read_at=now() if read else None
        )
    )


async def age(token: str, *, seen: timedelta, expires_in: timedelta) -> None:
    await Session.update(
        {Session.last_seen_at: now() - seen, Session.expires_at: now() + expires_in}
    ).where(Session.token_hash == hash_token(token))


async def session_row(token: str) -> dict[str, object]:
    row: dict[str, object] = (
        await Session.select(Session.last_seen_at, Session.expires_at)
        .where(Session.token_hash == hash_token(token))
        .first()
    )
    return row


async def test_session_loads_its_account_and_unread_count(clean_database: str) -> None:
    account_id = await people.account(Role.DESIGNER, "Dewi", locale="id")
    someone_else = await people.account(Role.TAILOR, "Siti")
    for _ in range(3):
        await notify(account_id)
    await notify(account_id, read=True)
    await notify(someone_else)
    token = await people.session_for(account_id)

    user = await load_session(token)

    assert user is not None
    assert (user.account_id, user.role, user.name, user.locale) == (
        account_id,
        Role.DESIGNER,
        "Dewi",
        "id",
    )
    assert user.unread_notifications == 3
    assert user.session_method == "passkey"


async def test_unknown_token_signs_no_one_in(clean_database: str) -> None:
    await people.session_for(await people.account(Role.TAILOR, "Siti"))

    assert await load_session("not-a-token") is None


async def test_expired_session_signs_no_one_in(clean_database: str) -> None:
    token = await people.session_for(await people.account(Role.TAILOR, "Siti"))
    await age(token, seen=timedelta(days=31), expires_in=-timedelta(seconds=1))

    assert await load_session(token) is None


async def test_suspended_or_deleted_account_is_signed_out(clean_database: str) -> None:
    for status in (AccountStatus.SUSPENDED, AccountStatus.DELETED):
        token = await people.session_for(await people.account(Role.TAILOR, "Siti", status=status))

        assert await load_session(token) is None


async def test_session_seen_after_a_day_lives_thirty_more_days(clean_database: str) -> None:
    token = await people.session_for(await people.account(Role.TAILOR, "Siti"))
    await age(token, seen=TOUCH_AFTER + timedelta(minutes=1), expires_in=timedelta(days=2))

    assert await load_session(token) is not None

    row = await session_row(token)
    assert now() - row["last_seen_at"] < timedelta(minutes=1)  # type: ignore[operator]
    assert row["expires_at"] > now() + SESSION_LIFETIME - timedelta(minutes=1)  # type: ignore[operator]


async def test_session_seen_within_a_day_is_not_written(clean_database: str) -> None:
    token = await people.session_for(await people.account(Role.TAILOR, "Siti"))
    await age(token, seen=timedelta(hours=2), expires_in=timedelta(days=5))
    before = await session_row(token)

    assert await load_session(token) is not None

    assert await session_row(token) == before


async def test_bell_shows_the_unread_count_on_a_page(client: AsyncTestClient[Litestar]) -> None:
    account_id = await people.account(Role.DESIGNER, "Dewi")
    await notify(account_id)
    await notify(account_id)
    await people.sign_in_as(client, account_id)

    page = await client.get("/home")

    assert page.status_code == 200
    assert '<span class="bell-count" aria-hidden="true">2</span>' in page.text


async def test_signed_out_visitor_gets_no_bell_count(client: AsyncTestClient[Litestar]) -> None:
    page = await client.get("/")

    assert "bell-count" not in page.text

"""A person's own data: downloaded as a file, or erased with the account while the other party's
order history and the programme's figures stay whole and say "akun dihapus"."""

from __future__ import annotations

import json
from contextlib import AsyncExitStack
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, AccountStatus, RecoveryCode
from server.accounts.tokens import hash_token
from server.admin import dashboard
from server.auth.tables import Passkey, Session
from server.media.services import store_photo
from server.media.tables import Photo
from server.orders.production.stages import Stage
from server.orders.tables import Message, Order, Payment, PaymentStatus
from server.orders.thread import services as thread
from server.web import i18n
from tests.builders.orders import Deal, deal, move_to
from tests.builders.passkeys import register, sign_in
from tests.builders.people import signed_in, signed_in_admin
from tests.helpers import post_form
from tests.images import jpeg_with_gps
from tests.webauthn_device import SoftAuthenticator

Client = AsyncTestClient[Litestar]
TITLE = "Kemeja batik seragam kantor"
TAILOR_NAME = "Siti Rahayu"
TAILOR_DIGITS = "6281210000001"  # 0812-1000-0001
TAILOR_SHOWN = "0812-1000-0001"
DESIGNER_DIGITS = "6281355550000"  # Dewi Kirana, 0813-5555-0000
TAILOR_WORDS = "Kain sudah saya terima, mulai potong besok."
DESIGNER_WORDS = "Terima kasih, saya tunggu kabarnya."


async def finished_deal(stack: AsyncExitStack, app: Litestar) -> Deal:
    """A completed order, both payments confirmed, a message from each side."""
    done = await deal(stack, app, title=TITLE)
    await thread.send_message(done.public_id, done.tailor_id, "tailor", TAILOR_WORDS)
    await thread.send_message(done.public_id, done.designer_id, "designer", DESIGNER_WORDS)
    await move_to(done, Stage.COMPLETED)
    order = await done.row()
    await Payment.update({Payment.status: PaymentStatus.CONFIRMED}).where(
        Payment.order == order["id"]
    )
    return done


async def delete(client: Client, word: str = "HAPUS") -> Any:
    return await post_form(client, "/account/delete", {"confirm": word}, follow_redirects=False)


async def export(client: Client) -> dict[str, Any]:
    response = await client.get("/account/data")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = json.loads(response.content.decode("utf-8"))
    return document


async def figures() -> tuple[Any, ...]:
    today = i18n.local_today()
    return (
        await dashboard.programme_progress(today),
        await dashboard.weekly_activity(today, i18n.get_timezone()),
        await dashboard.suspended_count(),
    )


async def test_export_is_an_attachment_of_own_data_without_the_other_partys_number(
    stack: AsyncExitStack, app: Litestar
) -> None:
    done = await finished_deal(stack, app)
    response = await done.tailor_client.get("/account/data")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    disposition = response.headers["content-disposition"]
    assert disposition == f"attachment; filename=clothingline-data-{i18n.local_today()}.json"
    text = response.content.decode("utf-8")
    document = json.loads(text)
    assert document["account"]["name"] == TAILOR_NAME
    assert document["account"]["phone"] == "+" + TAILOR_DIGITS
    assert document["tailor_profile"]["skills"] == ["kemeja", "seragam"]
    [order] = document["orders"]
    assert (order["title"], order["your_side"], order["other_party"]) == (
        TITLE,
        "tailor",
        "Dewi Kirana",
    )
    assert order["stages"][-1]["stage"] == Stage.COMPLETED
    assert {p["status"] for p in order["payments"]} == {PaymentStatus.CONFIRMED}
    assert [m["body"] for m in document["messages_written"]] == [TAILOR_WORDS]
    assert len(document["signed_in_devices"]) == 1
    assert DESIGNER_DIGITS not in text
    assert DESIGNER_WORDS not in text


async def test_export_needs_a_signed_in_person(client: Client) -> None:
    response = await client.get("/account/data", follow_redirects=False)
    assert response.status_code in (401, 303)
    assert "attachment" not in response.headers.get("content-disposition", "")


async def test_deleted_tailor_is_gone_from_every_page_while_the_order_reads_whole(
    stack: AsyncExitStack, app: Litestar
) -> None:
    done = await finished_deal(stack, app)
    admin_client = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in_admin(admin_client)
    photo = await store_photo(
        app.state.media, done.tailor_id, "certificate", jpeg_with_gps(400, 300)
    )
    photo_file = app.state.media.key(photo["public_id"], "large")
    assert app.state.media.storage.exists(photo_file)
    before = await figures()

    response = await delete(done.tailor_client)

    assert response.status_code == 200, response.text
    assert (
        'session=""' in response.headers["set-cookie"]
        or "Max-Age=0" in (response.headers["set-cookie"])
    )
    assert response.headers["cache-control"] == "no-store"
    assert (await done.tailor_client.get("/home", follow_redirects=False)).status_code != 200
    assert not app.state.media.storage.exists(photo_file)
    assert await Photo.count().where(Photo.owner == done.tailor_id) == 0
    assert await figures() == before

    page = (await done.designer_client.get(done.url)).text
    assert TITLE in page
    assert "Rp45.000" in page
    assert "akun dihapus" in page
    assert TAILOR_WORDS in page  # the designer's record of the deal keeps the thread
    directory = (await admin_client.get("/admin/tailors")).text
    csv = (await admin_client.get("/admin/tailors.csv")).text
    accounts = (await admin_client.get("/admin/accounts")).text
    designer_export = json.dumps(await export(done.designer_client), ensure_ascii=False)
    for shown in (page, directory, csv, accounts, designer_export):
        assert TAILOR_NAME not in shown
        assert TAILOR_DIGITS not in shown
        assert TAILOR_SHOWN not in shown
        assert "wa.me" not in shown
    assert "akun dihapus" in directory and "akun dihapus" in csv
    assert json.loads(designer_export)["orders"][0]["other_party"] == "akun dihapus"

    done.designer_client.cookies.set(i18n.LANGUAGE_COOKIE, "en")
    await Account.update({Account.locale: "en"}).where(Account.id == done.designer_id)
    english = (await done.designer_client.get(done.url)).text
    assert "Deleted account" in english and "akun dihapus" not in english


async def test_deletion_erases_sign_in_and_contact_details(
    stack: AsyncExitStack, app: Litestar
) -> None:
    done = await finished_deal(stack, app)
    await RecoveryCode.insert(RecoveryCode(account=done.tailor_id, code_hash=hash_token("X")))

    assert (await delete(done.tailor_client)).status_code == 200

    account = await Account.select().where(Account.id == done.tailor_id).first()
    assert account["status"] == AccountStatus.DELETED
    assert account["deleted_at"] is not None
    assert (account["name"], account["locale"]) == ("akun dihapus", None)
    assert not account["phone"].startswith("+")
    for table in (Session, Passkey, RecoveryCode):
        assert await table.count().where(table.account == done.tailor_id) == 0  # type: ignore[attr-defined]
    order = await done.row()
    assert (order["status"], order["assigned_tailor"]) == ("completed", done.tailor_id)
    assert await Message.count().where(Message.sender == done.tailor_id) == 1


async def test_deleted_account_cannot_sign_in_with_its_passkey(client: Client) -> None:
    device = SoftAuthenticator()
    await register(client, device, name=TAILOR_NAME, phone=TAILOR_SHOWN)
    assert await Passkey.count() == 1

    assert (await delete(client)).status_code == 200

    assert await Passkey.count() == 0
    client.cookies.clear()
    refused = await sign_in(client, device)
    assert refused.status_code >= 400
    assert (await client.get("/home", follow_redirects=False)).status_code != 200
    # The number is free again: the person may come back with a new account.
    await register(client, SoftAuthenticator(), name=TAILOR_NAME, phone=TAILOR_SHOWN)
    assert await Account.count().where(Account.name == TAILOR_NAME) == 1


async def test_deletion_refused_while_an_order_is_in_production(
    stack: AsyncExitStack, app: Litestar
) -> None:
    ongoing = await deal(stack, app, title=TITLE)
    for client in (ongoing.tailor_client, ongoing.designer_client):
        page = await client.get("/account/delete")
        assert page.status_code == 200
        assert 'id="deletion-blockers"' in page.text
        assert 'action="/account/delete"' not in page.text

        refused = await delete(client)

        assert refused.status_code == 409
        assert "1 order sedang dikerjakan" in refused.text
    rows = await Account.select(Account.name, Account.status).where(
        Account.id.is_in([ongoing.tailor_id, ongoing.designer_id])
    )
    assert {row["status"] for row in rows} == {AccountStatus.ACTIVE}
    assert await Session.count() == 3


async def test_deletion_refused_until_the_final_payment_is_confirmed(
    stack: AsyncExitStack, app: Litestar
) -> None:
    done = await deal(stack, app, title=TITLE)
    await move_to(done, Stage.COMPLETED)
    order = await done.row()
    assert await Payment.count().where(
        (Payment.order == order["id"]) & (Payment.status != PaymentStatus.CONFIRMED)
    )

    refused = await delete(done.designer_client)

    assert refused.status_code == 409
    assert "belum dikonfirmasi" in refused.text
    assert await Order.count().where(Order.designer == done.designer_id) == 1


async def test_wrong_confirmation_word_changes_nothing(client: Client) -> None:
    await register(client, SoftAuthenticator(), name=TAILOR_NAME, phone=TAILOR_SHOWN)

    account_page = (await client.get("/account")).text
    assert 'href="/account/data"' in account_page and 'href="/account/delete"' in account_page
    without_token = await client.post("/account/delete", data={"confirm": "HAPUS"})
    assert without_token.status_code == 403
    refused = await delete(client, "hapus saja")

    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.text
    assert await Account.count().where(Account.name == TAILOR_NAME) == 1
    assert (await client.get("/home")).status_code == 200


async def test_the_last_admin_cannot_delete_their_account(
    stack: AsyncExitStack, app: Litestar
) -> None:
    first = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in_admin(first)

    assert (await delete(first)).status_code == 409

    second = await stack.enter_async_context(AsyncTestClient(app=app))
    await signed_in(second, "admin", "Ratna Admin", "0811-2000-0002")
    assert (await delete(first)).status_code == 200
    assert (await delete(second)).status_code == 409


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("id", "Privasi: data pribadi Anda"), ("en", "Privacy: your personal data")],
)
async def test_privacy_page_in_both_languages(client: Client, lang: str, heading: str) -> None:
    client.cookies.set(i18n.LANGUAGE_COOKIE, lang)
    response = await client.get("/privacy")
    assert response.status_code == 200
    assert heading in response.text
    assert "UU PDP No. 27/2022" in response.text
    assert "48" in response.text
    assert 'href="/privacy"' in (await client.get("/register")).text


async def test_deleted_designer_reads_as_deleted_on_the_tailors_order_page(
    stack: AsyncExitStack, app: Litestar
) -> None:
    done = await finished_deal(stack, app)

    assert (await delete(done.designer_client)).status_code == 200

    page = await done.tailor_client.get(done.url)
    work = await done.tailor_client.get("/work")
    tailor_export = json.dumps(await export(done.tailor_client), ensure_ascii=False)
    for shown in (page.text, work.text, tailor_export):
        assert "Dewi Kirana" not in shown and "Batik Kirana" not in shown
        assert DESIGNER_DIGITS not in shown and "wa.me" not in shown
    assert page.status_code == 200
    assert TITLE in page.text and "akun dihapus" in page.text
    assert DESIGNER_WORDS in page.text

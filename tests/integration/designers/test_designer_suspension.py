"""An admin suspends an abusive designer or brand and reinstates them, as with tailors."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, AuditEvent
from server.auth.tables import Session
from server.notifications.tables import Notification
from server.orders.assignment.services import take
from server.orders.offers import services
from server.orders.posting.services import publish
from server.orders.tables import Offer, Order, OrderStatus
from tests.builders.orders import order_form
from tests.builders.passkeys import register, sign_in
from tests.builders.people import account, signed_in_admin, tailor
from tests.builders.places import today
from tests.helpers import HX, indonesian, post_form
from tests.webauthn_device import SoftAuthenticator

REASON = "Membatalkan pembayaran berulang kali."
SUSPENDED = indonesian("This account is suspended. Contact the programme admin.", html=False)


async def status_of(order_id: int) -> str:
    row = await Order.select(Order.status).where(Order.id == order_id).first()
    return str(row["status"])


async def test_suspending_a_designer_ends_their_access_and_withdraws_open_orders(
    app: Litestar,
) -> None:
    async with AsyncExitStack() as stack:
        admin_client, designer_client = [
            await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(2)
        ]
        admin = await signed_in_admin(admin_client)
        device = SoftAuthenticator()
        await register(
            designer_client, device, role="designer", name="Dewi Butik", phone="0813-4444-0001"
        )
        buyer = await Account.select().where(Account.name == "Dewi Butik").first()
        alerted, offering, sewing = await tailor(km=1.0), await tailor(km=2.0), await tailor(km=3.0)
        open_order = await publish(buyer["id"], order_form(), [])
        form = services.OfferForm(80_000, today() + timedelta(days=20), "")
        await services.make_offer(offering, open_order.public_id, form)
        in_production = await publish(buyer["id"], order_form(mode="direct"), [])
        await take(sewing, in_production.public_id)
        assert (await designer_client.get("/orders/new")).status_code == 200

        url = f"/admin/accounts/{buyer['public_id']}"
        listing = (await admin_client.get("/admin/accounts")).text
        assert f'action="{url}/suspend"' in listing
        suspended = await post_form(
            admin_client, f"{url}/suspend", {"reason": REASON}, follow_redirects=False
        )

        assert suspended.status_code == 303 and suspended.headers["location"] == url
        assert await Session.count().where(Session.account == buyer["id"]) == 0
        post = await designer_client.get("/orders/new", follow_redirects=False)
        assert post.status_code == 303 and post.headers["location"].startswith("/login")
        assert await status_of(open_order.id) == OrderStatus.CANCELLED
        assert await status_of(in_production.id) == OrderStatus.ASSIGNED
        assert not await Offer.exists().where(
            (Offer.order == open_order.id) & (Offer.status == "live")
        )
        for told in (alerted, offering):
            titles = await Notification.select(Notification.title).where(
                (Notification.account == told) & (Notification.url == "/jobs")
            )
            assert titles == [{"title": "Order ditarik: Kemeja batik seragam kantor"}]
        refused = await sign_in(designer_client, device)
        assert refused.status_code == 403 and SUSPENDED in refused.text
        page = (await admin_client.get(url)).text
        assert "dinonaktifkan" in page and f'action="{url}/reinstate"' in page

        reinstated = await post_form(
            admin_client, f"{url}/reinstate", {"reason": "Sudah diklarifikasi."}, headers=HX
        )
        assert reinstated.status_code == 200
        assert reinstated.text.lstrip().startswith(
            f'<li class="row" id="account-{buyer["public_id"]}">'
        )
        assert (await sign_in(designer_client, device)).status_code == 200
        assert (await designer_client.get("/orders/new")).status_code == 200
        assert await status_of(open_order.id) == OrderStatus.CANCELLED
    events = await (
        AuditEvent.select(AuditEvent.kind, AuditEvent.reason, AuditEvent.actor)
        .where(AuditEvent.subject == buyer["id"])
        .order_by(AuditEvent.id)
    )
    assert events == [
        {"kind": "suspended", "reason": REASON, "actor": admin["id"]},
        {"kind": "reinstated", "reason": "Sudah diklarifikasi.", "actor": admin["id"]},
    ]


async def test_a_suspension_needs_a_reason_and_happens_once(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in_admin(client)
    buyer_id = await account("designer", "Toko Kain")
    buyer = await Account.select(Account.public_id).where(Account.id == buyer_id).first()
    url = f"/admin/accounts/{buyer['public_id']}"
    blank = await post_form(client, f"{url}/suspend", {"reason": " "}, headers=HX)
    assert blank.status_code == 400 and "<html" not in blank.text
    assert "Tulis alasannya" in blank.text
    assert (await Account.select(Account.status).where(Account.id == buyer_id).first())[
        "status"
    ] == "active"
    assert (await post_form(client, f"{url}/suspend", {"reason": REASON})).status_code == 200
    again = await post_form(client, f"{url}/suspend", {"reason": REASON})
    assert again.status_code == 409 and "Akun ini sudah dinonaktifkan." in again.text
    assert await AuditEvent.count().where(AuditEvent.subject == buyer_id) == 1

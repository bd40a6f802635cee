"""A WhatsApp number registered by someone who does not own it: what the registration form
says, what the admin sees about the account holding it, and releasing it to the real owner."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.tables import Account, AuditEvent
from server.auth.tables import Session
from server.tailors.tables import TailorProfile
from tests.builders.passkeys import register, sign_in
from tests.builders.people import signed_in_admin
from tests.helpers import post_form, post_json
from tests.webauthn_device import SoftAuthenticator

NUMBER = "0812-7777-8888"
E164 = "+6281277778888"
REASON = "Pemilik asli datang ke pelatihan dengan KTP."
TAKEN_HINT = "hubungi admin program, yang bisa memeriksa dan melepaskan nomor itu"


async def impostor(client: AsyncTestClient[Any], device: SoftAuthenticator) -> dict[str, Any]:
    await register(client, device, role="tailor", name="Orang Lain", phone=NUMBER)
    row: dict[str, Any] = await Account.select().where(Account.name == "Orang Lain").first()
    await TailorProfile.insert(TailorProfile(account=row["id"], available=True))
    return row


async def enrol_owner(client: AsyncTestClient[Any]) -> Any:
    form = {"role": "tailor", "name": "Siti Pemilik", "phone": NUMBER}
    return await post_form(client, "/admin/accounts", form)


async def test_registering_a_taken_number_says_what_to_do(app: Litestar) -> None:
    async with AsyncTestClient(app=app) as claimant, AsyncTestClient(app=app) as owner:
        await impostor(claimant, SoftAuthenticator())
        attempt = {"role": "tailor", "name": "Siti Pemilik", "phone": "+62 812 7777 8888"}
        response = await post_json(owner, "/auth/register/options", attempt)
    assert response.status_code == 409
    assert TAKEN_HINT in response.json()["error"]


async def test_admin_sees_the_claim_releases_it_and_enrols_the_owner(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        admin_client, claimant_client = [
            await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(2)
        ]
        device = SoftAuthenticator()
        claimant = await impostor(claimant_client, device)
        admin = await signed_in_admin(admin_client)

        refused = await enrol_owner(admin_client)
        assert refused.status_code == 409
        assert "Nomor WhatsApp ini sudah dipakai sebuah akun." in refused.text
        assert "Nomor ini dipakai akun Orang Lain" in refused.text
        assert f'href="/admin/accounts/{claimant["public_id"]}#phone-claim"' in refused.text

        page = await admin_client.get(f"/admin/accounts/{claimant['public_id']}")
        assert page.status_code == 200
        for fact in (
            "0812-7777-8888",
            "dipakai sejak",
            "1 passkey",
            "belum pernah masuk lagi sejak mendaftar",
            "0 order",
        ):
            assert fact in page.text
        assert "Lepas nomor 0812-7777-8888" in page.text

        url = f"/admin/accounts/{claimant['public_id']}/release-phone"
        no_reason = await post_form(admin_client, url, {"reason": " "})
        assert no_reason.status_code == 400
        assert "Tulis alasannya (minimal 5 karakter)." in no_reason.text
        assert await Account.exists().where(Account.phone == E164)

        released = await post_form(admin_client, url, {"reason": REASON})
        assert released.status_code == 200
        assert "Nomor 0812-7777-8888 sudah bebas" in released.text
        assert "Tanpa nomor: sudah dilepas oleh admin" in released.text
        listed = await admin_client.get("/admin/accounts", params={"q": "Orang Lain"})
        assert "Orang Lain</strong> · tanpa nomor" in listed.text
        row = await Account.select().where(Account.id == claimant["id"]).first()
        assert row["phone"] == f"released-{claimant['id']}"
        assert await Session.count().where(Session.account == claimant["id"]) == 0
        profile = await TailorProfile.select().where(TailorProfile.account == claimant["id"])
        assert profile[0]["available"] is False
        audit = await AuditEvent.select().where(AuditEvent.subject == claimant["id"])
        assert [(e["kind"], e["actor"], e["reason"]) for e in audit] == [
            ("phone_released", admin["id"], f"{E164}: {REASON}")
        ]

        again = await post_form(admin_client, url, {"reason": REASON})
        assert again.status_code == 409
        assert "Akun ini sudah tidak memegang nomor." in again.text

        enrolled = await enrol_owner(admin_client)
        assert enrolled.status_code == 200
        owner = await Account.select().where(Account.phone == E164).first()
        assert owner["name"] == "Siti Pemilik"

        # The claimant's account still works with its passkey, without the number.
        assert (await claimant_client.get("/account", follow_redirects=False)).status_code != 200
        assert (await sign_in(claimant_client, device)).status_code == 200
        account_page = await claimant_client.get("/account")
        assert account_page.status_code == 200
        assert "released-" not in account_page.text


async def test_only_an_admin_can_release_a_number(app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        claimant_client, other_client, admin_client = [
            await stack.enter_async_context(AsyncTestClient(app=app)) for _ in range(3)
        ]
        claimant = await impostor(claimant_client, SoftAuthenticator())
        await register(other_client, SoftAuthenticator(), name="Dewi", phone="0813-1111-2222")
        url = f"/admin/accounts/{claimant['public_id']}/release-phone"
        for client in (claimant_client, other_client):
            response = await post_form(client, url, {"reason": REASON}, follow_redirects=False)
            assert response.status_code in (401, 403)
        await signed_in_admin(admin_client)
        no_csrf = await admin_client.post(url, data={"reason": REASON})
        assert no_csrf.status_code == 403
        assert await Account.exists().where(Account.phone == E164)
        assert await AuditEvent.count() == 0

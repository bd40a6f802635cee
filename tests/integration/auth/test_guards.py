"""Who may open what: one row per route, checked for a visitor and for each role.

A route missing from GUARD_TABLE fails the test: add a row saying who may use it.
"""

import dataclasses
import inspect
import io
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image

from server.accounts.services import create_invited_account
from server.accounts.tables import Account, Role
from server.app import create_app
from server.auth.tables import Passkey
from server.settings import Limit, RateLimits, Settings
from tests.builders.people import signed_in
from tests.helpers import HX, csrf_token, indonesian

VISITOR = "visitor"
ROLES = (VISITOR, Role.TAILOR.value, Role.DESIGNER.value, Role.ADMIN.value)
EVERYONE = frozenset(ROLES)
MEMBERS = frozenset(ROLES) - {VISITOR}
ADMINS = frozenset({Role.ADMIN.value})
TAILORS = frozenset({Role.TAILOR.value})
DESIGNERS = frozenset({Role.DESIGNER.value})
NAMES = {"tailor": "Siti Penjahit", "designer": "Dewi Desainer", "admin": "Budi Admin"}
FORBIDDEN_TITLE = indonesian("You cannot open this page", html=False)


@dataclass(frozen=True)
class Probe:
    """Who gets past the guard, and what they then get (one status, or one per role)."""

    allowed: frozenset[str]
    status: int | dict[str, int]
    url: str = ""  # with {placeholders} filled per role; the route's own path if empty
    form: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    files: dict[str, Any] | None = None
    ends_session: bool = False  # run after the others

    def expected(self, role: str) -> int:
        return self.status if isinstance(self.status, int) else self.status[role]


def a_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="JPEG")
    return buffer.getvalue()


MEMBER_LOGIN = {VISITOR: 200, "tailor": 302, "designer": 302, "admin": 302}
PHOTO = {"photo": ("foto.jpg", a_photo(), "image/jpeg")}

GUARD_TABLE: dict[tuple[str, str], Probe] = {
    # Public pages and files
    ("GET", "/"): Probe(EVERYONE, 200),
    ("GET", "/offline"): Probe(EVERYONE, 200),
    ("GET", "/privacy"): Probe(EVERYONE, 200),
    ("POST", "/language"): Probe(EVERYONE, 303, form={"lang": "id", "next": "/"}),
    ("GET", "/manifest.webmanifest"): Probe(EVERYONE, 200),
    ("GET", "/sw.js"): Probe(EVERYONE, 200),
    ("GET", "/healthz"): Probe(EVERYONE, 200),
    ("GET", "/healthz/live"): Probe(EVERYONE, 200),
    ("GET", "/healthz/ready"): Probe(EVERYONE, 200),
    # The phone's outbox asks for the token before a replay: JSON, and a visitor's 401 is no
    # redirect to sign in (the outbox keeps its items and asks the person itself).
    ("GET", "/outbox/token"): Probe(
        EVERYONE, {VISITOR: 401, "tailor": 200, "designer": 200, "admin": 200}
    ),
    ("GET", "/static/{digest:str}/{path:path}"): Probe(EVERYONE, 200, url="{asset}"),
    ("GET", "/media/{public_id:uuid}/{size:str}"): Probe(
        EVERYONE, 404, url="/media/{random}/thumb.webp"
    ),
    ("GET", "/tailors/{public_id:uuid}"): Probe(
        EVERYONE,
        {VISITOR: 404, "tailor": 200, "designer": 404, "admin": 200},
        url="/tailors/{tailor}",
    ),
    # Signing in
    ("GET", "/login"): Probe(EVERYONE, MEMBER_LOGIN),
    ("GET", "/register"): Probe(EVERYONE, MEMBER_LOGIN),
    ("GET", "/recover"): Probe(EVERYONE, 200),
    ("POST", "/recover"): Probe(EVERYONE, 400, form={"phone": "0812-0000-0000", "code": "x"}),
    ("GET", "/enrol/{token:str}"): Probe(EVERYONE, 200, url="/enrol/{enrolment}"),
    ("POST", "/auth/login/options"): Probe(EVERYONE, 200, json={}),
    ("POST", "/auth/login/verify"): Probe(EVERYONE, 400, json={}),
    ("POST", "/auth/register/options"): Probe(
        EVERYONE, 200, json={"role": "tailor", "name": "Rina Wati", "phone": "0819-1234-5678"}
    ),
    ("POST", "/auth/register/verify"): Probe(EVERYONE, 400, json={}),
    ("POST", "/auth/logout"): Probe(EVERYONE, 303, ends_session=True),
    # The service worker's renewal: signed in, and same-origin (this probe sends no Origin).
    ("POST", "/push/subscription-change"): Probe(MEMBERS, 403, form={"old_endpoint": "x"}),
    # Demo mode answers only a browser on the server's own machine; the test client is not one
    # (test_demo_loopback.py signs in from one).
    ("GET", "/demo"): Probe(EVERYONE, 404),
    ("POST", "/demo/sign-in"): Probe(EVERYONE, 404, form={"phone": "+6281200000001"}),
    # Every signed-in person
    ("GET", "/home"): Probe(MEMBERS, 200),
    ("GET", "/account"): Probe(MEMBERS, 200),
    ("POST", "/account/language"): Probe(MEMBERS, 303, form={"lang": "id"}),
    ("GET", "/account/passkeys"): Probe(MEMBERS, 200),
    ("POST", "/account/passkeys/{passkey_id:uuid}/rename"): Probe(
        MEMBERS, 200, url="/account/passkeys/{passkey}/rename", form={"label": "Telepon"}
    ),
    ("POST", "/account/passkeys/{passkey_id:uuid}/delete"): Probe(
        MEMBERS, 404, url="/account/passkeys/{random}/delete"
    ),
    ("GET", "/account/sessions"): Probe(MEMBERS, 200),
    ("POST", "/account/sessions/{session_id:uuid}/delete"): Probe(
        MEMBERS, 404, url="/account/sessions/{random}/delete"
    ),
    ("POST", "/account/sessions/sign-out-others"): Probe(MEMBERS, 200),
    ("GET", "/account/recovery-codes"): Probe(MEMBERS, 200),
    ("POST", "/account/recovery-codes"): Probe(MEMBERS, 200),
    ("GET", "/account/data"): Probe(MEMBERS, 200),
    ("GET", "/account/delete"): Probe(MEMBERS, 200),
    # A wrong confirmation word: past the guard, nothing deleted.
    ("POST", "/account/delete"): Probe(MEMBERS, 400, form={"confirm": "nanti"}),
    ("GET", "/account/notifications"): Probe(MEMBERS, 200),
    ("POST", "/account/notifications"): Probe(MEMBERS, 400, form={"quiet_start": "25:00"}),
    # A form body is not a subscription: members get 400, a visitor is sent to sign in.
    ("POST", "/push/subscriptions"): Probe(MEMBERS, 400, form={"endpoint": "x"}),
    ("POST", "/push/subscriptions/{public_id:uuid}/delete"): Probe(
        MEMBERS, 404, url="/push/subscriptions/{random}/delete"
    ),
    ("GET", "/notifications"): Probe(MEMBERS, 200),
    ("GET", "/notifications/{public_id:uuid}"): Probe(MEMBERS, 404, url="/notifications/{random}"),
    ("POST", "/notifications/mark-all-read"): Probe(MEMBERS, 303),
    ("GET", "/orders/{public_id:uuid}"): Probe(MEMBERS, 404, url="/orders/{random}"),
    # Production: members pass the guard; only an order's parties (and admins) find the order.
    ("GET", "/orders/{public_id:uuid}/production"): Probe(
        MEMBERS, 404, url="/orders/{random}/production"
    ),
    ("POST", "/orders/{public_id:uuid}/stages"): Probe(
        MEMBERS, 404, url="/orders/{random}/stages", form={"stage": "cutting"}, files=PHOTO
    ),
    ("POST", "/orders/{public_id:uuid}/sample/reject"): Probe(
        MEMBERS, 404, url="/orders/{random}/sample/reject", form={"reason": "Kerah terlalu lebar"}
    ),
    ("POST", "/data-saver"): Probe(MEMBERS, 303, form={"on": "1", "next": "/home"}),
    ("GET", "/orders/{public_id:uuid}/messages"): Probe(
        MEMBERS, 404, url="/orders/{random}/messages"
    ),
    ("POST", "/orders/{public_id:uuid}/messages"): Probe(
        MEMBERS, 404, url="/orders/{random}/messages", form={"body": "Halo"}
    ),
    ("POST", "/orders/{public_id:uuid}/payments/percent"): Probe(
        MEMBERS, 404, url="/orders/{random}/payments/percent", form={"percent": "30"}
    ),
    ("POST", "/orders/{public_id:uuid}/payments/{kind:str}/paid"): Probe(
        MEMBERS, 404, url="/orders/{random}/payments/dp/paid"
    ),
    ("POST", "/orders/{public_id:uuid}/payments/{kind:str}/received"): Probe(
        MEMBERS, 404, url="/orders/{random}/payments/dp/received"
    ),
    ("POST", "/orders/{public_id:uuid}/reviews"): Probe(
        MEMBERS, 404, url="/orders/{random}/reviews", form={"stars": "5"}
    ),
    ("POST", "/orders/{public_id:uuid}/cancellation"): Probe(
        MEMBERS, 404, url="/orders/{random}/cancellation", form={"reason": "Kain tidak datang"}
    ),
    ("POST", "/orders/{public_id:uuid}/cancellation/withdraw"): Probe(
        MEMBERS, 404, url="/orders/{random}/cancellation/withdraw"
    ),
    ("POST", "/orders/{public_id:uuid}/cancellation/accept"): Probe(
        MEMBERS, 404, url="/orders/{random}/cancellation/accept"
    ),
    ("POST", "/orders/{public_id:uuid}/cancellation/refuse"): Probe(
        MEMBERS, 404, url="/orders/{random}/cancellation/refuse", form={"note": "Tidak setuju"}
    ),
    # Tailors
    ("GET", "/onboarding"): Probe(TAILORS, 302),
    ("GET", "/onboarding/location"): Probe(TAILORS, 200),
    ("GET", "/onboarding/work"): Probe(TAILORS, 200),
    ("GET", "/onboarding/about"): Probe(TAILORS, 200),
    ("GET", "/onboarding/portfolio"): Probe(TAILORS, 200),
    ("GET", "/onboarding/certificate"): Probe(TAILORS, 200),
    ("POST", "/onboarding/location"): Probe(TAILORS, 400, form={"city": ""}),
    ("POST", "/onboarding/work"): Probe(TAILORS, 400, form={"radius": ""}),
    ("POST", "/onboarding/about"): Probe(TAILORS, 303, form={"bio": "Penjahit kebaya."}),
    ("POST", "/onboarding/portfolio"): Probe(TAILORS, 200, files=PHOTO),
    ("POST", "/onboarding/portfolio/{photo_id:uuid}/delete"): Probe(
        TAILORS, 404, url="/onboarding/portfolio/{random}/delete"
    ),
    ("POST", "/onboarding/certificate"): Probe(TAILORS, 400, files=PHOTO),
    ("POST", "/availability"): Probe(TAILORS, 409, form={"available": "on"}),
    ("GET", "/work"): Probe(TAILORS, 200),
    ("GET", "/jobs"): Probe(TAILORS, 200),
    ("GET", "/jobs/summary"): Probe(TAILORS, 200),
    ("POST", "/orders/{public_id:uuid}/offers"): Probe(
        TAILORS, 404, url="/orders/{random}/offers", form={"price_per_piece": "45000"}
    ),
    ("POST", "/orders/{public_id:uuid}/offers/withdraw"): Probe(
        TAILORS, 404, url="/orders/{random}/offers/withdraw"
    ),
    ("POST", "/orders/{public_id:uuid}/take"): Probe(TAILORS, 404, url="/orders/{random}/take"),
    # Designers and brands
    ("GET", "/business-profile"): Probe(DESIGNERS, 200),
    ("POST", "/business-profile"): Probe(
        DESIGNERS,
        303,
        form={"business_name": "Batik Kirana", "business_type": "brand", "city": "12.71"},
        files={"logo": PHOTO["photo"]},
    ),
    ("GET", "/orders/new"): Probe(DESIGNERS, 200),
    ("POST", "/orders"): Probe(DESIGNERS, 400, form={"action": "preview", "title": "x"}),
    ("GET", "/orders"): Probe(DESIGNERS, 200),
    ("GET", "/orders/drafts/{draft_id:uuid}"): Probe(DESIGNERS, 404, url="/orders/drafts/{random}"),
    ("POST", "/orders/{public_id:uuid}"): Probe(
        DESIGNERS, 404, url="/orders/{random}", form={"title": "Kemeja batik"}
    ),
    ("POST", "/orders/{public_id:uuid}/cancel"): Probe(
        DESIGNERS, 404, url="/orders/{random}/cancel", form={"reason": "Tidak jadi."}
    ),
    ("POST", "/orders/{public_id:uuid}/offers/{offer_id:uuid}/accept"): Probe(
        DESIGNERS, 404, url="/orders/{random}/offers/{random}/accept"
    ),
    ("POST", "/orders/{public_id:uuid}/offers/{offer_id:uuid}/decline"): Probe(
        DESIGNERS, 404, url="/orders/{random}/offers/{random}/decline"
    ),
    # The programme admin
    ("GET", "/admin"): Probe(ADMINS, 200),
    ("GET", "/admin/targets"): Probe(ADMINS, 200),
    ("POST", "/admin/targets"): Probe(ADMINS, 400, form={"target-ID": "-1"}),
    ("GET", "/admin/verifications"): Probe(ADMINS, 200),
    ("GET", "/admin/disputes"): Probe(ADMINS, 200),
    ("GET", "/admin/disputes/{public_id:uuid}"): Probe(ADMINS, 404, url="/admin/disputes/{random}"),
    ("POST", "/admin/disputes/{public_id:uuid}/decision"): Probe(
        ADMINS,
        404,
        url="/admin/disputes/{random}/decision",
        form={"outcome": "cancel", "decision": "Dibatalkan oleh admin"},
    ),
    ("GET", "/admin/verifications/{public_id:uuid}"): Probe(
        ADMINS, 404, url="/admin/verifications/{random}"
    ),
    ("POST", "/admin/verifications/{public_id:uuid}/approve"): Probe(
        ADMINS, 404, url="/admin/verifications/{random}/approve"
    ),
    ("POST", "/admin/verifications/{public_id:uuid}/reject"): Probe(
        ADMINS, 404, url="/admin/verifications/{random}/reject", form={"reason": "Foto buram"}
    ),
    ("GET", "/admin/tailors"): Probe(ADMINS, 200),
    ("GET", "/admin/tailors.csv"): Probe(ADMINS, 200),
    ("POST", "/admin/tailors/{public_id:uuid}/suspend"): Probe(
        ADMINS, 400, url="/admin/tailors/{tailor}/suspend", form={"reason": ""}
    ),
    ("POST", "/admin/tailors/{public_id:uuid}/reinstate"): Probe(
        ADMINS, 409, url="/admin/tailors/{tailor}/reinstate", form={"reason": "Sudah diperiksa"}
    ),
    ("GET", "/admin/cohorts"): Probe(ADMINS, 200),
    ("GET", "/admin/cohorts/new"): Probe(ADMINS, 200),
    ("POST", "/admin/cohorts"): Probe(ADMINS, 400, form={"name": ""}),
    ("GET", "/admin/cohorts/{public_id:uuid}"): Probe(ADMINS, 404, url="/admin/cohorts/{random}"),
    ("POST", "/admin/cohorts/{public_id:uuid}/members"): Probe(
        ADMINS, 404, url="/admin/cohorts/{random}/members", form={"phone": "0812-1111-2222"}
    ),
    ("POST", "/admin/cohorts/{public_id:uuid}/enrolments"): Probe(
        ADMINS, 404, url="/admin/cohorts/{random}/enrolments", form={"lines": "Ayu, 0816"}
    ),
    ("GET", "/admin/accounts"): Probe(ADMINS, 200),
    ("GET", "/admin/accounts/new"): Probe(ADMINS, 200),
    ("POST", "/admin/accounts"): Probe(
        ADMINS, 200, form={"role": "tailor", "name": "Rina Wati", "phone": "0818-1234-5678"}
    ),
    ("POST", "/admin/accounts/{public_id:uuid}/enrolment-links"): Probe(
        ADMINS, 200, url="/admin/accounts/{invited}/enrolment-links"
    ),
    ("GET", "/admin/accounts/{public_id:uuid}"): Probe(
        ADMINS, 200, url="/admin/accounts/{invited}"
    ),
    ("POST", "/admin/accounts/{public_id:uuid}/release-phone"): Probe(
        ADMINS, 400, url="/admin/accounts/{invited}/release-phone", form={"reason": ""}
    ),
    ("POST", "/admin/accounts/{public_id:uuid}/suspend"): Probe(
        ADMINS, 400, url="/admin/accounts/{invited}/suspend", form={"reason": ""}
    ),
    ("POST", "/admin/accounts/{public_id:uuid}/reinstate"): Probe(
        ADMINS, 409, url="/admin/accounts/{invited}/reinstate", form={"reason": "Sudah diperiksa"}
    ),
}


def registered_routes(app: Litestar) -> set[tuple[str, str]]:
    """(method, path) of every handler, leaving out the OPTIONS ones Litestar adds itself.

    A websocket or mounted ASGI app shows up under its route type, so it needs a row too.
    """
    return {
        (method, route.path)
        for route in app.routes
        for handler in route.route_handlers
        for method in getattr(handler, "http_methods", None) or {type(route).__name__}
        if method != "OPTIONS"
    }


def sign_in_url(path: str) -> str:
    return "/login?" + urlencode({"next": path})


@pytest.fixture
def guarded_app(settings: Settings) -> Litestar:
    """Demo mode on, so its routes are checked too; no rate limit getting in the way."""
    no_limits = RateLimits.uniform(Limit(100_000, 60, burst=100_000))
    return create_app(dataclasses.replace(settings, demo=True, rate_limits=no_limits))


async def sign_up(client: AsyncTestClient[Any], role: str, name: str, phone: str) -> int:
    return int((await signed_in(client, role, name, phone))["id"])


async def path_values(clients: dict[str, AsyncTestClient[Any]], app: Litestar) -> dict[str, Any]:
    """Real objects for path parameters: each role's own passkey, an invited account..."""
    account_ids = {
        "tailor": await sign_up(clients["tailor"], "tailor", NAMES["tailor"], "0812-1111-2222"),
        "designer": await sign_up(
            clients["designer"], "designer", NAMES["designer"], "0813-1111-2222"
        ),
        "admin": await sign_up(clients["admin"], "tailor", NAMES["admin"], "0814-1111-2222"),
    }
    await Account.update({Account.role: Role.ADMIN}).where(Account.id == account_ids["admin"])
    for role in MEMBERS:
        assert NAMES[role] in (await clients[role].get("/home")).text
    invited_id, enrolment = await create_invited_account("tailor", "Ayu", "0815-1111-2222", None)
    public_ids = {
        row["id"]: row["public_id"] for row in await Account.select(Account.id, Account.public_id)
    }
    passkeys = {
        row["account"]: row["public_id"]
        for row in await Passkey.select(Passkey.account, Passkey.public_id)
    }
    values: dict[str, Any] = {
        "asset": app.state.assets.url("css/app.css"),
        "enrolment": enrolment,
        "invited": public_ids[invited_id],
        "tailor": public_ids[account_ids["tailor"]],
    }
    return {
        role: {
            **values,
            "passkey": passkeys[account_ids.get(role, account_ids["tailor"])],
            "random": uuid4(),
        }
        for role in ROLES
    }


async def send(
    client: AsyncTestClient[Any], method: str, url: str, probe: Probe, headers: dict[str, str]
) -> Any:
    if method == "GET":
        return await client.get(url, headers=headers, follow_redirects=False)
    headers = {"x-csrftoken": await csrf_token(client), **headers}
    if probe.json is not None:
        headers["Accept"] = "application/json"
        return await client.post(url, json=probe.json, headers=headers, follow_redirects=False)
    return await client.post(
        url, data=probe.form, files=probe.files, headers=headers, follow_redirects=False
    )


async def check(
    client: AsyncTestClient[Any], role: str, method: str, url: str, probe: Probe
) -> list[str]:
    """What went wrong for this role on this route, if anything."""
    response = await send(client, method, url, probe, {})
    got = f"{role} {method} {url}: got {response.status_code}"
    if role in probe.allowed:
        if response.status_code != probe.expected(role):
            return [f"{got}, expected {probe.expected(role)}: {response.text[:200]}"]
        return []
    if role != VISITOR:
        if response.status_code != 403 or FORBIDDEN_TITLE not in response.text:
            return [f"{got}, expected the friendly 403 page"]
        return [] if "<html" in response.text else [f"{got}: 403 is not a full page"]
    if response.status_code != 303 or response.headers.get("location") != sign_in_url(url):
        return [f"{got} {response.headers.get('location')}, expected 303 to sign in"]
    fragment = await send(client, method, url, probe, HX)
    if fragment.status_code != 401 or fragment.headers.get("hx-redirect") != sign_in_url(url):
        return [f"{role} htmx {method} {url}: got {fragment.status_code}, expected 401 HX-Redirect"]
    return []


def test_every_route_has_a_row_in_the_guard_table(guarded_app: Litestar, app: Litestar) -> None:
    routes = registered_routes(guarded_app)
    assert registered_routes(app) <= routes
    missing = sorted(routes - GUARD_TABLE.keys())
    assert not missing, f"add these routes to GUARD_TABLE, saying who may use them: {missing}"
    assert not sorted(GUARD_TABLE.keys() - routes), "GUARD_TABLE names routes that do not exist"


async def test_guards_allow_and_refuse_each_role_on_every_route(guarded_app: Litestar) -> None:
    async with AsyncExitStack() as stack:
        clients = {
            role: await stack.enter_async_context(AsyncTestClient(app=guarded_app))
            for role in ROLES
        }
        values = await path_values(clients, guarded_app)
        routes = sorted(registered_routes(guarded_app), key=lambda route: route[::-1])
        unlisted = [route for route in routes if route not in GUARD_TABLE]
        assert not unlisted, f"routes without a row in GUARD_TABLE: {unlisted}"
        ordered = sorted(routes, key=lambda route: GUARD_TABLE[route].ends_session)
        failures: list[str] = []
        for role in ROLES:
            for method, path in ordered:
                probe = GUARD_TABLE[(method, path)]
                url = (probe.url or path).format(**values[role])
                failures += await check(clients[role], role, method, url, probe)
        assert not failures, "\n".join(failures)


def test_no_guard_waits_for_a_worker_thread(app: Litestar) -> None:
    """Litestar runs a plain-function guard in a thread pool: every guarded request would wait
    for a hand-off to check who is signed in."""
    plain = {
        f"{handler} {getattr(guard, 'func', guard)}"
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        for guard in handler.resolve_guards()
        if not inspect.iscoroutinefunction(guard)
    }
    assert not plain

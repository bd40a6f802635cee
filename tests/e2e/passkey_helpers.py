"""Chromium's virtual authenticator (over CDP) and the passkey steps the journeys share."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, ViewportSize, expect

from tests.e2e.conftest import PHONE, ConsoleErrors, LiveServer
from tests.helpers import indonesian

# The Indonesian texts the pages show, as the catalogue translates them.
CREATE_PASSKEY = indonesian("Create my passkey", html=False)
SAVED_CODES = indonesian("I have saved my codes", html=False)
SIGN_IN_WITH_PASSKEY = indonesian("Sign in with a passkey", html=False)
SIGN_OUT = indonesian("Sign out", html=False)
SIGNED_OUT = indonesian("You have signed out.", html=False)
NOT_ALLOWED = indonesian(
    "The passkey was cancelled or your fingerprint/screen lock was not confirmed. Try again; if it "
    "keeps failing, use another device or ask the admin for an enrolment link.",
    html=False,
)
# A failed resource load (an expected 4xx page) is logged by Chromium as a console error.
NETWORK_ERROR = re.compile(r"Failed to load resource|net::ERR_")
# The virtual authenticator answers a conditional (autofill) request at once, as if the person had
# picked the passkey from the field: pages under this script sign in only through the button.
NO_AUTOFILL = (
    "if (window.PublicKeyCredential) "
    "PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);"
)


class VirtualAuthenticator:
    """One platform authenticator (fingerprint/screen lock) attached to one page."""

    def __init__(self, session: CDPSession, authenticator_id: str) -> None:
        self.session = session
        self.id = authenticator_id

    def credentials(self) -> list[dict[str, Any]]:
        result = self.session.send("WebAuthn.getCredentials", {"authenticatorId": self.id})
        credentials: list[dict[str, Any]] = result["credentials"]
        return credentials

    def add_credential(self, credential: dict[str, Any]) -> None:
        self.session.send(
            "WebAuthn.addCredential", {"authenticatorId": self.id, "credential": credential}
        )

    def remove(self) -> None:
        self.session.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": self.id})


def add_authenticator(
    context: BrowserContext, page: Page, *, user_verified: bool = True
) -> VirtualAuthenticator:
    session = context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    result = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": user_verified,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return VirtualAuthenticator(session, result["authenticatorId"])


def without_autofill(page: Page) -> Page:
    page.add_init_script(NO_AUTOFILL)
    return page


def new_phone(
    browser: Browser, server: LiveServer, console_errors: ConsoleErrors
) -> tuple[BrowserContext, Page]:
    """A second phone: its own cookies and authenticator, like the `context` fixture's."""
    viewport = ViewportSize(width=PHONE["width"], height=PHONE["height"])
    context = browser.new_context(
        viewport=viewport, is_mobile=True, has_touch=True, base_url=server.url, locale="id-ID"
    )
    page = context.new_page()
    page.on("console", console_errors.record)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    return context, page


def fill_registration(page: Page, *, role: str, name: str, phone: str) -> None:
    page.goto("/register")
    page.get_by_role("radio", name=role).check()
    page.get_by_label("Nama Anda").fill(name)
    page.get_by_label("Nomor WhatsApp").fill(phone)


def register(page: Page, *, role: str = "Penjahit", name: str, phone: str) -> list[str]:
    """Sign up with a passkey; returns the recovery codes the page shows, and stays there."""
    fill_registration(page, role=role, name=name, phone=phone)
    page.get_by_role("button", name=CREATE_PASSKEY).click()
    codes = page.locator("#recovery-codes code")
    expect(codes).to_have_count(10)
    return codes.all_inner_texts()


def go_home(page: Page, name: str) -> None:
    """From the recovery codes page, once the codes are written down."""
    page.get_by_role("link", name=SAVED_CODES).click()
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Halo, {name}")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=SIGN_OUT, exact=True).click()
    expect(page).to_have_url(re.compile(r"/login\?signed_out=1$"))
    expect(page.get_by_role("status")).to_have_text(SIGNED_OUT)


def sign_in(page: Page) -> None:
    """The discoverable sign-in: no username typed, the authenticator offers its passkey."""
    if "/login" not in page.url:
        page.goto("/login")
    page.get_by_role("button", name=SIGN_IN_WITH_PASSKEY).click()
    expect(page).to_have_url(re.compile(r"/home$"))


def stored_id(credential: dict[str, Any]) -> str:
    """CDP gives the credential id in base64; the app stores it in unpadded base64url."""
    return str(credential["credentialId"]).replace("+", "-").replace("/", "_").rstrip("=")


def unexpected(errors: list[str]) -> list[str]:
    return [error for error in errors if not NETWORK_ERROR.search(error)]

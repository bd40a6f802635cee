"""The `clothingline` command (create-admin, serve --demo) and demo sign-in."""

from __future__ import annotations

import dataclasses
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.accounts.services import Registration
from server.accounts.tables import Account
from server.app import create_app
from server.auth.sessions import SESSION_COOKIE
from server.auth.tables import Session
from server.demo import DEMO_ACCOUNTS, DemoModeRefused, check_demo_host
from server.settings import PROJECT_ROOT, Settings
from tests.builders.passkeys import register
from tests.conftest import TEST_ORIGIN, make_settings
from tests.haproxy import start_balancer
from tests.helpers import client_from, indonesian, post_form, post_json
from tests.processes import answers, free_port, stopped_afterwards, wait_until
from tests.webauthn_device import SoftAuthenticator

ENROLMENT_URL = re.compile(r"http://localhost:8000/enrol/([A-Za-z0-9_-]{43})")
INVALID_PHONE = indonesian(
    "That is not an Indonesian mobile number. Write it like 0812 3456 7890.",
    html=False,
)
PHONE_TAKEN = "Nomor WhatsApp ini sudah punya akun."
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 (what demo mode must refuse to bind)
SETTINGS_VARIABLES = ("DATABASE_URL", "DATA_DIR", "PUBLIC_ORIGIN", "HOST", "PORT", "DEMO")


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment of `clothingline` run on its own SQLite file."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "DATA_DIR": str(tmp_path),
        "PUBLIC_ORIGIN": TEST_ORIGIN,
    }


@pytest.fixture
def migrated_env(cli_env: dict[str, str]) -> dict[str, str]:
    result = clothingline(cli_env, "migrate")
    assert result.returncode == 0, result.stderr
    return cli_env


def clothingline(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def accounts_in(env: dict[str, str]) -> list[tuple[str, str, str]]:
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT role, name, phone FROM account").fetchall()
    return [(str(role), str(name), str(phone)) for role, name, phone in rows]


# create-admin ---------------------------------------------------------------------------------


async def test_create_admin_prints_one_working_enrolment_url(
    migrated_env: dict[str, str], tmp_path: Path, suite_database: None
) -> None:
    result = clothingline(
        migrated_env, "create-admin", "--name", "Budi Santoso", "--phone", "0811-2222-3333"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    match = ENROLMENT_URL.fullmatch(lines[0])
    assert match, result.stdout
    assert accounts_in(migrated_env) == [("admin", "Budi Santoso", "+6281122223333")]

    settings = make_settings(migrated_env["DATABASE_URL"], tmp_path / "app")
    async with AsyncTestClient(app=create_app(settings)) as client:
        page = await client.get(f"/enrol/{match.group(1)}")
        assert page.status_code == 200
        assert "Selamat datang, Budi Santoso" in page.text

        body = {"enrolment_token": match.group(1)}
        options = await post_json(client, "/auth/register/options", body)
        assert options.status_code == 200, options.text
        credential = SoftAuthenticator().create(options.json(), TEST_ORIGIN)
        verified = await post_json(client, "/auth/register/verify", credential)
        assert verified.status_code == 200, verified.text
        assert (await client.get("/admin/accounts")).status_code == 200
        assert (await client.get(f"/enrol/{match.group(1)}")).status_code == 410


@pytest.mark.parametrize("phone", ["12345", "021 345 6789", "+1 415 555 0100"])
def test_create_admin_refuses_invalid_phone(migrated_env: dict[str, str], phone: str) -> None:
    result = clothingline(migrated_env, "create-admin", "--name", "Budi Santoso", "--phone", phone)
    assert result.returncode != 0
    assert result.stdout == ""
    assert f"clothingline: {INVALID_PHONE}" in result.stderr
    assert "Traceback" not in result.stderr
    assert accounts_in(migrated_env) == []


def test_create_admin_refuses_phone_already_registered(migrated_env: dict[str, str]) -> None:
    first = clothingline(
        migrated_env, "create-admin", "--name", "Budi", "--phone", "0811-2222-3333"
    )
    assert first.returncode == 0, first.stderr
    again = clothingline(
        migrated_env, "create-admin", "--name", "Budi lagi", "--phone", "+62 811 2222 3333"
    )
    assert again.returncode != 0
    assert again.stdout == ""
    assert PHONE_TAKEN in again.stderr
    assert len(accounts_in(migrated_env)) == 1


# Demo mode: loopback only ---------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_demo_host_check_accepts_loopback(host: str) -> None:
    check_demo_host(host)


@pytest.mark.parametrize(
    "host", [ALL_INTERFACES, "192.168.1.10", "::", "10.0.0.1", "example.com", ""]
)
def test_demo_host_check_refuses_other_addresses(host: str) -> None:
    with pytest.raises(DemoModeRefused, match="loopback"):
        check_demo_host(host)


@pytest.mark.parametrize(
    ("args", "extra_env"),
    [
        (["--demo", "--host", ALL_INTERFACES], {}),
        (["--host", "192.168.1.10"], {"DEMO": "1"}),
        ([], {"DEMO": "1", "HOST": ALL_INTERFACES}),
        (["--demo"], {"PUBLIC_ORIGIN": "https://clothingline.example"}),
    ],
    ids=["flags", "demo-from-env", "both-from-env", "public-origin"],
)
def test_serve_refuses_demo_mode_on_public_address(
    cli_env: dict[str, str], args: list[str], extra_env: dict[str, str]
) -> None:
    env = {**cli_env, **extra_env}
    result = clothingline(env, "serve", "--port", str(free_port()), *args, timeout=30)
    assert result.returncode != 0
    assert "clothingline: demo mode only " in result.stderr
    assert "loopback" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def demo_server(migrated_env: dict[str, str]) -> Iterator[str]:
    """`clothingline serve --demo` on 127.0.0.1, as `DEMO=1 make run` starts it."""
    port = free_port()
    env = {**migrated_env, "PUBLIC_ORIGIN": f"http://localhost:{port}", "PUSH_WORKER": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--demo", "--port", str(port)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://localhost:{port}"
    try:
        with httpx.Client(base_url=url, timeout=5) as probe:
            for _ in range(300):
                assert process.poll() is None, process.communicate()[1]
                try:
                    if probe.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                threading.Event().wait(0.05)
            else:
                pytest.fail("clothingline serve --demo did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_served_demo_refuses_requests_relayed_by_a_proxy(demo_server: str) -> None:
    """uvicorn takes the client from X-Forwarded-For when the proxy is on 127.0.0.1, as the
    README's deployment has it; a header naming 127.0.0.1 itself is refused as well."""
    with httpx.Client(base_url=demo_server, timeout=10) as browser:
        assert browser.get("/demo").status_code == 200
        for forwarded in ("198.51.100.7", "127.0.0.1"):
            relayed = browser.get("/demo", headers={"X-Forwarded-For": forwarded})
            assert relayed.status_code == 404, forwarded
            sign_in = browser.post(
                "/demo/sign-in",
                data={"phone": DEMO_ACCOUNTS[2].phone, "_csrf_token": browser.cookies["csrftoken"]},
                headers={"X-Forwarded-For": forwarded},
            )
            assert sign_in.status_code == 404, forwarded
            assert SESSION_COOKIE not in sign_in.cookies
        own = browser.post(
            "/demo/sign-in",
            data={"phone": DEMO_ACCOUNTS[2].phone, "_csrf_token": browser.cookies["csrftoken"]},
            follow_redirects=False,
        )
        assert own.status_code == 303
        assert SESSION_COOKIE in own.cookies


def test_served_demo_is_refused_behind_the_haproxy_example(
    demo_server: str, tmp_path: Path
) -> None:
    """deploy/haproxy.cfg says that it relays (X-Forwarded-For), so nobody reaching the balancer
    gets the demo's accounts, though haproxy itself connects from 127.0.0.1."""
    port = free_port()
    balancer = start_balancer(port, [int(demo_server.rsplit(":", 1)[1])], tmp_path, os.environ)
    relayed = f"http://localhost:{port}"
    with stopped_afterwards([balancer]), httpx.Client(timeout=10) as browser:
        wait_until(partial(answers, f"{relayed}/healthz/ready"), "haproxy relays", [balancer])
        assert browser.get(f"{demo_server}/demo").status_code == 200
        assert browser.get(f"{relayed}/demo").status_code == 404
        sign_in = browser.post(
            f"{relayed}/demo/sign-in",
            data={"phone": DEMO_ACCOUNTS[2].phone, "_csrf_token": browser.cookies["csrftoken"]},
        )
        assert sign_in.status_code == 404
        assert SESSION_COOKIE not in sign_in.cookies


def test_create_app_refuses_demo_mode_on_public_address(settings: Settings) -> None:
    with pytest.raises(DemoModeRefused):
        create_app(dataclasses.replace(settings, demo=True, host=ALL_INTERFACES))


# Demo mode: sign-in without a passkey ---------------------------------------------------------


@pytest.fixture
async def demo_client(settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(dataclasses.replace(settings, demo=True))
    async with client_from(app, "127.0.0.1") as client:
        yield client


async def test_demo_page_offers_each_demo_account(demo_client: AsyncTestClient[Any]) -> None:
    page = await demo_client.get("/demo")
    assert page.status_code == 200
    assert page.text.count("Masuk sebagai") == 3
    for account in DEMO_ACCOUNTS:
        assert f"Masuk sebagai {account.name} (" in page.text
        assert f'name="phone" value="{account.phone}"' in page.text
    assert await Account.count() == 3


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: str(account.role))
async def test_demo_sign_in_starts_demo_session(
    demo_client: AsyncTestClient[Any], account: Registration
) -> None:
    response = await post_form(
        demo_client, "/demo/sign-in", {"phone": account.phone}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/home"
    assert SESSION_COOKIE in response.cookies
    sessions = await Session.select(Session.method, Session.account.role)
    assert sessions == [{"method": "demo", "account.role": account.role}]
    home = await demo_client.get("/home")
    assert home.status_code == 200
    assert f"Halo, {account.name}" in home.text


async def test_demo_sign_in_refuses_real_account(demo_client: AsyncTestClient[Any]) -> None:
    await register(demo_client, SoftAuthenticator(), phone="0812-3456-7890")
    await demo_client.post(
        "/auth/logout", headers={"x-csrftoken": demo_client.cookies["csrftoken"]}
    )
    response = await post_form(
        demo_client, "/demo/sign-in", {"phone": "+6281234567890"}, follow_redirects=False
    )
    assert response.status_code == 404
    assert SESSION_COOKIE not in response.cookies
    assert await Session.count() == 0


async def test_demo_pages_do_not_exist_without_demo_mode(client: AsyncTestClient[Any]) -> None:
    assert (await client.get("/demo")).status_code == 404
    phone = DEMO_ACCOUNTS[0].phone
    response = await post_form(client, "/demo/sign-in", {"phone": phone}, follow_redirects=False)
    assert response.status_code in (404, 405)
    assert await Account.count() == 0
    assert await Session.count() == 0

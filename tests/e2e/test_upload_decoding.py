"""Photo decoding over real HTTP to uvicorn: uploads arriving together decode a bounded number
at a time, and every one of them is still served (they wait, they are not refused)."""

from __future__ import annotations

import asyncio

import httpx

from server.media.images import DECODE_SLOTS, DECODES
from server.media.tables import Photo
from tests.builders.people import tailor
from tests.conftest import run_async
from tests.e2e.conftest import LiveServer
from tests.e2e.races import signed_in
from tests.images import png

UPLOADS = DECODE_SLOTS + 2


async def upload(client: httpx.AsyncClient, gate: asyncio.Event, photo: bytes) -> httpx.Response:
    await gate.wait()
    return await client.post(
        "/onboarding/portfolio",
        data={"_csrf_token": client.cookies["csrftoken"]},
        files={"photo": ("foto.png", photo, "image/png")},
    )


def test_uploads_at_once_wait_for_a_decode_slot(server: LiveServer) -> None:
    owner = server.call(tailor(name="Siti Rahayu"))
    # Large enough rasters (20 MP) that the decodes overlap when nothing holds them back.
    photos = [png(5000, 4000 + number) for number in range(UPLOADS)]

    async def together() -> list[httpx.Response]:
        clients = [await signed_in(server, owner) for _ in photos]
        gate = asyncio.Event()
        tasks = [
            asyncio.create_task(upload(client, gate, photo))
            for client, photo in zip(clients, photos, strict=True)
        ]
        await asyncio.sleep(0)
        DECODES.reset_peak()
        gate.set()
        try:
            return await asyncio.gather(*tasks)
        finally:
            for client in clients:
                await client.aclose()

    responses = run_async(together)
    assert [response.status_code for response in responses] == [200] * UPLOADS
    assert DECODES.peak == DECODE_SLOTS
    assert DECODES.running == 0
    stored = server.call(Photo.select(Photo.width).where(Photo.owner == owner).run())
    assert sorted(row["width"] for row in stored) == [1280] * UPLOADS

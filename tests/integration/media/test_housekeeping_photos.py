"""Nothing grows without bound: drafts hold only the form's fields, and the housekeeping tick
removes photos nothing uses any more, rows and files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from server import jobs as scheduler
from server.designers.tables import DesignerProfile
from server.media.services import SIZES, MediaStore, store_photo
from server.media.tables import Photo
from server.orders.dispatching.waves import DispatchSettings
from server.orders.posting.services import publish, save_draft
from server.orders.tables import OrderDraft
from tests.builders.orders import ORDER, order_form, post_order
from tests.builders.people import designer, signed_in
from tests.images import jpeg_with_gps, png

SETTINGS = DispatchSettings()


def files_of(store: MediaStore, photo: dict[str, Any]) -> list[bool]:
    return [store.storage.exists(store.key(photo["public_id"], size)) for size in SIZES]


async def exists(photo: dict[str, Any]) -> bool:
    return bool(await Photo.exists().where(Photo.id == photo["id"]))


async def test_a_draft_keeps_only_the_forms_fields_within_their_limits(
    client: AsyncTestClient[Any],
) -> None:
    await signed_in(client, "designer", "Dewi Kirana", "0813-5555-0000")
    response = await post_order(
        client,
        "draft",
        title="x" * 5000,  # beyond the form's 120
        junk="y" * 200_000,
        photo_ids=[f"{number:036d}" for number in range(50)],
    )
    assert response.status_code == 303
    draft = await OrderDraft.select(OrderDraft.data).first()
    data = json.loads(draft["data"]) if isinstance(draft["data"], str) else draft["data"]
    assert "junk" not in data and "title" not in data
    assert data["description"] == ORDER["description"] and data["city"] == ORDER["city"]
    assert len(json.dumps(data)) < 4_000
    page = await client.get(response.headers["location"])
    assert page.status_code == 200 and ORDER["description"] in page.text


async def test_the_tick_removes_unused_photos_and_keeps_the_rest(app: Litestar) -> None:
    store: MediaStore = app.state.media
    owner = await designer()
    old_logo = await store_photo(store, owner, "logo", png())
    logo = await store_photo(store, owner, "logo", png())
    await DesignerProfile.update({DesignerProfile.logo: logo["id"]}).where(
        DesignerProfile.account == owner
    )
    abandoned = await store_photo(store, owner, "order", jpeg_with_gps())
    in_draft = await store_photo(store, owner, "order", jpeg_with_gps())
    of_deleted_draft = await store_photo(store, owner, "order", jpeg_with_gps())
    published = await store_photo(store, owner, "order", jpeg_with_gps())
    portfolio = await store_photo(store, owner, "portfolio", png())
    await save_draft(owner, {"photo_ids": [str(in_draft["public_id"])]}, None)
    gone = await save_draft(owner, {"photo_ids": [str(of_deleted_draft["public_id"])]}, None)
    await OrderDraft.delete().where(OrderDraft.public_id == UUID(str(gone)))
    await publish(owner, order_form(), [published["id"]])
    later = datetime.now(UTC) + timedelta(days=2)
    just_uploaded = await store_photo(store, owner, "order", jpeg_with_gps())
    await Photo.update({Photo.created_at: later - timedelta(hours=1)}).where(
        Photo.id == just_uploaded["id"]
    )
    every = [old_logo, logo, abandoned, in_draft, of_deleted_draft, published, portfolio]
    assert all(all(files_of(store, photo)) for photo in [*every, just_uploaded])

    done = await scheduler.tick(SETTINGS, later, media=store)

    removed = [old_logo, abandoned, of_deleted_draft]
    assert sorted(done.swept_photos) == sorted(photo["id"] for photo in removed)
    for photo in removed:
        assert not await exists(photo)
        assert files_of(store, photo) == [False, False]
    for photo in (logo, in_draft, published, portfolio, just_uploaded):
        assert await exists(photo)
        assert files_of(store, photo) == [True, True]
    assert (await scheduler.tick(SETTINGS, later, media=store)).swept_photos == []


async def test_a_tick_without_the_media_store_leaves_photos_alone(app: Litestar) -> None:
    store: MediaStore = app.state.media
    owner = await designer()
    abandoned = await store_photo(store, owner, "order", jpeg_with_gps())
    later = datetime.now(UTC) + timedelta(days=2)
    assert (await scheduler.tick(SETTINGS, later)).swept_photos == []
    assert await exists(abandoned) and files_of(store, abandoned) == [True, True]

import asyncio
from typing import Any
from uuid import UUID

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from server.auth.guards import current_user
from server.media.services import SIZES, MediaStore, viewable_photo


@get("/media/{public_id:uuid}/{size:str}")
async def photo_file(
    request: Request[Any, Any, Any], public_id: FromPath[UUID], size: FromPath[str]
) -> Response[bytes]:
    """A photo, to those who may see it; anyone else gets the same 404 as for a missing one."""
    size = size.removesuffix(".webp")
    if size not in SIZES:
        raise NotFoundException()
    row = await viewable_photo(public_id, current_user(request))
    if row is None:
        raise NotFoundException()
    store: MediaStore = request.app.state.media
    data = await asyncio.to_thread(store.read, public_id, size)
    if data is None:
        raise NotFoundException()
    # Photos never change under their id; private ones must not sit in shared caches.
    return Response(
        data,
        media_type="image/webp",
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )

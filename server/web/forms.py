"""Reading submitted forms: repeated fields and uploaded files."""

from typing import Annotated, Any

from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def as_list(value: Any) -> list[str]:
    """A field that may come once, several times, or not at all (checkboxes)."""
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


async def upload_bytes(value: Any) -> bytes:
    """The content of an uploaded file field; empty when no file was chosen."""
    if isinstance(value, UploadFile):
        return await value.read()
    return b""

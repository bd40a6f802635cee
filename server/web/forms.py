"""Reading submitted forms: repeated fields and uploaded files."""

from collections.abc import Mapping
from typing import Annotated, Any

from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]

# A submitted form as a service's parser reads it: each field once (text), several times
# (checkboxes), or an uploaded file. Parsers turn it into a typed form record.
FormFields = Mapping[str, str | list[str] | UploadFile | list[UploadFile]]


def as_list(value: Any) -> list[Any]:
    """A field that may come once, several times, or not at all, its items as they came
    (text, or uploaded files)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def as_texts(value: Any) -> list[str]:
    """The same for a text field (checkboxes): every item as text."""
    return [str(item) for item in as_list(value)]


async def upload_bytes(value: Any) -> bytes:
    """The content of an uploaded file field; empty when no file was chosen."""
    if isinstance(value, UploadFile):
        return await value.read()
    return b""

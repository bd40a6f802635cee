from piccolo.columns import UUID, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.table import Table

from server.accounts.tables import Account


class Photo(Table):
    """A re-encoded upload: two WebP files on disk, named by the random public id."""

    id: Serial
    public_id = UUID(default=UUID4(), unique=True, index=True)
    owner = ForeignKey(references=Account, index=True)
    kind = Varchar(length=20)
    width = Integer()
    height = Integer()
    small_width = Integer()
    small_height = Integer()
    created_at = Timestamptz(default=TimestamptzNow())

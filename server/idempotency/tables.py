from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import Account


class IdempotencyKey(Table):
    """A one-shot action's key and what it answered, so a replay gets the same answer. Unique
    on (account, key): a raw index, as Piccolo declares only single-column ones."""

    id: Serial
    account = ForeignKey(references=Account)
    key = Varchar(length=100)
    action = Varchar(length=300)
    request_hash = Varchar(length=64)
    status = Integer(default=0)
    location = Varchar(length=500, default="")
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)

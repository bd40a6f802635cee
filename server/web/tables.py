from piccolo.columns import DoublePrecision, Varchar
from piccolo.table import Table


class RateLimitCounter(Table):
    """One rate-limit key's GCRA state, shared by every process on the database: `tat` is the
    theoretical arrival time (Unix seconds) of its next request. A row whose `tat` is past is
    spent and may be pruned at any time."""

    key = Varchar(length=200, primary_key=True)
    tat = DoublePrecision(index=True)

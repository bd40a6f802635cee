from piccolo.columns import Float, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import Account
from server.orders.tables import Order


class DispatchDecision(Table):
    """Why an order did or did not reach a tailor, wave by wave: readable by the admin,
    and by the tailor for their own row ("why you")."""

    id: Serial
    order = ForeignKey(references=Order, index=True)
    tailor = ForeignKey(references=Account, index=True)
    wave = Integer()
    outcome = Varchar(length=12)  # alerted | excluded | waiting (eligible, not in this wave)
    reason = Varchar(length=32)
    distance_km = Float(null=True, default=None)
    score = Float(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())

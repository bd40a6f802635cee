"""Ratings after completion: each side rates the other once, within 14 days.

A rating counts towards the other's average at once, but its stars and words are shown to them
only once they have rated too, or once the 14 days are over: nobody rates in reply to what they
just read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from piccolo.query.functions.aggregate import Avg, Count

from server.clock import now
from server.db import transaction
from server.designers import services as designers
from server.designers.tables import DesignerProfile
from server.notifications.kinds import AlertKind
from server.notifications.services import Alert, notify
from server.orders.alerts import order_alert
from server.orders.parties import order_for_party, other_party, side_of, touch
from server.orders.records import OrderRecord, ReviewRecord
from server.orders.refusals import TrackingError
from server.orders.tables import OrderStatus, Review
from server.tailors import services as tailors
from server.tailors.tables import TailorProfile
from server.text import typed_text
from server.web.i18n import gettext as _

REVIEW_DAYS = 14
COMMENT_MAX = 500
STARS = (1, 2, 3, 4, 5)


def closes_at(order: OrderRecord) -> datetime | None:
    """Until when this order can be rated; None before completion."""
    return rating_deadline(order.status, order.completed_at)


def rating_deadline(status: str, completed_at: datetime | None) -> datetime | None:
    """Until when an order with this status and completion time can be rated."""
    if status != OrderStatus.COMPLETED or completed_at is None:
        return None
    if completed_at.tzinfo is None:
        completed_at = completed_at.replace(tzinfo=UTC)
    return completed_at + timedelta(days=REVIEW_DAYS)


def clean_stars(stars: str) -> int:
    try:
        value = int(stars.strip())
    except ValueError:
        raise TrackingError("stars_invalid") from None
    if value not in STARS:
        raise TrackingError("stars_invalid")
    return value


def clean_comment(comment: str) -> str:
    comment = typed_text(comment)
    if len(comment) > COMMENT_MAX:
        raise TrackingError("comment_too_long")
    return comment


async def rate(
    public_id: UUID, account_id: int, stars: str, comment: str = "", *, at: datetime | None = None
) -> ReviewRecord:
    """This party rates the other; their profile's average and count follow in the same
    transaction. Returns the review."""
    moment = at or now()
    async with transaction():
        order = await order_for_party(public_id, account_id)
        side = side_of(order, account_id)
        subject = other_party(order, account_id)
        assert side is not None and subject is not None
        until = closes_at(order)
        if until is None:
            raise TrackingError("not_completed")
        if moment >= until:
            raise TrackingError("reviews_closed")
        value, text = clean_stars(stars), clean_comment(comment)
        rows = await (
            Review.insert(
                Review(
                    order=order.id,
                    author=account_id,
                    subject=subject,
                    pair=f"{order.id}:{account_id}",
                    stars=value,
                    comment=text,
                    created_at=moment,
                )
            )
            .on_conflict(target=Review.pair, action="DO NOTHING")
            .returning(*ReviewRecord.columns())
        )
        if not rows:
            raise TrackingError("already_reviewed")
        await recount(subject, "tailor" if side == "designer" else "designer")
        await touch(order.id)
        rated_back = await Review.exists().where(Review.pair == f"{order.id}:{subject}")
        await notify(subject, AlertKind.ORDER_UPDATE, review_alert(order, side, value, rated_back))
    return ReviewRecord.from_row(rows[0])


async def recount(subject: int, subject_side: str) -> None:
    """The subject's average and count, from every rating they were given."""
    totals = await (
        Review.select(Avg(Review.stars, alias="average"), Count(Review.id, alias="count"))
        .where(Review.subject == subject)
        .first()
    )
    count = int(totals["count"]) if totals else 0
    average = round(float(totals["average"]), 2) if count and totals else None
    if subject_side == "tailor":
        profile = await tailors.profile_of(subject)
        await TailorProfile.update(
            {TailorProfile.rating_average: average, TailorProfile.rating_count: count}
        ).where(TailorProfile.id == profile["id"])
    else:
        profile = await designers.profile_of(subject)
        await DesignerProfile.update(
            {DesignerProfile.rating_average: average, DesignerProfile.rating_count: count}
        ).where(DesignerProfile.id == profile["id"])


def review_alert(
    order: OrderRecord, author_side: str, stars: int, rated_back: bool
) -> Callable[[], Alert]:
    def alert() -> Alert:
        if rated_back:
            body = _("You were rated %(stars)s of 5 stars.", stars=stars)
        elif author_side == "designer":
            body = _("The designer rated you. Rate them too within 14 days to read it.")
        else:
            body = _("The tailor rated you. Rate them too within 14 days to read it.")
        return order_alert(order.public_id, _("New rating: %(title)s", title=order.title), body)

    return alert


@dataclass(frozen=True)
class ReviewState:
    """What the order page shows of the ratings once the order is completed. A party (`side`)
    sees their own rating and the other's once it may be read; an admin (side None) reads
    both, `by_designer` and `by_tailor`."""

    side: str | None
    open: bool
    until: datetime
    by_designer: ReviewRecord | None = None
    by_tailor: ReviewRecord | None = None
    can_rate: bool = False
    mine: ReviewRecord | None = None
    theirs: ReviewRecord | None = None
    theirs_hidden: bool = False
    stars: tuple[int, ...] = STARS


async def review_state(order: OrderRecord, account_id: int) -> ReviewState | None:
    """What the order page shows of the ratings, for this viewer; None before completion."""
    until = closes_at(order)
    if until is None:
        return None
    side = side_of(order, account_id)
    reviews = {
        row.author: row
        for row in ReviewRecord.from_rows(
            await Review.raw(f'{ReviewRecord.select_sql()} WHERE "order" = {{}}', order.id)
        )
    }
    is_open = now() < until
    if side is None:  # an admin reads both
        return ReviewState(
            side=None,
            open=is_open,
            until=until,
            by_designer=reviews.get(order.designer),
            by_tailor=reviews.get(order.assigned_tailor) if order.assigned_tailor else None,
        )
    other = other_party(order, account_id)
    mine = reviews.get(account_id)
    theirs = reviews.get(other) if other is not None else None
    return ReviewState(
        side=side,
        open=is_open,
        until=until,
        can_rate=is_open and mine is None,
        mine=mine,
        theirs=theirs if (mine is not None or not is_open) else None,
        theirs_hidden=theirs is not None and mine is None and is_open,
    )

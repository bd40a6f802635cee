"""The production part of an order page, for its designer, its tailor and admins: one polled
region (status, progress, timeline, payments, cancellation, ratings) with its own ETag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any

from litestar import Request, Response
from litestar.response import Template

from server.auth.sessions import CurrentUser
from server.orders.cancellations.services import CancellationState, cancellation_view
from server.orders.page.queries import Event, ProductionReads, production_reads
from server.orders.parties import assigned_tailor, side_of
from server.orders.payments.services import PaymentState, payment_view
from server.orders.posting.services import ReferencePhoto
from server.orders.production.services import stage_names
from server.orders.production.stages import (
    SAMPLE_REJECTED,
    Stage,
    Step,
    actor_of,
    next_stage,
    plan,
    progress_percent,
)
from server.orders.records import OrderRecord
from server.orders.reviews.services import ReviewState, review_state
from server.orders.tables import OrderStatus
from server.orders.thread.services import ThreadState, settle_bell, thread_state
from server.web import i18n
from server.web.conditional import etag, etag_headers, unchanged
from server.web.render import render

DATA_SAVER_COOKIE = "data_saver"


def data_saver(request: Request[Any, Any, Any]) -> bool:
    """ "Hemat data": this device wants no photos until tapped."""
    return request.cookies.get(DATA_SAVER_COOKIE) == "1"


def production_etag(request: Request[Any, Any, Any], order: OrderRecord, user: CurrentUser) -> str:
    """Everything the region depends on: the order's revision, who looks, in which language,
    with or without photos, and today (lateness moves with the date)."""
    return etag(
        "production",
        order.id,
        order.revision,
        str(order.status),  # the value, as when orders were rows
        user.account_id,
        user.role,
        i18n.get_locale(),
        data_saver(request),
        i18n.local_today().isoformat(),
    )


def reached_dates(events: list[Event]) -> dict[str, date]:
    """The day each stage was (last) reached; a sent-back sample is reached again later."""
    reached: dict[str, date] = {}
    for event in events:
        if event.kind == SAMPLE_REJECTED:
            reached.pop(Stage.SAMPLE_MADE, None)
        else:
            reached[event.kind] = i18n.local_date(event.at)
    return reached


@lru_cache(maxsize=4096)
def _moment_text(moment: datetime, zone: tzinfo, locale: str) -> str:
    return i18n.format_datetime(moment)  # in this zone and language: the caller's context


def moment_text(moment: datetime) -> str:
    """`moment | datetime` as the reader sees it, formatted once per process: the timeline
    shows the same few moments on every visit and poll."""
    return _moment_text(moment, i18n.get_timezone(), i18n.get_locale())


@dataclass(frozen=True)
class TimelineEntry:
    """A reached step as the timeline lists it: when, and how many days after it was due."""

    event: Event
    at: str
    late_days: int


def timeline(events: list[Event], expected: dict[str, date]) -> list[TimelineEntry]:
    entries = []
    for event in events:
        due = expected.get(event.kind)
        late = 0
        if due is not None and event.kind != Stage.CONFIRMED:
            late = max(0, (i18n.local_date(event.at) - due).days)
        entries.append(TimelineEntry(event, moment_text(event.at), late))
    return entries


def schedule(order: OrderRecord, events: list[Event]) -> tuple[date, date, list[Step]]:
    assert order.assigned_at is not None, "scheduled once a tailor is assigned"
    start = i18n.local_date(order.assigned_at)
    ready_by = order.agreed_ready_by or order.deadline
    return start, ready_by, plan(order.sample_first, start, ready_by, reached_dates(events))


@dataclass(frozen=True)
class ProductionView:
    """What the polled region shows; its fields are the template's names (`vars(view)`)."""

    side: str | None
    events: list[Event]
    timeline: list[TimelineEntry]
    steps: list[Step]
    stage_names: dict[str, str]
    progress: int
    upcoming: Stage | None
    upcoming_actor: str | None
    start: date
    ready_by: date
    day: int
    days: int
    late: list[Step]
    this_day: date
    expected: dict[str, date]
    live: bool
    data_saver: bool
    poll_seconds: int
    production_etag: str
    payments: PaymentState
    cancellation: CancellationState
    reviews: ReviewState | None


@dataclass(frozen=True)
class OrderPageProduction(ProductionView):
    """The whole order page in production: the region, the thread below it, and the order's
    reference photos (read with the region)."""

    thread: ThreadState
    reference_photos: list[ReferencePhoto]


async def production_context(
    request: Request[Any, Any, Any],
    order: OrderRecord,
    user: CurrentUser,
    *,
    tag: str | None = None,
    reads: ProductionReads | None = None,
) -> ProductionView:
    """What the polled region shows (`tag`: its ETag, `reads`: its lists, when the caller has
    them already)."""
    today = i18n.local_today()
    if reads is None:
        reads = await production_reads(order.id)
    events = reads.events
    start, ready_by, steps = schedule(order, events)
    upcoming = (
        next_stage(order.stage, order.sample_first)
        if order.status == OrderStatus.ASSIGNED
        else None
    )
    late = [step for step in steps if step.reached is None and step.late_days(today) > 0]
    side = side_of(order, user.account_id)
    expected: dict[str, date] = {step.stage: step.expected for step in steps}
    return ProductionView(
        side=side,
        events=events,
        timeline=timeline(events, expected),
        steps=steps,
        stage_names=stage_names(),
        progress=progress_percent(order.stage, order.sample_first),
        upcoming=upcoming,
        upcoming_actor=actor_of(upcoming) if upcoming else None,
        start=start,
        ready_by=ready_by,
        day=(today - start).days + 1,
        days=max(1, (ready_by - start).days),
        late=late,
        this_day=today,
        expected=expected,
        live=order.status == OrderStatus.ASSIGNED,
        data_saver=data_saver(request),
        poll_seconds=request.app.state.settings.poll_seconds,
        production_etag=tag or production_etag(request, order, user),
        payments=payment_view(order, side, reads.payments),
        cancellation=cancellation_view(order, user.account_id, reads.cancellations),
        reviews=await review_state(order, user.account_id),
    )


async def order_page_context(
    request: Request[Any, Any, Any], order: OrderRecord, user: CurrentUser
) -> OrderPageProduction:
    """The whole order page in production: the region, and the thread below it (read by
    whoever opens the page, so its alerts leave the bell)."""
    reads = await production_reads(order.id)
    region = await production_context(request, order, user, reads=reads)
    thread = await thread_state(order, user.account_id, poll_seconds=region.poll_seconds)
    return OrderPageProduction(
        **vars(region), thread=settle_bell(request, thread), reference_photos=reads.photos
    )


async def production_fragment(
    request: Request[Any, Any, Any],
    order: OrderRecord,
    user: CurrentUser,
    *,
    problem: str | None = None,
    status_code: int = 200,
) -> Response[Any] | Template:
    """The polled region alone: 304 when the browser holds this version already."""
    tag = production_etag(request, order, user)
    if problem is None:
        not_modified = unchanged(request, tag)
        if not_modified is not None:
            return not_modified
    region = await production_context(request, order, user, tag=tag)
    return render(
        request,
        "orders/production_fragment.html",
        block="production",
        status_code=status_code,
        headers=etag_headers(tag),
        order=order,
        user=user,
        problem=problem,
        # The designer's and admins' heading names the tailor (sent with the region).
        tailor=await assigned_tailor(order) if region.side != "tailor" else None,
        **vars(region),
    )

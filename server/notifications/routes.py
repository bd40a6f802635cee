"""Alerts: the settings page, this browser's push subscription, and the in-app list."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from babel import dates
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server.auth.guards import signed_in, user_of
from server.auth.sessions import CurrentUser, describe_device
from server.notifications import inbox, subscriptions
from server.notifications.kinds import kind_labels
from server.notifications.preferences import kinds_for, parse_preferences, save_preferences
from server.notifications.refusals import PreferenceError, SubscriptionError
from server.notifications.services import preferences_of
from server.web import i18n
from server.web.forms import as_texts
from server.web.refusals import refused
from server.web.render import render, wants_fragment
from server.web.urls import safe_next

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
NO_STORE = {"Cache-Control": "no-store"}
SETTINGS_URL = "/account/notifications"
SUBSCRIPTION_BODY_MAX = 16 * 1024  # a browser's subscription is well under 1 KB


def zone_name(zone: str) -> str:
    """WIB, WITA or WIT: Indonesia's own names, in every language."""
    return str(dates.get_timezone_name(datetime.now(ZoneInfo(zone)), width="short", locale="id"))


async def json_object(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    try:
        data = json.loads(await request.body())
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
        return None
    return data if isinstance(data, dict) else None


def allow_local_endpoints(request: Request[Any, Any, Any]) -> bool:
    return bool(request.app.state.settings.push_allow_local_endpoints)


async def devices_of(user: CurrentUser) -> list[dict[str, Any]]:
    return [
        {**row, "this_device": row["session"] == user.session_id}
        for row in await subscriptions.list_subscriptions(user.account_id)
    ]


async def settings_page(
    request: Request[Any, Any, Any],
    *,
    block: str = "devices",
    status_code: int | None = None,
    refusal: PreferenceError | None = None,
    form: dict[str, Any] | None = None,
    saved: bool = False,
) -> Template:
    user = user_of(request)
    preferences = await preferences_of(user.account_id)
    kinds = kinds_for(user.role)
    if form is None:
        enabled: set[str] = {kind for kind in kinds if kind not in preferences.disabled_kinds}
        values = {
            "quiet_start": preferences.quiet_start.strftime("%H:%M"),
            "quiet_end": preferences.quiet_end.strftime("%H:%M"),
            "new_orders_per_hour": str(preferences.new_orders_per_hour),
        }
    else:
        enabled = set(as_texts(form.get("kinds")))
        values = {key: str(form.get(key, "")) for key in ("quiet_start", "quiet_end")}
        values["new_orders_per_hour"] = str(form.get("new_orders_per_hour", ""))
    devices = await devices_of(user)
    labels = kind_labels()
    return refused(
        request,
        refusal,
        "notifications/settings.html",
        block=block,
        field="form",
        status_code=status_code,
        headers=NO_STORE,
        user=user,
        application_server_key=request.app.state.vapid.public_key,
        devices=devices,
        this_device_on=any(device["this_device"] for device in devices),
        kinds=[(kind, labels[kind]) for kind in kinds],
        enabled=enabled,
        values=values,
        zone=zone_name(user.timezone),
        errors={},
        saved=saved,
    )


class AlertSettingsController(Controller):
    path = SETTINGS_URL
    guards = [signed_in]

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        return await settings_page(request, saved=request.query_params.get("saved") == "1")

    @post("/", status_code=200)
    async def save(self, request: Request[Any, Any, Any], data: FormData) -> Template | Redirect:
        user = user_of(request)
        try:
            preferences = parse_preferences(
                user.role,
                enabled=as_texts(data.get("kinds")),
                quiet_start=str(data.get("quiet_start", "")),
                quiet_end=str(data.get("quiet_end", "")),
                new_orders_per_hour=data.get("new_orders_per_hour"),
                current=await preferences_of(user.account_id),
            )
        except PreferenceError as error:
            return await settings_page(request, block="preferences", refusal=error, form=data)
        await save_preferences(user.account_id, preferences)
        if wants_fragment(request):
            return await settings_page(request, block="preferences", saved=True)
        return Redirect(f"{SETTINGS_URL}?saved=1", status_code=303)


class PushSubscriptionController(Controller):
    """This browser's Web Push subscription, made by static/js/push.js."""

    path = "/push/subscriptions"
    guards = [signed_in]

    @post("/", status_code=201, request_max_body_size=SUBSCRIPTION_BODY_MAX)
    async def subscribe(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        user = user_of(request)
        data = await json_object(request)
        if data is None:
            return refused(request, SubscriptionError("bad_subscription"))
        try:
            await subscriptions.save_subscription(
                user.account_id,
                user.session_id,
                data,
                describe_device(request.headers.get("user-agent", "")),
                allow_local=allow_local_endpoints(request),
            )
        except SubscriptionError as error:
            return refused(request, error)
        return Response({"ok": True}, status_code=201, headers=NO_STORE)

    @post("/{public_id:uuid}/delete", status_code=200)
    async def remove(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID]
    ) -> Template | Redirect:
        found = await subscriptions.remove_subscription(user_of(request).account_id, public_id)
        if found and not wants_fragment(request):
            return Redirect(SETTINGS_URL, status_code=303)
        return await settings_page(request, status_code=200 if found else 404)


def same_origin(request: Request[Any, Any, Any]) -> bool:
    """A request the app's own pages or service worker made: browsers mark every fetch with
    Sec-Fetch-Site, and a POST with Origin. Without a CSRF token (the service worker holds
    none), a cross-site form or fetch is refused by these."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("origin")
    return origin is not None and origin == request.app.state.settings.public_origin


@post(
    "/push/subscription-change",
    status_code=200,
    guards=[signed_in],
    request_max_body_size=SUBSCRIPTION_BODY_MAX,
)
async def subscription_change(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """The service worker renewed this browser's subscription. It holds no CSRF token, so the
    request must come from our origin with the session cookie, and the old endpoint must be
    one of this account's."""
    if not same_origin(request):
        return refused(request, SubscriptionError("cross_site"))
    data = await json_object(request)
    old_endpoint = data.get("old_endpoint") if data else None
    subscription = data.get("subscription") if data else None
    if not isinstance(old_endpoint, str) or not isinstance(subscription, dict):
        return refused(request, SubscriptionError("bad_subscription"))
    try:
        await subscriptions.replace_subscription(
            user_of(request).account_id,
            old_endpoint,
            subscription,
            allow_local=allow_local_endpoints(request),
        )
    except SubscriptionError as error:
        return refused(request, error)
    return Response({"ok": True}, headers=NO_STORE)


class NotificationsController(Controller):
    """The in-app list: what a push said, kept even when the push was lost."""

    path = "/notifications"
    guards = [signed_in]

    async def list_page(
        self, request: Request[Any, Any, Any], *, all_read: bool = False
    ) -> Template:
        rows = await inbox.recent(user_of(request).account_id)
        labels = kind_labels()
        now = datetime.now(UTC)
        notifications = [
            {
                **row,
                "label": labels.get(row["kind"], row["kind"]),
                "ago": i18n.relative_time(row["created_at"], now),
            }
            for row in rows
        ]
        return render(
            request,
            "notifications/list.html",
            block="notifications",
            headers=NO_STORE,
            notifications=notifications,
            unread=sum(1 for row in rows if row["read_at"] is None),
            # After "mark all read" by htmx, the header's bell is swapped too (out of band).
            oob_bell=all_read,
        )

    @get("/")
    async def list_notifications(self, request: Request[Any, Any, Any]) -> Template:
        return await self.list_page(request)

    @get("/{public_id:uuid}")
    async def open(self, request: Request[Any, Any, Any], public_id: FromPath[UUID]) -> Redirect:
        url = await inbox.open_notification(user_of(request).account_id, public_id)
        if url is None:
            raise NotFoundException()
        return Redirect(safe_next(url, "/notifications"), status_code=303)

    @post("/mark-all-read", status_code=200)
    async def mark_all_read(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        await inbox.mark_all_read(user_of(request).account_id)
        if wants_fragment(request):
            return await self.list_page(request, all_read=True)
        return Redirect("/notifications", status_code=303)

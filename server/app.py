"""create_app(settings) -> Litestar: every controller is listed here."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.plugins.htmx import HTMXPlugin
from litestar.stores.memory import MemoryStore
from litestar.template.config import TemplateConfig
from litestar.types import ControllerRouterHandler

from server import demo
from server.admin.cohort_routes import AdminCohortsController
from server.admin.dashboard_routes import AdminDashboardController
from server.admin.directory_routes import AdminTailorsController
from server.admin.dispute_routes import AdminDisputesController
from server.admin.routes import AdminAccountsController
from server.admin.verification_routes import AdminVerificationController
from server.auth.account_routes import AccountController
from server.auth.middleware import session_middleware
from server.auth.routes import PasskeyApiController, SignInPagesController
from server.compression import compression_config
from server.db import close_database, open_database, use_database
from server.designers.routes import BusinessProfileController
from server.files import private_directory
from server.home import HomeController
from server.idempotency.forms import key_input
from server.idempotency.routes import outbox_token
from server.jobs import background_jobs, warn_no_background_work
from server.media.routes import photo_file
from server.media.services import MediaStore
from server.notifications.bell import unread_count_middleware
from server.notifications.routes import (
    AlertSettingsController,
    NotificationsController,
    PushSubscriptionController,
    subscription_change,
)
from server.notifications.sender import ICON_PATH
from server.notifications.vapid import load_vapid_keys
from server.orders.cancellations.routes import CancellationController
from server.orders.lists.routes import WorkListController
from server.orders.offers.routes import JobsController, TailorOrderController
from server.orders.page.routes import OrderPageController
from server.orders.payments.routes import PaymentController
from server.orders.posting.routes import DesignerOrderController, OrderFormController
from server.orders.production.routes import ProductionController, data_saver_switch
from server.orders.reviews.routes import ReviewController
from server.orders.thread.routes import ThreadController
from server.privacy.routes import PersonalDataController, privacy_page
from server.settings import Settings, check_local_push, check_shared_secrets, get_settings
from server.tailors.routes import (
    AvailabilityController,
    OnboardingController,
    TailorProfileController,
)
from server.web import assets, health, pages, pwa
from server.web.bodies import multipart_body_middleware
from server.web.connection import shared_connection_middleware
from server.web.errors import EXCEPTION_HANDLERS
from server.web.middleware import (
    account_key,
    language_middleware,
    private_responses_hook,
    security_headers_hook,
)
from server.web.outbox import outbox_middleware, refusal_headers_hook
from server.web.ratelimit import (
    STORE_NAME,
    DatabaseRateLimiter,
    RateLimiter,
    rate_limit_middleware,
)
from server.web.templates import build_environment, template_engine

ROUTES: list[ControllerRouterHandler] = [
    pages.home,
    pages.offline,
    pages.choose_language,
    pwa.web_manifest,
    pwa.service_worker,
    health.live,
    health.ready,
    assets.static_file,
    PasskeyApiController,
    SignInPagesController,
    HomeController,
    AccountController,
    PersonalDataController,
    privacy_page,
    AdminAccountsController,
    AdminDashboardController,
    AdminVerificationController,
    AdminTailorsController,
    AdminCohortsController,
    photo_file,
    OnboardingController,
    AvailabilityController,
    TailorProfileController,
    BusinessProfileController,
    AlertSettingsController,
    PushSubscriptionController,
    subscription_change,
    NotificationsController,
    OrderPageController,
    OrderFormController,
    DesignerOrderController,
    JobsController,
    TailorOrderController,
    ProductionController,
    data_saver_switch,
    PaymentController,
    ThreadController,
    ReviewController,
    CancellationController,
    WorkListController,
    AdminDisputesController,
    outbox_token,
]
# Whole-path patterns (Litestar searches anywhere in the path, so each is anchored at both ends):
# GET-only files that must not set the CSRF cookie, and the service worker's renewal post.
CSRF_EXEMPT_PATHS = (
    r"^/static/[^/]+/.+$",
    r"^/sw\.js$",
    r"^/manifest\.webmanifest$",
    r"^/healthz(/live|/ready)?$",
    r"^/push/subscription-change$",
)


def create_app(settings: Settings | None = None) -> Litestar:
    if settings is None:
        check_shared_secrets(os.environ)  # as `clothingline serve` does
        settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    if settings.demo:
        demo.check_demo_settings(settings.host, settings.public_origin)
    check_local_push(settings)
    private_directory(settings.data_dir)
    engine = use_database(settings.database_url)
    catalogue = assets.AssetCatalogue()
    # One process counts in memory; processes sharing a database count in it (README).
    rate_limit_store = MemoryStore()
    rate_limiter = (
        DatabaseRateLimiter(settings.rate_limits, postgres=settings.postgres)
        if settings.shared_rate_limits
        else RateLimiter(rate_limit_store, settings.rate_limits)
    )
    # Domains' template helpers; web itself imports no domain.
    # The outbox on the phone keeps each action under the account that took it (X-Account's key).
    environment = build_environment(
        catalogue,
        idempotency_input=key_input,
        outbox_account=lambda user: account_key(settings.secret_key, user.account_id),
    )

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if not settings.push_worker:
            warn_no_background_work()
        await open_database(engine, settings.database_pool_size)
        if settings.demo:
            await demo.ensure_demo_accounts()
        try:
            yield
        finally:
            await close_database(engine)

    @asynccontextmanager
    async def jobs_lifespan(app: Litestar) -> AsyncIterator[None]:
        async with background_jobs(
            settings, keys=app.state.vapid, icon=catalogue.url(ICON_PATH), media=app.state.media
        ):
            yield

    background = [jobs_lifespan] if settings.push_worker else []
    return Litestar(
        route_handlers=[*ROUTES, *([demo.DemoController] if settings.demo else [])],
        lifespan=[lifespan, *background],
        plugins=[HTMXPlugin()],
        template_config=TemplateConfig(engine=template_engine(environment)),
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_secure=settings.secure_cookies,
            cookie_samesite="lax",
            # The service worker holds no CSRF token: its renewal checks the session and origin.
            exclude=list(CSRF_EXEMPT_PATHS),
        ),
        compression_config=compression_config(),
        middleware=[
            outbox_middleware,
            shared_connection_middleware,
            language_middleware,
            session_middleware,
            rate_limit_middleware,
            unread_count_middleware,
            multipart_body_middleware,
        ],
        before_send=[
            security_headers_hook(hsts=settings.secure_cookies),
            private_responses_hook(settings.secret_key),
            refusal_headers_hook,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        stores={STORE_NAME: rate_limit_store},
        state=State(
            {
                "settings": settings,
                "rate_limiter": rate_limiter,
                "assets": catalogue,
                "service_worker": pwa.service_worker_script(catalogue),
                "media": MediaStore.open(settings),
                "vapid": load_vapid_keys(
                    settings.data_dir, settings.vapid_private_key, settings.vapid_subject
                ),
            }
        ),
        openapi_config=None,
    )

"""Piccolo's configuration: the engine and every domain's app.

`server.db.use_database()` replaces `DB` when the app or a test picks a database.
"""

import os

from piccolo.conf.apps import AppRegistry

from server.db import make_engine
from server.settings import database_url_from_env

DB = make_engine(database_url_from_env(os.environ))

APP_REGISTRY = AppRegistry(
    apps=[
        "server.accounts.piccolo_app",
        "server.auth.piccolo_app",
        "server.media.piccolo_app",
        "server.admin.piccolo_app",
        "server.tailors.piccolo_app",
        "server.designers.piccolo_app",
        "server.notifications.piccolo_app",
        "server.orders.piccolo_apps.orders",
        "server.orders.piccolo_apps.dispatch",
        "server.orders.piccolo_apps.tracking",
        "server.idempotency.piccolo_app",
        "server.web.piccolo_app",
    ]
)

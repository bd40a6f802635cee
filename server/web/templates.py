"""The Jinja environment: components/ folder, i18n, formatting filters, static URLs."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine

from server.clock import now
from server.settings import PROJECT_ROOT
from server.web import i18n
from server.web.assets import AssetCatalogue
from server.web.deleted import translate_deleted_names

COMPONENTS_DIR = PROJECT_ROOT / "components"


def from_json(value: Any) -> Any:
    """JSON columns come back as text on some engines and as values on others."""
    return json.loads(value) if isinstance(value, str) else value


def build_environment(assets: AssetCatalogue, **extra_globals: Any) -> Environment:
    env = Environment(
        loader=FileSystemLoader(COMPONENTS_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=translate_deleted_names,
        # Templates ship with the code: no stat of every template and include per render.
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.translations_for(i18n.get_locale()).ugettext(message),
        ngettext=lambda singular, plural, n: i18n.translations_for(i18n.get_locale()).ungettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.globals.update(
        static=assets.url,
        current_locale=i18n.get_locale,
        language_name=i18n.language_name,
        locales=i18n.LOCALES,
        utcnow=now,
        **extra_globals,
    )
    env.globals["icons"] = env.get_template("ui/icons.html").make_module()
    env.globals["labels"] = env.get_template("ui/labels.html").make_module()
    env.globals["ui"] = env.get_template("ui/macros.html").make_module()
    env.globals["today"] = i18n.local_today
    env.filters.update(
        rupiah=i18n.rupiah,
        number=i18n.number,
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        isoformat=lambda moment: moment.isoformat(timespec="seconds"),
        local_date=i18n.local_date,
        fromjson=from_json,
        label_of=lambda code, labels: labels.get(code, code),
    )
    return env


def template_engine(env: Environment) -> Any:
    return JinjaTemplateEngine.from_environment(env)

"""The Jinja environment: components/ folder, i18n, formatting filters, static URLs."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from server.clock import now
from server.settings import PROJECT_ROOT
from server.web import i18n
from server.web.assets import AssetCatalogue
from server.web.deleted import translate_deleted_names

COMPONENTS_DIR = PROJECT_ROOT / "components"


def from_json(value: Any) -> Any:
    """JSON columns come back as text on some engines and as values on others."""
    return json.loads(value) if isinstance(value, str) else value


# A page says a hundred fixed sentences: each is translated and marked safe once per language.
# Safe as Jinja's own gettext makes it: the catalogue is ours, and what goes in is escaped.
def safe_translation(text: str) -> Markup:
    return Markup(text)  # noqa: S704 - the catalogue's sentences, never a person's input


@lru_cache(maxsize=4096)
def translated(locale: str, message: str) -> Markup:
    return safe_translation(i18n.translations_for(locale).ugettext(message)) % {}


@lru_cache(maxsize=1024)
def translated_format(locale: str, message: str) -> Markup:
    return safe_translation(i18n.translations_for(locale).ugettext(message))


def template_gettext(message: str, **variables: Any) -> Markup:
    """`_()` in a template, as Jinja's newstyle gettext: the translation is safe, what goes
    into it escaped, and `%%` is always a percent sign; without Jinja's context look-ups."""
    locale = i18n.get_locale()
    if not variables:
        return translated(locale, message)
    return translated_format(locale, message) % variables


def template_ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
    text = i18n.translations_for(i18n.get_locale()).ungettext(singular, plural, n)
    return safe_translation(text) % {"num": n, **variables}


class Icons:
    """components/ui/icons.html, each icon drawn once per size: the header alone draws four on
    every page, the same bytes each time."""

    def __init__(self, module: Any) -> None:
        self.use = lru_cache(maxsize=256)(module.use)


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
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    env.globals.update(
        static=assets.url,
        current_locale=i18n.get_locale,
        language_name=i18n.language_name,
        locales=i18n.LOCALES,
        utcnow=now,
        **extra_globals,
    )
    env.globals["icons"] = Icons(env.get_template("ui/icons.html").make_module())
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

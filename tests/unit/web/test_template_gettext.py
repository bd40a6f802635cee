"""Templates translate as Jinja's newstyle gettext does, language by language."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment, Template

from server.web import i18n
from server.web.assets import AssetCatalogue
from server.web.templates import build_environment

SAMPLE = (
    "{{ _(message) }}|{{ _(message, name=name, num=3) }}"
    "|{{ ngettext(message, message, 2, name=name) }}|{{ ngettext(message, message, 1) }}"
)
MARKUP = '<b>"Siti" & co</b>'


def jinja_environment() -> Environment:
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.translations_for(i18n.get_locale()).ugettext(message),
        ngettext=lambda singular, plural, n: i18n.translations_for(i18n.get_locale()).ungettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    return env


def rendered(template: Template, message: str) -> str:
    try:
        return template.render(message=message, name=MARKUP)
    except (ValueError, TypeError, KeyError) as error:
        return f"refused: {type(error).__name__}"


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_catalogue_sentence_renders_as_jinja_would_render_it(locale: str) -> None:
    # English is the msgids themselves: Indonesian's catalogue lists every sentence.
    with (i18n.CATALOGUE_DIR / "id" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        messages = [m.id for m in read_po(handle) if m.id and isinstance(m.id, str)]
    messages += ["100%% sure", "%(name)s asked", "%(num)d pieces"]
    ours_env = build_environment(AssetCatalogue())
    ours, jinja = ours_env.from_string(SAMPLE), jinja_environment().from_string(SAMPLE)
    i18n.set_locale(locale)
    try:
        different = [m for m in messages if rendered(ours, m) != rendered(jinja, m)]
    finally:
        i18n.set_locale(i18n.DEFAULT_LOCALE)

    assert len(messages) > 100
    assert different == []
    escaped = ours_env.from_string("{{ _('%(name)s asked', name=name) }}").render(name=MARKUP)
    assert escaped == "&lt;b&gt;&#34;Siti&#34; &amp; co&lt;/b&gt; asked"

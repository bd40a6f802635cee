"""Icons drawn once per size are the icons the macro draws, unescaped in a page."""

from __future__ import annotations

from server.web.assets import AssetCatalogue
from server.web.templates import build_environment


def test_each_icon_is_the_macros_own_svg_every_time() -> None:
    env = build_environment(AssetCatalogue())
    macro = env.get_template("ui/icons.html").make_module().use
    page = env.from_string(
        "{{ icons.use('pin', 18) }}{{ icons.use('pin', 18) }}{{ icons.use('bell') }}"
    )

    drawn = page.render()

    assert drawn == str(macro("pin", 18)) * 2 + str(macro("bell"))
    assert drawn.startswith('<svg class="icon" width="18" height="18"')

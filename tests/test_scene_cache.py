"""A diagram's cached scene is named by everything that shapes it, however many names one cache makes."""

from __future__ import annotations

from pathlib import Path

from deckbuild.diagrams.cache import SceneCache
from deckbuild.measure import Measurer
from deckbuild.theme import DiagramStyle

SOURCE = "graph TD\n  A --> B"


def test_a_scene_name_changes_with_the_source_style_fonts_and_tool_and_with_nothing_else():
    cache, style = SceneCache(Path("scenes"), "tool 1"), DiagramStyle()
    fonts = Measurer("Noto Sans CJK KR", "Noto Sans Mono CJK KR")
    name = cache.key(SOURCE, style, fonts)
    others = {
        cache.key(SOURCE + "\n  B --> C", style, fonts),
        cache.key(SOURCE, DiagramStyle(font_size=12.0), fonts),
        cache.key(SOURCE, style, Measurer("Noto Sans CJK KR", "DejaVu Sans Mono")),
        cache.key(SOURCE, style, Measurer("Noto Sans CJK KR", "Noto Sans Mono CJK KR", safety=1.0)),
        SceneCache(Path("scenes"), "tool 2").key(SOURCE, style, fonts),
    }
    assert name not in others and len(others) == 5
    assert cache.key(SOURCE, DiagramStyle(), fonts) == name  # asked again after other styles and fonts
    assert SceneCache(Path("elsewhere"), "tool 1").key(SOURCE, style, Measurer(fonts.body_family, fonts.mono_family)) == name

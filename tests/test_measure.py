"""Font metrics: advance widths read once per font file and kept in the user's cache."""

from __future__ import annotations

from deckbuild import measure
from deckbuild.measure import font_advances, locate


def test_advances_are_cached_and_a_damaged_cache_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    font = locate("Noto Sans CJK KR")
    fresh = font_advances(font)
    assert 0.8 < fresh[ord("가")] <= 1.0 and 0.2 < fresh[ord("a")] < 0.7
    [cached] = (tmp_path / "deckbuild" / "font-facts").iterdir()
    measure._kept_facts.clear()  # as a new process: read from the cache folder
    assert font_advances(font) == fresh
    cached.write_bytes(b"not marshal data")
    measure._kept_facts.clear()
    assert font_advances(font) == fresh


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert 0.8 < font_advances(locate("Noto Sans CJK KR"))[ord("한")] <= 1.0

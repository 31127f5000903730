"""Themes: the built-in default, a course's own theme, and fonts to measure with."""

import shutil

import pytest
from conftest import SAMPLE_COURSE

from deckbuild.theme import BUILTIN_THEMES, ThemeError, load_theme


def test_default_theme_loads_with_its_files():
    theme = load_theme("default", SAMPLE_COURSE)
    assert theme.fonts.east_asian and theme.sizes.min_body == 16 and theme.sizes.min_code == 12
    assert theme.files == (BUILTIN_THEMES / "default" / "theme.toml",)
    assert theme.fonts.metrics_body == theme.fonts.east_asian


def test_course_theme_overrides_and_names_fonts_to_measure_with(tmp_path):
    folder = tmp_path / "themes" / "school"
    folder.mkdir(parents=True)
    text = (BUILTIN_THEMES / "default" / "theme.toml").read_text(encoding="utf-8")
    text = text.replace('east_asian = "Noto Sans CJK KR"', 'east_asian = "Malgun Gothic"\nmeasure_body = "Noto Sans CJK KR"')
    (folder / "theme.toml").write_text(text, encoding="utf-8")
    theme = load_theme("school", tmp_path)
    assert theme.fonts.east_asian == "Malgun Gothic" and theme.fonts.metrics_body == "Noto Sans CJK KR"


def test_missing_theme_and_missing_keys_are_errors(tmp_path):
    with pytest.raises(ThemeError, match="not found"):
        load_theme("nope", tmp_path)
    folder = tmp_path / "themes" / "broken"
    shutil.copytree(BUILTIN_THEMES / "default", folder)
    (folder / "theme.toml").write_text("[fonts]\nlatin = 'x'\n", encoding="utf-8")
    with pytest.raises(ThemeError, match="lacks"):
        load_theme("broken", tmp_path)

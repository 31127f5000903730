"""Themes: the look of every output, read from `themes/<name>/theme.toml`.

A theme is searched first in the course's own `themes/` folder, then among the
themes shipped beside the package, so a course can override the default look.
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

BUILTIN_THEMES = Path(__file__).resolve().parents[2] / "themes"


class ThemeError(Exception):
    """A theme that cannot be found or read."""


@dataclass(frozen=True)
class Fonts:
    """Font family names written into decks, per PowerPoint script slot.

    measure_body and measure_mono name the installed fonts whose metrics the
    planner measures with, when the fonts decks ask for (say Malgun Gothic) are
    not installed on the build machine; they default to east_asian and mono.
    embed turns embedding the fonts into decks on or off.
    """

    latin: str
    east_asian: str
    mono: str
    measure_body: str = ""
    measure_mono: str = ""
    form: str = "DejaVu Sans"  # fillable PDF fields: embedded whole, so a small font; readers substitute for Hangul input
    embed: bool = True  # embed the deck fonts in each .pptx (font_embedding.py), so they travel with it

    @property
    def metrics_body(self) -> str:
        return self.measure_body or self.east_asian

    @property
    def metrics_mono(self) -> str:
        return self.measure_mono or self.mono


@dataclass(frozen=True)
class Colors:
    """RGB hex colours (no '#')."""

    background: str
    title: str
    text: str
    muted: str
    accent: str
    code_background: str
    code_border: str
    table_header: str
    table_header_text: str
    table_stripe: str
    quote_bar: str


@dataclass(frozen=True)
class DiagramStyle:
    """Default look of diagrams where the Mermaid source sets none (hex colours, points)."""

    node_fill: str = "E8F0FE"
    node_stroke: str = "1976D2"
    frame_fill: str = "F6F8FB"
    frame_stroke: str = "90A4AE"
    note_fill: str = "FFF8C5"
    note_stroke: str = "C9A227"
    edge: str = "455A64"
    text: str = "1F2933"
    label_fill: str = "FFFFFF"
    font_size: float = 14.0
    min_font_size: float = 10.0


@dataclass(frozen=True)
class Sizes:
    """Type sizes in points, with the smallest the planner may shrink to."""

    title: float
    subtitle: float
    body: float
    code: float
    table: float
    caption: float
    min_body: float
    min_code: float
    min_table: float


@dataclass(frozen=True)
class SlideGeometry:
    """Slide size and fixed regions, in inches."""

    width: float
    height: float
    margin: float
    title_height: float


@dataclass(frozen=True)
class FooterStyle:
    """What the band under every slide but the title slide shows."""

    footer: bool = True  # the footer text (course · session, or course.toml's [deck] footer)
    numbers: bool = True  # the slide number


@dataclass(frozen=True)
class Theme:
    """A loaded theme and the files it came from (build dependencies)."""

    name: str
    fonts: Fonts
    colors: Colors
    sizes: Sizes
    slide: SlideGeometry
    diagram: DiagramStyle
    pygments_style: str
    files: tuple[Path, ...]
    footer: FooterStyle = FooterStyle()



def find_theme_dir(name: str, course_root: Path) -> Path:
    """The folder of theme `name`: the course's own, else the built-in one."""
    for base in (course_root / "themes", BUILTIN_THEMES):
        candidate = base / name
        if (candidate / "theme.toml").is_file():
            return candidate
    raise ThemeError(f"theme '{name}' not found in {course_root / 'themes'} or {BUILTIN_THEMES}")


def _section(cls: type, data: dict, table: str, source: Path):
    values = data.get(table, {})
    required = [f.name for f in fields(cls) if f.default is MISSING]
    missing = [n for n in required if n not in values]
    if missing:
        raise ThemeError(f"{source}: [{table}] lacks {', '.join(missing)}")
    return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})


def load_theme(name: str, course_root: Path) -> Theme:
    """Load theme `name` for the course at course_root."""
    folder = find_theme_dir(name, course_root)
    source = folder / "theme.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ThemeError(f"{source}: {error}") from error
    return Theme(
        name=name,
        fonts=_section(Fonts, data, "fonts", source),
        colors=_section(Colors, data, "colors", source),
        sizes=_section(Sizes, data, "sizes", source),
        slide=_section(SlideGeometry, data, "slide", source),
        diagram=_section(DiagramStyle, data, "diagram", source),
        pygments_style=data.get("code", {}).get("pygments_style", "default"),
        files=tuple(sorted(p for p in folder.rglob("*") if p.is_file())),
        footer=_section(FooterStyle, data, "footer", source),
    )

"""Document blocks → HTML for handouts. Every text is escaped here; nothing from the
markdown reaches the page unescaped.

Code is highlighted by Pygments with classes (one span per token run, styled
by one stylesheet, which keeps WeasyPrint fast); Mermaid blocks become inline
SVG drawn from the same Scene the decks use.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter

from .code_style import lexer_for, style_for
from .diagrams.cache import SceneCache
from .diagrams.model import MermaidError
from .diagrams.scene import TURN_GAIN, Scene
from .diagrams.to_svg import scene_to_svg
from .document import (
    Block,
    CodeBlock,
    Diagram,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
    Table,
)
from .i18n import text as ui_text
from .images import image_size, resolve_image
from .measure import Measurer
from .templating import keep_words
from .theme import Theme

CONTENT_WIDTH = 480.0  # points available between A4 margins for a diagram
CONTENT_HEIGHT = 560.0  # points a diagram may take of an A4 page, with room for its lead-in and caption


def _page_fit(scene: Scene) -> float:
    """The scale (at most 1) at which a scene fits the width and height an A4 page gives it."""
    return min(1.0, CONTENT_WIDTH / scene.width, CONTENT_HEIGHT / scene.height)


def page_arrangement(scene: Scene) -> Scene:
    """The scene, or its other arrangement when that reads much larger on an A4 page
    (a long left-to-right chain is drawn top to bottom)."""
    other = max(scene.alternatives, key=_page_fit, default=scene)
    return other if _page_fit(other) >= TURN_GAIN * _page_fit(scene) else scene


def diagram_alt(scene: Scene, language: str) -> str:
    """What a diagram's picture says to a reader who cannot see it: its type and description."""
    return f"{ui_text(language, 'diagram_' + scene.kind)}: {scene.description}"


_FORMATTER = HtmlFormatter(nowrap=True, cssclass="code")
_SLUG = re.compile(r"[^\w\-]+", re.UNICODE)


def code_css(style: str) -> str:
    """The stylesheet that colours highlighted code."""
    return HtmlFormatter(style=style_for(style)).get_style_defs(".code")


class Anchors:
    """Unique, readable ids for headings (duplicate headings are common in real courses), each
    starting with prefix (so ids made for different sessions never meet)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.used: set[str] = set()

    def make(self, text: str) -> str:
        base = self.prefix + (_SLUG.sub("-", text.strip().lower()).strip("-") or "section")
        anchor, number = base, 2
        while anchor in self.used:
            anchor, number = f"{base}-{number}", number + 1
        self.used.add(anchor)
        return anchor


class HtmlWriter:
    """Writes the blocks of one course's documents as HTML fragments."""

    def __init__(self, theme: Theme, language: str, scenes: SceneCache, anchors: Anchors, course_root: Path) -> None:
        self.course_root = course_root
        self.theme = theme
        self.language = language
        self.scenes = scenes
        self.anchors = anchors
        self.measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
        self.heading_level = 2  # of the last heading written: the blocks come under the session's title, an h2

    def blocks(self, blocks: tuple[Block, ...] | list[Block], heading_shift: int, source: Path) -> str:
        return "\n".join(self.block(block, heading_shift, source) for block in blocks)

    def block(self, block: Block, heading_shift: int, source: Path) -> str:
        if isinstance(block, Heading):
            # never deeper than one below the heading before: a screen reader's outline skips no level
            level = self.heading_level = min(block.level + heading_shift, self.heading_level + 1, 6)
            anchor = self.anchors.make(block.title)
            minutes = f' <span class="minutes">{escape(ui_text(self.language, "minutes", n=block.minutes))}</span>' if block.minutes else ""
            emoji = f"{escape(block.emoji)} " if block.emoji else ""
            return (f'<h{level} id="{anchor}" data-title="{escape(block.title, quote=True)}">'
                    f'{emoji}{escape(keep_words(block.title))}{minutes}</h{level}>')
        if isinstance(block, Paragraph):
            centred = ' class="center"' if block.centered else ""
            return f"<p{centred}>{self.runs(block.runs, source)}</p>"
        if isinstance(block, ListBlock):
            return self.list_block(block, heading_shift, source)
        if isinstance(block, Table):
            return self.table(block, source)
        if isinstance(block, CodeBlock):
            return self.code(block.text, block.language)
        if isinstance(block, Diagram):
            return self.diagram(block)
        if isinstance(block, Image):
            return self.image(block.src, block.alt, source)
        if isinstance(block, Quote):
            return f"<blockquote>{self.blocks(block.blocks, heading_shift, source)}</blockquote>"
        if isinstance(block, Rule):
            return "<hr>"
        return ""

    def runs(self, runs: tuple[Run, ...], source: Path) -> str:
        parts = []
        for run in runs:
            if run.text == "\n":
                parts.append("<br>")
                continue
            if run.image:
                parts.append(self.inline_image(run.image, run.text, source))
                continue
            html = escape(run.text if run.code else keep_words(run.text))
            if run.code:
                html = f"<code>{html}</code>"
            if run.bold:
                html = f"<strong>{html}</strong>"
            if run.italic:
                html = f"<em>{html}</em>"
            if run.strike:
                html = f"<s>{html}</s>"
            if run.link and not run.link.startswith("#"):
                html = f'<a href="{escape(run.link, quote=True)}">{html}</a>'
            parts.append(html)
        return "".join(parts)

    def list_block(self, block: ListBlock, heading_shift: int, source: Path) -> str:
        items = []
        for item in block.items:
            mark = ""
            if item.checked is not None:
                mark = '<span class="task">☑</span> ' if item.checked else '<span class="task">☐</span> '
            body = self.blocks(item.blocks, heading_shift, source)
            items.append(f"<li>{mark}{body}</li>" if not mark else f'<li class="task-item">{mark}{body}</li>')
        if block.ordered:
            start = f' start="{block.start}"' if block.start != 1 else ""
            return f"<ol{start}>{''.join(items)}</ol>"
        return f"<ul>{''.join(items)}</ul>"

    def table(self, table: Table, source: Path) -> str:
        def cells(row, tag):
            out = []
            for index, cell in enumerate(row):
                align = table.aligns[index] if index < len(table.aligns) and table.aligns[index] else None
                style = f' style="text-align:{align}"' if align else ""
                out.append(f"<{tag}{style}>{self.runs(cell, source)}</{tag}>")
            return "".join(out)

        head = f"<thead><tr>{cells(table.header, 'th')}</tr></thead>"
        body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in table.rows)
        return f"<table>{head}<tbody>{body}</tbody></table>"

    def code(self, code: str, language: str) -> str:
        body = highlight(code, lexer_for(language, stripnl=False), _FORMATTER).rstrip("\n")
        label = f'<span class="language">{escape(language)}</span>' if language else ""
        return f'<div class="code-block">{label}<pre class="code"><code>{body}</code></pre></div>'

    def diagram(self, diagram: Diagram) -> str:
        try:
            scene = self.scenes.scene(diagram.source, diagram.kind, self.measure, self.theme.diagram)
        except MermaidError as error:
            caption = ui_text(self.language, "diagram_failed", kind=diagram.kind or "mermaid", reason=error.message)
            return f'{self.code(diagram.source, "text")}<p class="caption">{escape(keep_words(caption))}</p>'
        scene = page_arrangement(scene)
        svg = scene_to_svg(scene, self.theme.fonts.east_asian, diagram_alt(scene, self.language), scale=_page_fit(scene))
        return f'<figure class="diagram">{svg}</figure>'

    def image(self, src: str, alt: str, source: Path) -> str:
        path, _ = resolve_image(src, source, self.course_root)
        if path is None:  # remote, missing, outside the course or not a usable picture: a visible placeholder
            notice = escape(ui_text(self.language, "image_missing", src=src))
            return f'<figure class="missing-image"><p>{escape(keep_words(alt))}</p><p class="address">{notice}</p></figure>'
        if not alt:  # decorative: drawn as a background, which a tagged PDF keeps out of the text (an artifact)
            width, height = image_size(path)
            return (f'<figure class="image decorative" style="width: {width:.0f}px"><div style="padding-top: {height / width:.3%}; '
                    f'background-image: url(&quot;{escape(path.as_uri(), quote=True)}&quot;)"></div></figure>')
        caption = f"<figcaption>{escape(keep_words(alt))}</figcaption>"
        return f'<figure class="image"><img src="{escape(path.as_uri(), quote=True)}" alt="{escape(alt, quote=True)}">{caption}</figure>'

    def inline_image(self, src: str, alt: str, source: Path) -> str:
        path, _ = resolve_image(src, source, self.course_root)
        if path is None:
            return f'<span class="missing-inline">[{escape(alt or src)}]</span>'
        if not alt:  # decorative, as a background (see image)
            width, height = image_size(path)
            return (f'<span class="inline decorative" style="width: {1.2 * width / height:.2f}em; '
                    f'background-image: url(&quot;{escape(path.as_uri(), quote=True)}&quot;)"></span>')
        return f'<img class="inline" src="{escape(path.as_uri(), quote=True)}" alt="{escape(alt, quote=True)}">'

"""HTML from the Jinja2 templates in handouts/: the environment, and Korean word keeping.

Kept apart from pdf.py so that pages that are only HTML (the release's
download page) do not load WeasyPrint.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parents[2] / "handouts"


_BETWEEN_SYLLABLES = re.compile("(?<=[\uac00-\ud7a3])(?=[\uac00-\ud7a3])")
WORD_JOINER = "\u2060"


def keep_words(text: str) -> str:
    """Korean text that breaks only between words: a word joiner between Hangul syllables.

    WeasyPrint does not implement `word-break: keep-all` and would break Hangul
    words anywhere; the joiner is invisible and not part of the copied text.
    """
    return _BETWEEN_SYLLABLES.sub(WORD_JOINER, text)


def css_string(text: str) -> Markup:
    """text as a quoted CSS string, safe inside a <style> element (where HTML escapes do not apply):
    quotes, backslashes, angle brackets, ampersands and control characters become CSS hex escapes."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 0x20 or c == "\x7f" else c for c in text)
    return Markup(f'"{escaped}"')


def templates():
    """The Jinja2 environment over handouts/, with autoescaping on. Jinja2 loads here, in the processes
    that render pages: the build process only needs TEMPLATES, the folder every PDF depends on."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["keep_words"] = keep_words
    environment.filters["css_string"] = css_string
    return environment

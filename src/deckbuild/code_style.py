"""Pygments lookups shared by the deck and handout writers, with plain-text and default fallbacks."""

from __future__ import annotations

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.util import ClassNotFound


def lexer_for(language: str, **options) -> Lexer:
    """The lexer for a fence's language; untagged or unknown languages are plain text."""
    try:
        return get_lexer_by_name(language or "text", **options)
    except ClassNotFound:
        return get_lexer_by_name("text", **options)


def style_for(name: str) -> StyleMeta:
    """The Pygments style a theme names, or Pygments' default when it does not exist."""
    try:
        return get_style_by_name(name)
    except ClassNotFound:
        return get_style_by_name("default")

"""Pygments lookups shared by the deck, slide PDF and handout writers, with plain-text and default fallbacks."""

from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=64)
def token_colours(language: str, style_name: str, default: str):
    """A function colouring one code line: [(text, RGB hex)], neighbours of one colour merged (slides and slide PDFs)."""
    lexer = lexer_for(language, stripnl=False, ensurenl=False)
    style = style_for(style_name)

    def colour(line: str) -> list[tuple[str, str]]:
        pieces: list[tuple[str, str]] = []
        for token_type, text in lexer.get_tokens(line):
            if not text:
                continue
            while not style.styles_token(token_type) and token_type.parent is not None:
                token_type = token_type.parent
            hex_colour = style.style_for_token(token_type).get("color") or default
            if pieces and pieces[-1][1] == hex_colour:
                pieces[-1] = (pieces[-1][0] + text, hex_colour)
            else:
                pieces.append((text, hex_colour))
        return pieces

    return colour

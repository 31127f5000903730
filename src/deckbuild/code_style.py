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


LEXED_LINES = 20_000  # coloured lines a process keeps per language and style before starting afresh


@lru_cache(maxsize=64)
def token_colours(language: str, style_name: str, default: str):
    """A function colouring one code line: ((text, RGB hex), …), neighbours of one colour merged (slides
    and slide PDFs).

    Spaces show no colour, so a run of them joins the piece before it (or, at the start of a line,
    the piece after it): `docker run -d` is one piece, not five, and a code slide holds half the runs.
    A line is lexed once per build process: lines repeat within a deck (blank lines, closing
    brackets, a block shown again) and across a course's decks (its commands and file headers)."""
    lexer = lexer_for(language, stripnl=False, ensurenl=False)
    style = style_for(style_name)
    token_colour: dict = {}  # token type → RGB hex, looked up in the style once

    def colour_of(token_type) -> str:
        styled = token_type
        while not style.styles_token(styled) and styled.parent is not None:
            styled = styled.parent
        token_colour[token_type] = style.style_for_token(styled).get("color") or default
        return token_colour[token_type]

    lexed: dict[str, tuple[tuple[str, str], ...]] = {}

    def colour(line: str) -> tuple[tuple[str, str], ...]:
        pieces = lexed.get(line)
        if pieces is None:
            if len(lexed) >= LEXED_LINES:
                lexed.clear()
            pieces = lexed[line] = tuple(lex(line))
        return pieces

    def lex(line: str) -> list[tuple[str, str]]:
        pieces: list[tuple[str, str]] = []
        leading = ""  # spaces before the first piece
        for token_type, text in lexer.get_tokens(line):
            if not text:
                continue
            if text.isspace():
                if pieces:
                    pieces[-1] = (pieces[-1][0] + text, pieces[-1][1])
                else:
                    leading += text
                continue
            hex_colour = token_colour.get(token_type) or colour_of(token_type)
            if pieces and pieces[-1][1] == hex_colour:
                pieces[-1] = (pieces[-1][0] + text, hex_colour)
            else:
                pieces.append((leading + text, hex_colour))
                leading = ""
        if leading:  # a line of spaces only
            pieces.append((leading, default))
        return pieces

    return colour

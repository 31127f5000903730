"""Code colouring: the pieces a line is cut into, and each line lexed once per build process."""

from __future__ import annotations

from pygments.lexers.shell import BashLexer

from deckbuild import code_style
from deckbuild.code_style import token_colours


def test_a_line_is_cut_into_coloured_pieces_with_spaces_joined_to_the_piece_before():
    colour = token_colours("python", "default", "222222")
    pieces = colour("  name = 'web'  # 웹 서버")
    assert "".join(text for text, _ in pieces) == "  name = 'web'  # 웹 서버"
    assert all(not text.isspace() for text, _ in pieces)
    assert len({hex_colour for _, hex_colour in pieces}) > 1  # the string and the comment have colours of their own


def test_a_line_seen_before_is_not_lexed_again(monkeypatch):
    colour = token_colours("bash", "monokai", "111111")
    lexed = []
    original = BashLexer.get_tokens
    monkeypatch.setattr(BashLexer, "get_tokens", lambda self, text, *rest: lexed.append(text) or original(self, text, *rest))
    first = colour("echo 'once'")
    assert colour("echo 'once'") is first
    assert lexed == ["echo 'once'"]


def test_the_kept_lines_are_bounded(monkeypatch):
    monkeypatch.setattr(code_style, "LEXED_LINES", 3)
    colour = token_colours("python", "default", "333333")
    first = colour("x = 1")
    for number in range(3):
        colour(f"y = {number}")
    assert colour("x = 1") == first and colour("x = 1") is not first  # lexed again after the fresh start

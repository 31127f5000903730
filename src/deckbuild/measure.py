"""Text metrics from the real font files, so the planner knows what fits before writing.

Fonts are located through fontconfig (`fc-match`) and their advance widths
read with fontTools. Widths are in points.
Lines break as PowerPoint breaks Korean: between words, and inside a word
only when the word alone is longer than the line. Characters a font lacks
(emoji in a CJK font) are measured in the emoji font the renderer falls back
to. LibreOffice widens the gap where Hangul meets Latin text; that gap is
counted too, so what fits here fits in PowerPoint and LibreOffice alike.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from fontTools.ttLib import TTCollection, TTFont

from .files import user_cache, write_atomically

EMOJI_FAMILY = "Noto Color Emoji"
SCRIPT_GAP = 0.2  # ems LibreOffice adds where Hangul meets Latin letters, digits or punctuation
_INVISIBLE = frozenset("\u200d\ufe0f\ufe0e\u200b")
LINE_PITCH = 1.2  # baseline-to-baseline distance in ems, written into decks as exact spacing
METRICS_VERSION = 1  # bump when the cached advance tables change shape
SAFETY = 1.1  # room for differences between our metrics and the presenting app's (LibreOffice draws spaces wider)


class FontNotFound(Exception):
    """fontconfig knows no font file for a family."""


@dataclass(frozen=True)
class FontFile:
    """One face inside a font file (collections hold several)."""

    path: str
    index: int


@functools.lru_cache(maxsize=None)
def harfbuzz_face(path: str, index: int):
    """HarfBuzz's face of one face of a font file, opened once per process: a face made again for
    each subset maps the file again and fills its table caches again (a CJK cut takes a third longer)."""
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(path), index)


@functools.lru_cache(maxsize=None)
def locate(family: str, bold: bool = False) -> FontFile:
    """The file fontconfig uses for family (and weight)."""
    pattern = f"{family}:bold" if bold else family
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}", pattern], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise FontNotFound(f"fc-match failed for '{family}': {error}") from error
    path, _, index = result.stdout.partition("\n")
    if not path:
        raise FontNotFound(f"no font file for '{family}'")
    return FontFile(path, int(index or 0))


class Face:
    """Advance widths of one font face, in ems per character it has.

    Characters the face lacks are measured in the emoji font when it has them
    (that is what PowerPoint and LibreOffice fall back to), else one em.
    """

    def __init__(self, font_file: FontFile, fallback: "Face | None" = None) -> None:
        self.advances = font_advances(font_file)
        self.fallback = fallback
        self._widths: dict[str, float] = {}

    def has(self, char: str) -> bool:
        return ord(char) in self.advances

    def char_width_em(self, char: str) -> float:
        width = self._widths.get(char)
        if width is None:
            advance = self.advances.get(ord(char))
            if advance is not None:
                width = advance
            elif char in _INVISIBLE:
                width = 0.0
            elif self.fallback is not None and self.fallback.has(char):
                width = self.fallback.char_width_em(char)
            else:
                width = 1.0
            self._widths[char] = width
        return width


def font_advances(font_file: FontFile) -> dict[int, float]:
    """{code point: advance width in ems} for every character of a face (reading a CJK font's
    tables takes most of a second, so it is a kept font fact)."""
    return font_fact(font_file, lambda: _read_advances(font_file), f"advances {METRICS_VERSION}")


def _read_advances(font_file: FontFile) -> dict[int, float]:
    font = _open(font_file)
    metrics, units_per_em = font["hmtx"].metrics, font["head"].unitsPerEm
    return {code: metrics[glyph][0] / units_per_em for code, glyph in font.getBestCmap().items()}


def font_fact(font_file: FontFile, read: Callable[[], object], what: str):
    """What read() learns from one face of an installed font file (its advance widths, names, digest).

    Reading a CJK font file takes tens of milliseconds and more, and every build process would
    read it again for its first deck. So the value is kept in the user's cache folder, keyed by
    what, the face and the file's path, size and date (values marshal can store; without a
    writable cache it is simply read each time), and in the process for the next caller."""
    stat = os.stat(font_file.path)
    key = f"{what}|{font_file.path}|{font_file.index}|{stat.st_size}|{stat.st_mtime_ns}"
    folder = user_cache("font-facts")
    if (key, folder) in _kept_facts:
        return _kept_facts[key, folder]
    cached = folder / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.marshal"
    try:
        value = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        value = read()
        with contextlib.suppress(OSError):
            write_atomically(cached, marshal.dumps(value))
    if len(_kept_facts) >= KEPT_FACTS:
        _kept_facts.clear()
    _kept_facts[key, folder] = value
    return value


KEPT_FACTS = 64  # font facts a process keeps (a theme's few faces; advance tables are megabytes each)
_kept_facts: dict[tuple[str, Path], object] = {}


def _open(font_file: FontFile) -> TTFont:
    if font_file.path.lower().endswith((".ttc", ".otc")):
        return TTCollection(font_file.path, lazy=True).fonts[font_file.index]
    return TTFont(font_file.path, lazy=True, fontNumber=font_file.index)


@functools.lru_cache(maxsize=None)
def emoji_face() -> Face | None:
    """The colour emoji font renderers fall back to, when installed."""
    try:
        return Face(locate(EMOJI_FAMILY))
    except (FontNotFound, OSError):
        return None


@functools.lru_cache(maxsize=None)
def face(family: str, bold: bool = False) -> Face:
    """The cached Face for a family, falling back to the emoji font."""
    return Face(locate(family, bold), emoji_face())


@dataclass(frozen=True)
class Span:
    """A piece of text with the style that changes its width."""

    text: str
    bold: bool = False
    mono: bool = False


KEPT_MEASURES = 50_000  # widths and wrappings a measurer keeps (a long-lived one starts over past this)


class Measurer:
    """Measures and wraps text set in a theme's body and code fonts.

    A planner tries each text in several layouts, so widths (in ems) and wrapped lines are kept
    for the measurer's life: the same text at the same width is measured once."""

    def __init__(self, body_family: str, mono_family: str, safety: float = SAFETY) -> None:
        self.body_family = body_family
        self.mono_family = mono_family
        self.safety = safety
        self._faces: dict[tuple[bool, bool], Face] = {}
        self._ems: dict[tuple[str, bool, bool], float] = {}
        self._wrapped: dict[tuple, tuple[str, ...]] = {}

    def _face(self, bold: bool, mono: bool) -> Face:
        return face(self.mono_family if mono else self.body_family, bold and not mono)

    def width(self, text: str, size: float, bold: bool = False, mono: bool = False) -> float:
        """Width of one line of text in points."""
        key = (text, bold, mono)
        ems = self._ems.get(key)
        if ems is None:
            ems = sum(map(self._face_for(bold, mono).char_width_em, text)) * self.safety + _script_gaps(text) * SCRIPT_GAP
            if len(self._ems) >= KEPT_MEASURES:
                self._ems.clear()
            self._ems[key] = ems
        return ems * size

    @staticmethod
    def line_height(size: float) -> float:
        """Height of one line in points; decks set this pitch exactly, so every app agrees."""
        return LINE_PITCH * size

    def wrap(self, spans: list[Span], width: float, size: float) -> list[str]:
        """Break styled text into the lines it takes in a box `width` points wide.

        Hard line breaks ("\\n") always end a line; otherwise lines break at spaces,
        and a word wider than the line is broken between characters.
        """
        if len(spans) == 1 and "\n" not in spans[0].text:  # most lines fit whole: no need to look at words
            span = spans[0]
            if self.width(span.text, size, span.bold, span.mono) <= width:
                return [span.text.rstrip()]
        key = (tuple(spans), width, size)
        wrapped = self._wrapped.get(key)
        if wrapped is None:
            lines: list[str] = []
            for segment in _split_lines(spans):
                lines.extend(self._wrap_line(segment, width, size))
            if len(self._wrapped) >= KEPT_MEASURES:
                self._wrapped.clear()
            wrapped = self._wrapped[key] = tuple(lines or [""])
        return list(wrapped)

    def _wrap_line(self, chars: list[tuple[str, bool, bool]], width: float, size: float) -> list[str]:
        lines: list[str] = []
        line: list[str] = []
        line_width = 0.0
        for word in _words(chars):
            word_width = sum(self._char_width(c, b, m, size) for c, b, m in word)
            word_width += _script_gaps("".join(c for c, _, _ in word)) * SCRIPT_GAP * size
            is_space = all(c == " " for c, _, _ in word)
            if line_width + word_width <= width or (is_space and line):
                line.extend(c for c, _, _ in word)
                line_width += word_width
                continue
            if line:
                lines.append("".join(line).rstrip())
                line, line_width = [], 0.0
            if is_space:
                continue
            for c, b, m in word:  # a word longer than the line breaks inside
                char_width = self._char_width(c, b, m, size)
                if line and line_width + char_width > width:
                    lines.append("".join(line))
                    line, line_width = [], 0.0
                line.append(c)
                line_width += char_width
        if line or not lines:
            lines.append("".join(line).rstrip())
        return lines

    def _face_for(self, bold: bool, mono: bool) -> Face:
        found = self._faces.get((bold, mono))
        if found is None:
            found = self._faces[(bold, mono)] = self._face(bold, mono)
        return found

    def _char_width(self, char: str, bold: bool, mono: bool, size: float) -> float:
        return self._face_for(bold, mono).char_width_em(char) * size * self.safety


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"


def _script_gaps(text: str) -> int:
    """How many times Hangul meets a visible non-Hangul character of the Latin range."""
    if text.isascii():
        return 0
    gaps = 0
    for left, right in zip(text, text[1:]):
        if left.isspace() or right.isspace():
            continue
        if _is_hangul(left) != _is_hangul(right) and (ord(left) < 0x2000 or ord(right) < 0x2000):
            gaps += 1
    return gaps


def _split_lines(spans: list[Span]) -> list[list[tuple[str, bool, bool]]]:
    """Styled characters, cut at hard line breaks."""
    lines: list[list[tuple[str, bool, bool]]] = [[]]
    for span in spans:
        for char in span.text:
            if char == "\n":
                lines.append([])
            else:
                lines[-1].append((char, span.bold, span.mono))
    return lines


def _words(chars: list[tuple[str, bool, bool]]):
    """Group styled characters into words and runs of spaces."""
    word: list[tuple[str, bool, bool]] = []
    for item in chars:
        if word and (item[0] == " ") != (word[-1][0] == " "):
            yield word
            word = []
        word.append(item)
    if word:
        yield word

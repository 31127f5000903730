"""Pieces every Mermaid parser needs: source lines without comments, label text, styles."""

from __future__ import annotations

import html
import re

from ..model import MermaidError, Style

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?(?:b|i|strong|em|u|sub|sup|small|span)\b[^>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"#(\w+);")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAMED_COLOURS = {
    "white": "ffffff", "black": "000000", "red": "ff0000", "green": "008000", "blue": "0000ff",
    "yellow": "ffff00", "orange": "ffa500", "gray": "808080", "grey": "808080", "purple": "800080",
    "pink": "ffc0cb", "lightblue": "add8e6", "lightgreen": "90ee90", "lightgray": "d3d3d3",
    "lightgrey": "d3d3d3", "transparent": None, "none": None,
}


def source_lines(source: str) -> list[tuple[int, str]]:
    """(1-based line, stripped text) of meaningful lines: no blanks, `%%` comments,
    `%%{init}%%` directives or YAML front matter."""
    lines = source.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise MermaidError(1, "front matter opened with '---' is never closed")
        start = end + 1
    result = []
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text or text.startswith("%%"):
            continue
        result.append((index + 1, text))
    return result


def clean_label(text: str) -> str:
    """Mermaid label text as a reader sees it: quotes removed, `<br/>` as newline, entities decoded."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        text = text[1:-1]
    if text.startswith("`") and text.endswith("`"):  # markdown strings
        text = text[1:-1]
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = _ENTITY.sub(_entity, text)
    text = text.replace("\\n", "\n")
    return "\n".join(part.strip() for part in text.split("\n")).strip()


def _entity(match: re.Match) -> str:
    """Mermaid's `#quot;` / `#9829;` entities; unknown or impossible ones stay as written."""
    name = match.group(1)
    if name.isascii() and name.isdigit() and len(name) <= 7:
        code = int(name)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)
    decoded = html.unescape(f"&{name};")
    return match.group(0) if decoded == f"&{name};" else decoded


def colour(value: str) -> str | None:
    """A CSS colour as 6-digit lower-case hex without '#', or None when unknown/transparent."""
    value = value.strip().lower()
    match = _HEX.match(value)
    if match:
        digits = match.group(1)
        return (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).lower()
    return _NAMED_COLOURS.get(value)


def parse_style(properties: str) -> Style:
    """`fill:#f9f,stroke:#333,stroke-width:2px,color:#fff,stroke-dasharray: 5 5` → Style."""
    style = Style()
    for item in re.split(r"[,;](?![^()]*\))", properties):
        key, _, value = item.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "fill":
            style.fill = colour(value)
        elif key == "stroke":
            style.stroke = colour(value)
        elif key == "color":
            style.color = colour(value)
        elif key == "stroke-width":
            number = re.match(r"\d+(?:\.\d+)?", value)
            style.stroke_width = float(number.group(0)) if number else None
        elif key == "stroke-dasharray":
            style.dashed = bool(value)
    return style


def quoted(text: str) -> str:
    """text in quotes for an error message, cut to a readable length."""
    return repr(text if len(text) <= 60 else text[:59] + "…")


def body_lines(source: str, header: re.Pattern, name: str) -> list[tuple[int, str]]:
    """The meaningful lines after a diagram's header line, which must match header."""
    lines = source_lines(source)
    if not lines:
        raise MermaidError(1, f"empty diagram: expected '{name}'")
    line, text = lines[0]
    if not header.match(text):
        raise MermaidError(line, f"expected '{name}', found {quoted(text)}")
    return lines[1:]


class RuleParser:
    """A line-by-line reader: each line goes to the first rule whose pattern matches it."""

    rules: tuple = ()

    def statement(self, line: int, text: str) -> None:
        for pattern, handle in self.rules:
            match = pattern.match(text)
            if match:
                handle(match, line)
                return
        raise MermaidError(line, f"cannot read {quoted(text)}")

"""The part of a Marp deck's CSS deckbuild honours: colours, and callout boxes for `<div class="X">`.

A Marp deck styles its own `<div class="highlight">` blocks in its `style:`
directive. A callout box on a slide has a fill, a bar down its left side and a
text colour, so the rules read are the simple ones for one class (`.X` or
`div.X`): `background-color` (or a `background` that is a colour),
`border-left` (its width and colour; `border-left-color`, `border-left-width`)
and `color`. The stylesheet is read with tinycss2, a CSS parser; everything
else it holds is listed, so the deck can say once what it did not honour.
"""

from __future__ import annotations

from dataclasses import dataclass

import tinycss2
import tinycss2.color3

from .frames import CalloutStyle

PIXEL = 0.75  # points per CSS pixel on a Marp slide (1280 px across 13.33 inches)
UNIT_POINTS = {"px": PIXEL, "pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}
BORDER_WIDTHS = {"thin": 1 * PIXEL, "medium": 3 * PIXEL, "thick": 5 * PIXEL}


@dataclass(frozen=True)
class Stylesheet:
    """A deck's stylesheet as read: a style per class, and what was not honoured (in source order)."""

    classes: dict[str, CalloutStyle]
    ignored: tuple[str, ...]


def css_colour(value) -> str | None:
    """A CSS colour (a string or a token: `#f80`, `navy`, `rgb(…)`, `rgba(…)`) as RGB hex, a
    translucent one blended over white; None when it is not a colour."""
    colour = tinycss2.color3.parse_color(value)
    if colour is None or isinstance(colour, str):  # 'currentColor'
        return None
    red, green, blue, alpha = colour
    return "".join(f"{round((channel * alpha + 1 - alpha) * 255):02X}" for channel in (red, green, blue))


def css_length(token) -> float | None:
    """A length token (`6px`, `0.2in`, `thick`, or a bare number of pixels) in points."""
    if token.type == "dimension" and token.lower_unit in UNIT_POINTS:
        return token.value * UNIT_POINTS[token.lower_unit]
    if token.type == "number":
        return token.value * PIXEL
    if token.type == "ident":
        return BORDER_WIDTHS.get(token.lower_value)
    return None


def read_stylesheet(css: str) -> Stylesheet:
    """The callout styles a stylesheet gives its classes, and every rule or property it holds that
    deckbuild does not honour."""
    classes: dict[str, CalloutStyle] = {}
    ignored: list[str] = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "error":
            ignored.append(f"unreadable CSS ({rule.message})")
            continue
        if rule.type == "at-rule":
            ignored.append(f"@{rule.at_keyword}")
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        names = [_class_name(part) for part in _split_commas(rule.prelude)]
        declarations = [d for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                        if d.type == "declaration"]
        if not all(names):
            ignored.append(f"{selector} {{ {', '.join(d.lower_name for d in declarations)} }}")
            continue
        style, unread = _callout_style(declarations)
        ignored.extend(f"{selector} {{ {name} }}" for name in unread)
        for name in names:
            classes[name] = style.over(classes.get(name, CalloutStyle()))
    return Stylesheet(classes, tuple(ignored))


def _split_commas(tokens) -> list[list]:
    """A selector list's tokens cut at its commas."""
    parts: list[list] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        elif token.type not in ("whitespace", "comment"):
            parts[-1].append(token)
    return parts


def _class_name(tokens: list) -> str | None:
    """The class a simple selector names (`.highlight` or `div.highlight`), or None for any other."""
    if tokens and tokens[0].type == "ident" and tokens[0].lower_value == "div":
        tokens = tokens[1:]
    if len(tokens) == 2 and tokens[0].type == "literal" and tokens[0].value == "." and tokens[1].type == "ident":
        return tokens[1].value
    return None


def _callout_style(declarations) -> tuple[CalloutStyle, list[str]]:
    """The callout style of a rule's declarations, and the names of those it does not honour."""
    fill = border = color = None
    width = None
    unread = []
    for declaration in declarations:
        name = declaration.lower_name
        values = [t for t in declaration.value if t.type not in ("whitespace", "comment")]
        colours = [c for c in map(css_colour, values) if c]
        lengths = [length for length in map(css_length, values) if length is not None]
        if name in ("background-color", "background") and len(values) == 1 and colours:
            fill = colours[0]
        elif name == "color" and colours:
            color = colours[0]
        elif name == "border-left" and (colours or lengths):
            border = colours[0] if colours else border
            width = lengths[0] if lengths else width
        elif name == "border-left-color" and colours:
            border = colours[0]
        elif name == "border-left-width" and lengths:
            width = lengths[0]
        else:
            unread.append(name)
    return CalloutStyle(fill, border, width, color), unread

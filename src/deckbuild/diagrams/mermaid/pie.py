"""Mermaid `pie` source → Chart of kind 'pie'.

The header may carry `showData` and the title (`pie showData title 제목`); the
title may also come on its own `title …` line. Each slice is `"label" : number`.
Slice colours come from the block's `pie1` … `pie12` theme variables when set.
"""

from __future__ import annotations

import re

from ..chart import NUMBER, PALETTE, Chart, Series, read_number
from ..model import MermaidError
from .common import clean_label, colour, quoted, skip_accessibility, split_header
from .config import diagram_config

_HEADER = re.compile(r"^pie(?:\s+(?P<show>showData))?(?:\s+title(?:\s+(?P<title>.*))?)?$")
_TITLE = re.compile(r"^title(?:\s+(?P<title>.*))?$", re.IGNORECASE)
_SHOW_DATA = re.compile(r"^showData$", re.IGNORECASE)
_SLICE = re.compile(rf"""^(?P<label>"[^"]*"|'[^']*')\s*:\s*(?P<value>{NUMBER})$""")


def parse_pie(source: str) -> Chart:
    """Read the source of a ```` ```mermaid ```` block that starts with `pie`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    first, header, body = split_header(source, _HEADER, "pie")
    config = diagram_config(source)
    title = clean_label(header["title"] or "")
    show = bool(header["show"])
    labels: list[str] = []
    values: list[float] = []
    lines = iter(body)
    for line, text in lines:
        if skip_accessibility(text, line, lines):
            continue
        if match := _SLICE.match(text):
            value = read_number(match["value"], line)
            if value < 0:
                raise MermaidError(line, f"a slice cannot be negative: {quoted(text)}")
            labels.append(clean_label(match["label"]))
            values.append(value)
        elif match := _TITLE.match(text):
            title = clean_label(match["title"] or "")
        elif _SHOW_DATA.match(text):
            show = True
        else:
            raise MermaidError(line, f'cannot read {quoted(text)}: a slice is written "label" : number')
    if not values:
        raise MermaidError(first, 'a pie needs at least one slice: "label" : number')
    if not sum(values):
        raise MermaidError(first, "every slice of the pie is zero")
    return Chart(
        "pie",
        title=title or config.title,
        categories=tuple(labels),
        series=(Series("", "pie", tuple(values)),),
        show_values=show,
        colors=_slice_colours(config.get("themeVariables", {})),
    )


def _slice_colours(variables) -> tuple[str, ...]:
    """PALETTE with the block's `pie1` … `pie12` theme variables in place; () when none is set."""
    if not isinstance(variables, dict):
        return ()
    chosen = [colour(str(variables.get(f"pie{n}", ""))) for n in range(1, 13)]
    if not any(chosen):
        return ()
    return tuple((mine or PALETTE[i % len(PALETTE)]).upper() for i, mine in enumerate(chosen))

"""Mermaid `sankey-beta` source → Sankey: flows `source,target,value` read as CSV lines.

Fields may be quoted to hold commas (`"Gas, oil",Power,12.5`; `""` is a quote inside
quotes). Nodes are the names met in the rows, in the order first met. A flow that
would close a loop is refused, as Mermaid's Sankey layout cannot draw one.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field

from ..model import MermaidError
from .common import body_lines, quoted

_HEADER = re.compile(r"^sankey-beta$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


@dataclass
class SankeyLink:
    """One row: value units flow from source to target."""

    source: str
    target: str
    value: float
    line: int = 0


@dataclass
class Sankey:
    """A Sankey diagram: its nodes in the order first met, and its flows in order."""

    nodes: list[str] = field(default_factory=list)
    links: list[SankeyLink] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: the node names."""
        return [name for name in self.nodes if name]

    def throughput(self, node: str) -> float:
        """How much passes through a node: the larger of what flows in and what flows out."""
        incoming = sum(link.value for link in self.links if link.target == node)
        outgoing = sum(link.value for link in self.links if link.source == node)
        return max(incoming, outgoing)


def parse_sankey(source: str) -> Sankey:
    """Read the source of a ```` ```mermaid ```` block that starts with `sankey-beta`.

    Raises MermaidError with the 1-based line of the first row it cannot read.
    """
    sankey = Sankey()
    successors: dict[str, set[str]] = {}
    for line, text in body_lines(source, _HEADER, "sankey-beta"):
        source_name, target_name, value = _row(line, text)
        if source_name == target_name or _reaches(successors, target_name, source_name):
            raise MermaidError(line, f"the flow {quoted(source_name)} → {quoted(target_name)} closes a loop")
        for name in (source_name, target_name):
            if name not in successors:
                successors[name] = set()
                sankey.nodes.append(name)
        successors[source_name].add(target_name)
        sankey.links.append(SankeyLink(source_name, target_name, value, line))
    return sankey


def _row(line: int, text: str) -> tuple[str, str, float]:
    """`source,target,value` with optional quotes → its three fields."""
    try:
        fields = next(csv.reader([text], skipinitialspace=True, strict=True))
    except csv.Error as error:
        raise MermaidError(line, f"cannot read {quoted(text)} as CSV: {error}") from error
    if len(fields) != 3:
        raise MermaidError(line, f"expected 'source,target,value', found {len(fields)} field(s) in {quoted(text)}")
    source_name, target_name, number = (part.strip() for part in fields)
    if not source_name or not target_name:
        raise MermaidError(line, f"a flow needs both a source and a target name: {quoted(text)}")
    if not _NUMBER.match(number):
        raise MermaidError(line, f"the value {quoted(number)} is not a number")
    value = float(number)
    if not math.isfinite(value) or value < 0:
        raise MermaidError(line, f"the value {quoted(number)} must be a number of at least 0")
    return source_name, target_name, value


def _reaches(successors: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether goal can be reached from start along the flows read so far."""
    seen, stack = set(), [start]
    while stack:
        name = stack.pop()
        if name == goal:
            return True
        if name not in seen:
            seen.add(name)
            stack.extend(successors.get(name, ()))
    return False

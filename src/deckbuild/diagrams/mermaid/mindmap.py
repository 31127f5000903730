"""Mermaid `mindmap` source → Mindmap: one root and a tree of labelled nodes.

Mermaid nests mindmap nodes by indentation alone: a node is a child of the
nearest node above it that is indented less. Node shapes are written around
the label (`id[…]`, `id(…)`, `id((…))`, `id))…((`, `id)…(`, `id{{…}}`); a line
with no shape is a plain node whose whole text is its label. `::icon(…)` and
`:::class` lines decorate the node above them and are not drawn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model import MermaidError
from .common import body_lines, clean_label, quoted

_HEADER = re.compile(r"^mindmap$", re.IGNORECASE)
_DECORATION = re.compile(r"^(?::::|::icon\()")
# An optional id (no brackets in it), then the label inside one shape's delimiters.
# Longer delimiters come first so `((…))` is not read as `(…)`.
_ID = r"(?P<id>[^\[\](){}]*?)"
_SHAPES = tuple(
    (shape, re.compile(rf"^{_ID}{pattern}$"))
    for shape, pattern in (
        ("circle", r"\(\((?P<text>.*)\)\)"),
        ("bang", r"\)\)(?P<text>.*)\(\("),
        ("hexagon", r"\{\{(?P<text>.*)\}\}"),
        ("cloud", r"\)(?P<text>.*)\("),
        ("rect", r"\[(?P<text>.*)\]"),
        ("round", r"\((?P<text>.*)\)"),
    )
)
_MARKDOWN_STRING = re.compile(r'^"`.*`"$', re.DOTALL)
_EMPHASIS = re.compile(r"\*\*|__|\*")

# Shapes a mindmap node can have: 'default' is Mermaid's plain node.
MINDMAP_SHAPES = ("default", "rect", "round", "circle", "bang", "cloud", "hexagon")


@dataclass
class MindmapNode:
    """One idea: its label (lines split by "\\n"), shape, children in source order and source line."""

    label: str
    shape: str = "default"
    children: list["MindmapNode"] = field(default_factory=list)
    line: int = 0

    def walk(self, depth: int = 0) -> Iterator[tuple[int, "MindmapNode"]]:
        """(depth, node) for this node and every node below it, depth first in source order."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class Mindmap:
    """A mind map: the root node holds everything else."""

    root: MindmapNode

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: each node's label."""
        return [node.label for _, node in self.root.walk() if node.label]


def parse_mindmap(source: str) -> Mindmap:
    """Read the source of a ```` ```mermaid ```` block that starts with `mindmap`.

    Raises MermaidError with the 1-based line of the first line it cannot place.
    """
    raw_lines = source.splitlines()
    stack: list[tuple[int, MindmapNode]] = []  # (indentation, node): the open path from the root
    root: MindmapNode | None = None
    for line, text in body_lines(source, _HEADER, "mindmap"):
        if _DECORATION.match(text):
            continue
        indent = _indentation(raw_lines[line - 1])
        node = _node(text, line)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(node)
        elif root is None:
            root = node
        else:
            raise MermaidError(
                line, f"a mindmap has one root: {quoted(text)} is not indented more than the root {quoted(root.label)}"
            )
        stack.append((indent, node))
    if root is None:
        raise MermaidError(1, "the mindmap has no nodes")
    return Mindmap(root)


def _indentation(raw: str) -> int:
    """How far a line is indented, tabs counted as four spaces."""
    expanded = raw.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def _node(text: str, line: int) -> MindmapNode:
    """A node from one line: `id((label))` and the other shapes, or plain text."""
    for shape, pattern in _SHAPES:
        match = pattern.match(text)
        if match:
            label = _label(match["text"]) or clean_label(match["id"])
            return MindmapNode(label, shape, line=line)
    return MindmapNode(_label(text), "default", line=line)


def _label(text: str) -> str:
    """A label as shown: quotes, `<br/>` and entities resolved; markdown strings lose `**`/`*`."""
    if _MARKDOWN_STRING.match(text.strip()):
        return clean_label(_EMPHASIS.sub("", text.strip()))
    return clean_label(text)

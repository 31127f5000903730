"""Mermaid `stateDiagram-v2` (or `stateDiagram`) source → Graph of kind 'state'.

States become Nodes and composite states become Clusters; `[*]` becomes a start or an
end pseudo-state of the scope (top level or composite) it is written in. Labels and
styles are settled once the whole source is read, because descriptions, `class` and
`style` lines may come before or after the state they describe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Cluster, Edge, Graph, MermaidError, Node
from .common import DIRECTION, RuleParser, StyleSheet, body_lines, clean_label, direction

# A state id: one word that may hold single dashes (`feature-x`) but no `-->`, colon,
# brace, comma, quote or `<`. `[*]` matches too and is told apart by the reader.
_ID = r'[^\s:{},"<\-]+(?:-[^\s:{},"<\->]+)*'


def _reference(name: str) -> str:
    """Pattern for a state reference with an optional `:::class`, in named groups name, name_class."""
    return rf"(?P<{name}>{_ID})(?::::(?P<{name}_class>[\w-]+))?"


_HEADER = re.compile(r"^stateDiagram(?:-v2)?$")
_CLOSE = re.compile(r"^\}$")
_STATE = re.compile(
    rf'^state\s+(?:"(?P<title>[^"]*)"\s*as\s+(?P<alias>{_ID})|(?P<id>{_ID}))'
    r"(?:\s*<<(?P<kind>choice|fork|join)>>)?\s*(?:(?P<open>\{)|:(?P<description>.*))?$",
    re.IGNORECASE,
)
_NOTE = re.compile(rf"^note\s+(?:left|right)\s+of\s+(?P<id>{_ID})\s*(?::(?P<text>.*))?$", re.IGNORECASE)
_END_NOTE = re.compile(r"^end\s+note$", re.IGNORECASE)
_CLASS_DEF = re.compile(r"^classDef\s+(?P<names>[\w-]+(?:\s*,\s*[\w-]+)*)\s+(?P<properties>.+)$", re.IGNORECASE)
_CLASS = re.compile(rf"^class\s+(?P<ids>{_ID}(?:\s*,\s*{_ID})*)\s+(?P<name>[\w-]+)$", re.IGNORECASE)
_STYLE = re.compile(rf"^style\s+(?P<ids>{_ID}(?:\s*,\s*{_ID})*)\s+(?P<properties>.+)$", re.IGNORECASE)
_CONCURRENT = re.compile(r"^--$")
_IGNORED = re.compile(r"^(?:hide\s+empty\s+description|scale\s+\d+\s+width)$", re.IGNORECASE)  # nothing to draw
_TRANSITION = re.compile(rf"^{_reference('source')}\s*-->\s*{_reference('target')}\s*(?::(?P<label>.*))?$")
_STATE_LINE = re.compile(rf"^{_reference('state')}\s*(?::(?P<description>.*))?$")
_LIST_SEPARATOR = re.compile(r"\s*,\s*")

_PSEUDO = "[*]"
# Shapes drawn without the state's id as a fallback label (notes keep their own text).
_UNLABELLED = ("start", "end", "fork", "join", "choice")


def parse_state(source: str) -> Graph:
    """Read the source of a ```` ```mermaid ```` block that starts with `stateDiagram-v2`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    return _StateReader().read(source)


@dataclass
class _Scope:
    """Where statements currently land: the top level (cluster None) or an open composite.

    number tells the scopes' `[*]` pseudo-states apart; line is where the scope was opened.
    """

    cluster: Cluster | None
    number: int
    line: int = 0


class _StateReader(RuleParser):
    """Builds one Graph statement by statement; labels and styles are resolved at the end."""

    def __init__(self) -> None:
        self.graph = Graph("state")
        self.scopes = [_Scope(None, 1)]
        self.clusters: dict[str, Cluster] = {}
        self.scope_numbers: dict[str, int] = {}
        self.owners: dict[str, Cluster | None] = {}
        self.descriptions: dict[str, list[str]] = {}
        self.sheet = StyleSheet()  # by state or composite id
        self.note_count = 0
        self.rules = (
            (_CLOSE, self.close),
            (_STATE, self.declaration),
            (_NOTE, self.note),
            (_CLASS_DEF, self.sheet.class_def),
            (_CLASS, self.css_class),
            (_STYLE, self.style),
            (DIRECTION, self.direction),
            (_CONCURRENT, self.concurrent),
            (_IGNORED, self.ignore),
            (_TRANSITION, self.transition),
            (_STATE_LINE, self.state_line),
        )

    def read(self, source: str) -> Graph:
        """Parse every line after the header, check composites are closed, then settle labels."""
        self.read_lines(body_lines(source, _HEADER, "stateDiagram-v2"))
        if len(self.scopes) > 1:
            scope = self.scopes[-1]
            raise MermaidError(scope.line, f"composite state {scope.cluster.id!r} is never closed with '}}'")
        self.finish()
        return self.graph

    # --- nodes and scopes -------------------------------------------------------------

    def add(self, node: Node) -> None:
        """Put a new node in the graph and in the composite currently open, if any."""
        cluster = self.scopes[-1].cluster
        self.graph.nodes[node.id] = node
        self.owners[node.id] = cluster
        if cluster is not None:
            cluster.nodes.append(node.id)

    def state(self, name: str, line: int) -> str:
        """The state or composite called name, created as a plain state on first mention."""
        if name == _PSEUDO:
            raise MermaidError(line, "'[*]' can only start or end a transition")
        if name not in self.graph.nodes and name not in self.clusters:
            self.add(Node(name, name, "round", line=line))
        return name

    def pseudo(self, shape: str, line: int) -> str:
        """The start or end pseudo-state of the current scope, created on first use."""
        number = self.scopes[-1].number
        node_id = f"__{shape}__" + ("" if number == 1 else str(number))
        if node_id not in self.graph.nodes:
            self.add(Node(node_id, "", shape, line=line))
        return node_id

    def reference(self, match: re.Match, role: str, line: int) -> str:
        """The node a transition end names: `[*]` is a start as source and an end as target."""
        name = match[role]
        if name == _PSEUDO:
            node_id = self.pseudo("start" if role == "source" else "end", line)
        else:
            node_id = self.state(name, line)
        if match[f"{role}_class"]:
            self.sheet.add_class(node_id, match[f"{role}_class"])
        return node_id

    def open_composite(self, name: str, line: int) -> None:
        """`state A {`: A becomes (or again is) a cluster, and statements go inside it."""
        if name == _PSEUDO:
            raise MermaidError(line, "'[*]' cannot be a composite state")
        if name not in self.clusters:
            self.forget_node(name)
            cluster = Cluster(name, name, line=line)
            parent = self.scopes[-1].cluster
            (parent.clusters if parent is not None else self.graph.clusters).append(cluster)
            self.clusters[name] = cluster
            self.scope_numbers[name] = len(self.clusters) + 1
        self.scopes.append(_Scope(self.clusters[name], self.scope_numbers[name], line))

    def forget_node(self, name: str) -> None:
        """Drop the plain state name, met before it turned out to be a composite."""
        if name in self.graph.nodes:
            del self.graph.nodes[name]
            owner = self.owners.pop(name)
            if owner is not None:
                owner.nodes.remove(name)

    # --- statements -------------------------------------------------------------------

    def close(self, match: re.Match, line: int) -> None:
        """`}` ends the innermost composite state."""
        if len(self.scopes) == 1:
            raise MermaidError(line, "'}' without an open composite state")
        self.scopes.pop()

    def declaration(self, match: re.Match, line: int) -> None:
        """`state A`, `state "설명" as A`, `state A <<choice>>`, or either form opening `{`."""
        name = match["alias"] or match["id"]
        if match["open"]:
            self.open_composite(name, line)
        else:
            self.state(name, line)
        for text in (match["title"], match["description"]):
            if text:
                self.describe(name, text, line)
        if match["kind"] and name in self.graph.nodes:
            self.graph.nodes[name].shape = match["kind"].lower()

    def describe(self, name: str, text: str, line: int) -> None:
        """Add one line to a state's label (the first replaces the id shown by default)."""
        label = clean_label(text)
        if label:
            self.descriptions.setdefault(name, []).append(label)

    def state_line(self, match: re.Match, line: int) -> None:
        """`A`, `A:::class` or `A : description`."""
        node_id = self.state(match["state"], line)
        if match["state_class"]:
            self.sheet.add_class(node_id, match["state_class"])
        if match["description"] is not None:
            self.describe(node_id, match["description"], line)

    def transition(self, match: re.Match, line: int) -> None:
        """`A --> B` or `A --> B : label`."""
        source = self.reference(match, "source", line)
        target = self.reference(match, "target", line)
        self.graph.edges.append(Edge(source, target, clean_label(match["label"] or ""), line=line))

    def note(self, match: re.Match, line: int) -> None:
        """`note right of A : text` or `note left of A` … `end note`: a note node tied to A."""
        target = self.state(match["id"], line)
        text = match["text"] if match["text"] is not None else self.note_body(line)
        note_id = self.next_note_id()
        self.add(Node(note_id, clean_label(text), "note", line=line))
        self.graph.edges.append(Edge(note_id, target, line_style="dotted", head="none", line=line))

    def note_body(self, line: int) -> str:
        """The lines of a multi-line note, read up to its `end note`."""
        body = []
        for _, text in self.lines:
            if _END_NOTE.match(text):
                return "\n".join(body)
            body.append(text)
        raise MermaidError(line, "note opened here is never closed with 'end note'")

    def next_note_id(self) -> str:
        """A fresh `note_N` id that no state already uses."""
        while True:
            self.note_count += 1
            candidate = f"note_{self.note_count}"
            if candidate not in self.graph.nodes and candidate not in self.clusters:
                return candidate

    def css_class(self, match: re.Match, line: int) -> None:
        """`class A[,B] name`: those states use the classDef name."""
        for node_id in _LIST_SEPARATOR.split(match["ids"]):
            self.sheet.add_class(node_id, match["name"])

    def style(self, match: re.Match, line: int) -> None:
        """`style A[,B] fill:…`: a style of their own, on top of any class."""
        for node_id in _LIST_SEPARATOR.split(match["ids"]):
            self.sheet.add_style(node_id, match["properties"])

    def direction(self, match: re.Match, line: int) -> None:
        """`direction LR`: of the whole diagram at top level, else of the open composite."""
        value = direction(match)
        cluster = self.scopes[-1].cluster
        if cluster is None:
            self.graph.direction = value
        else:
            cluster.direction = value

    def concurrent(self, match: re.Match, line: int) -> None:
        """`--` splits a composite into concurrent regions; drawn as one region here."""
        if len(self.scopes) == 1:
            raise MermaidError(line, "'--' is only allowed inside a composite state")

    # --- resolution -------------------------------------------------------------------

    def finish(self) -> None:
        """Give every node and cluster its final label, classes and style."""
        for node in self.graph.nodes.values():
            if node.shape != "note":
                fallback = "" if node.shape in _UNLABELLED else node.id
                node.label = "\n".join(self.descriptions.get(node.id, ())) or fallback
            node.classes = self.sheet.classes_of(node.id)
            node.style = self.sheet.style_for(node.id, default=node.shape not in ("start", "end", "note"))
        for cluster in self.clusters.values():
            cluster.title = "\n".join(self.descriptions.get(cluster.id, ())) or cluster.id
            cluster.style = self.sheet.style_for(cluster.id, default=False)


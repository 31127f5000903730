"""Mermaid `architecture-beta` source → Architecture: groups, services, junctions and edges.

Groups are titled frames that may sit inside another group (`in parent`); services
and junctions sit in a group or at top level. Every edge names the side of each end
(`a:R -- L:b`: a's right side to b's left side), which the layout uses to place the
two ends and to attach the line. `a{group}:R` makes the edge leave a's group instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import MermaidError
from .common import RuleParser, body_lines, clean_label, quoted

_ID = r"\w(?:[\w-]*\w)?"
# A title in square brackets: quoted (may hold brackets and escaped quotes) or plain.
_TITLE = r"""\[(?P<title>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\[\]]*)\]"""
_ICON = r"\((?P<icon>[\w:-]+)\)"
_ICON_TEXT = r'"(?P<icon_text>(?:[^"\\]|\\.)*)"'
_PARENT = rf"(?:\s+in\s+(?P<parent>{_ID}))?"

_HEADER = re.compile(r"^architecture-beta$")
_GROUP = re.compile(rf"^group\s+(?P<id>{_ID})\s*(?:{_ICON})?\s*(?:{_TITLE})?{_PARENT}$")
_SERVICE = re.compile(rf"^service\s+(?P<id>{_ID})\s*(?:{_ICON}|{_ICON_TEXT})?\s*(?:{_TITLE})?{_PARENT}$")
_JUNCTION = re.compile(rf"^junction\s+(?P<id>{_ID}){_PARENT}$")
_EDGE = re.compile(
    rf"^(?P<source>{_ID})(?P<source_group>\{{group\}})?\s*:\s*(?P<source_side>[LRTB])\s*"
    r"(?P<tail><)?(?:--|-\[(?P<label>[^\]]*)\]-)(?P<head>>)?\s*"
    rf"(?P<target_side>[LRTB])\s*:\s*(?P<target>{_ID})(?P<target_group>\{{group\}})?$",
    re.IGNORECASE,
)
_ALIGN = re.compile(rf"^align\s+(?:row|column)(?:\s+{_ID}){{2,}}$")
_TITLE_LINE = re.compile(r"^title(?:\s+(?P<title>.*))?$")

SIDES = {"L": "left", "R": "right", "T": "top", "B": "bottom"}
# Icons Mermaid draws without an icon pack; any other name is drawn as a plain box.
BUILT_IN_ICONS = ("cloud", "server", "database", "disk", "internet")


@dataclass
class ArchitectureGroup:
    """`group id(icon)[Title] in parent`: a titled frame around services and groups."""

    id: str
    title: str = ""
    icon: str = ""
    parent: str | None = None
    line: int = 0


@dataclass
class ArchitectureService:
    """`service id(icon)[Title] in group`: an icon with its title underneath.

    icon_text is the text shown in place of an icon (`service id "txt"[Title]`).
    """

    id: str
    title: str = ""
    icon: str = ""
    icon_text: str = ""
    group: str | None = None
    line: int = 0


@dataclass
class ArchitectureJunction:
    """`junction id in group`: a point where several edges meet."""

    id: str
    group: str | None = None
    line: int = 0


@dataclass
class ArchitectureEdge:
    """A line between two services or junctions, each end on a named side.

    source_side/target_side: 'left', 'right', 'top' or 'bottom'. A *_group flag means
    the end attaches to the group holding that service. head/tail: an arrow at the
    target/source end.
    """

    source: str
    source_side: str
    target: str
    target_side: str
    source_group: bool = False
    target_group: bool = False
    head: bool = False
    tail: bool = False
    label: str = ""
    line: int = 0


@dataclass
class Architecture:
    """An architecture diagram: groups, services and junctions by id, and edges in order."""

    groups: dict[str, ArchitectureGroup] = field(default_factory=dict)
    services: dict[str, ArchitectureService] = field(default_factory=dict)
    junctions: dict[str, ArchitectureJunction] = field(default_factory=dict)
    edges: list[ArchitectureEdge] = field(default_factory=list)
    title: str = ""

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: group and service titles, icon texts, edge labels."""
        texts = [group.title for group in self.groups.values()]
        for service in self.services.values():
            texts += [service.title, service.icon_text]
        texts += [edge.label for edge in self.edges]
        return [text for text in texts if text]

    def group_of(self, node_id: str) -> str | None:
        """The group a service or junction sits in directly."""
        node = self.services.get(node_id) or self.junctions.get(node_id)
        return node.group if node is not None else None


def parse_architecture(source: str) -> Architecture:
    """Read the source of a ```` ```mermaid ```` block that starts with `architecture-beta`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    reader = _ArchitectureReader()
    reader.read_lines(body_lines(source, _HEADER, "architecture-beta"))
    return reader.architecture


def _title(text: str | None) -> str:
    """A bracketed title as shown: outer quotes and their escapes removed, `<br/>` as a line break."""
    if not text:
        return ""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].replace('\\"', '"').replace("\\'", "'")
    return clean_label(text)


class _ArchitectureReader(RuleParser):
    """Builds one Architecture statement by statement; every id is declared before it is used."""

    def __init__(self) -> None:
        self.architecture = Architecture()
        self.rules = (
            (_GROUP, self.group),
            (_SERVICE, self.service),
            (_JUNCTION, self.junction),
            (_ALIGN, self.ignore),  # `align row a b`: nothing to draw
            (_TITLE_LINE, self.title),
            (_EDGE, self.edge),
        )

    def new_id(self, node_id: str, line: int) -> None:
        """Refuse an id that a group, service or junction already has."""
        model = self.architecture
        if node_id in model.groups or node_id in model.services or node_id in model.junctions:
            raise MermaidError(line, f"{quoted(node_id)} is declared twice")

    def parent(self, match: re.Match, node_id: str, line: int) -> str | None:
        """The group named after `in`, which must be declared on an earlier line."""
        parent = match["parent"]
        if parent is None:
            return None
        if parent == node_id:
            raise MermaidError(line, f"{quoted(node_id)} cannot be inside itself")
        if parent not in self.architecture.groups:
            raise MermaidError(line, f"group {quoted(parent)} is not declared before {quoted(node_id)}")
        return parent

    def group(self, match: re.Match, line: int) -> None:
        """`group id(icon)[Title] in parent`."""
        self.new_id(match["id"], line)
        self.architecture.groups[match["id"]] = ArchitectureGroup(
            match["id"], _title(match["title"]), match["icon"] or "", self.parent(match, match["id"], line), line
        )

    def service(self, match: re.Match, line: int) -> None:
        """`service id(icon)[Title] in group` or `service id "text"[Title]`."""
        self.new_id(match["id"], line)
        icon_text = match["icon_text"].replace('\\"', '"') if match["icon_text"] is not None else ""
        self.architecture.services[match["id"]] = ArchitectureService(
            match["id"], _title(match["title"]), match["icon"] or "", clean_label(icon_text),
            self.parent(match, match["id"], line), line,
        )

    def junction(self, match: re.Match, line: int) -> None:
        """`junction id in group`."""
        self.new_id(match["id"], line)
        self.architecture.junctions[match["id"]] = ArchitectureJunction(
            match["id"], self.parent(match, match["id"], line), line
        )

    def edge(self, match: re.Match, line: int) -> None:
        """`a:R -- L:b`, `a:R --> L:b`, `a:B <-- T:b`, `a:R -[label]- L:b`, `a{group}:R -- L:b`."""
        ends = []
        for role in ("source", "target"):
            node_id, grouped = match[role], bool(match[f"{role}_group"])
            if node_id not in self.architecture.services and node_id not in self.architecture.junctions:
                raise MermaidError(line, f"{quoted(node_id)} is not a declared service or junction")
            if grouped and self.architecture.group_of(node_id) is None:
                raise MermaidError(line, f"{quoted(node_id)}{{group}} is used, but {quoted(node_id)} is in no group")
            ends.append((node_id, grouped))
        (source, source_group), (target, target_group) = ends
        if source == target:
            raise MermaidError(line, f"an edge cannot join {quoted(source)} to itself")
        self.architecture.edges.append(
            ArchitectureEdge(
                source, SIDES[match["source_side"].upper()], target, SIDES[match["target_side"].upper()],
                source_group, target_group, head=bool(match["head"]), tail=bool(match["tail"]),
                label=_title(match["label"]), line=line,
            )
        )

    def title(self, match: re.Match, line: int) -> None:
        """`title Text`: the diagram's title (shown by the slide, not in the drawing)."""
        self.architecture.title = clean_label(match["title"] or "")

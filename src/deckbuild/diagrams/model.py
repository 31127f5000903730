"""What a parsed Mermaid diagram says, before any layout: graphs (flowcharts, state
diagrams) and sequences. Parsers build these; layout turns them into a Scene.

Labels keep line breaks as "\\n" (Mermaid's `<br/>`); colours are 6-digit hex
without '#', lower case, or None when the diagram does not set them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


class MermaidError(Exception):
    """A diagram that cannot be understood; line is 1-based inside the block's source."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Style:
    """Colours and line of a node, cluster or edge, from `style`, `classDef` or `:::`."""

    fill: str | None = None
    stroke: str | None = None
    color: str | None = None  # text colour
    stroke_width: float | None = None
    dashed: bool = False

    def merged(self, other: "Style") -> "Style":
        """This style with other's set values on top."""
        return Style(
            other.fill or self.fill,
            other.stroke or self.stroke,
            other.color or self.color,
            other.stroke_width if other.stroke_width is not None else self.stroke_width,
            other.dashed or self.dashed,
        )


# Node shapes understood by the layout and the writers. Flowchart syntax:
# rect A[..], round A(..), stadium A([..]), subroutine A[[..]], cylinder A[(..)],
# circle A((..)), double_circle A(((..))), rhombus A{..}, hexagon A{{..}},
# parallelogram A[/../], parallelogram_alt A[\..\], trapezoid A[/..\],
# trapezoid_alt A[\../], asymmetric A>..].
# State diagrams add: start, end ([*]), fork, join (bars), choice (small rhombus), note.
SHAPES = (
    "rect", "round", "stadium", "subroutine", "cylinder", "circle", "double_circle", "rhombus", "hexagon",
    "parallelogram", "parallelogram_alt", "trapezoid", "trapezoid_alt", "asymmetric",
    "start", "end", "fork", "join", "choice", "note",
)


@dataclass
class Node:
    """A box in a flowchart or a state in a state diagram."""

    id: str
    label: str
    shape: str = "rect"
    style: Style = field(default_factory=Style)
    classes: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class Edge:
    """A link between two nodes (or clusters: source/target may be a cluster id).

    line_style: 'solid', 'dotted', 'thick' or 'invisible'.
    head/tail: 'arrow', 'circle', 'cross' or 'none' at the target/source end.
    constraint: False when the edge must not decide which rank its ends go to (a fold).
    min_ranks: how many ranks the target lies at least after the source (0 lets them share
    a rank, where the edge then puts the source first).
    """

    source: str
    target: str
    label: str = ""
    line_style: str = "solid"
    head: str = "arrow"
    tail: str = "none"
    line: int = 0
    constraint: bool = True
    min_ranks: int = 1


@dataclass
class Cluster:
    """A subgraph (flowchart) or composite state: a titled frame around nodes and clusters."""

    id: str
    title: str
    nodes: list[str] = field(default_factory=list)  # ids of nodes directly inside
    clusters: list["Cluster"] = field(default_factory=list)
    direction: str | None = None
    style: Style = field(default_factory=Style)
    line: int = 0

    def members(self) -> list[str]:
        """Every node id inside the cluster, nested clusters' included."""
        return [*self.nodes, *(n for child in self.clusters for n in child.members())]


@dataclass
class Graph:
    """A flowchart or state diagram: nodes in first-seen order, edges, nested clusters.

    kind is 'flowchart' or 'state'; direction is 'TB', 'BT', 'LR' or 'RL' ('TD' is read as 'TB').
    """

    kind: str
    direction: str = "TB"
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    title: str = ""

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: labels, edge labels, frame titles."""
        texts = [n.label for n in self.nodes.values()]
        texts += [e.label for e in self.edges if e.line_style != "invisible"]
        texts += [cluster.title for cluster in self.all_clusters()]
        return [t for t in texts if t]

    def all_clusters(self) -> list[Cluster]:
        """Every cluster, each before the clusters inside it."""
        found: list[Cluster] = []

        def walk(clusters: list[Cluster]) -> None:
            for cluster in clusters:
                found.append(cluster)
                walk(cluster.clusters)

        walk(self.clusters)
        return found


@dataclass
class Participant:
    """A lifeline: `participant A as 별칭` or `actor A`."""

    id: str
    label: str
    kind: str = "participant"  # or 'actor'
    line: int = 0


@dataclass
class Message:
    """An arrow between lifelines.

    line_style: 'solid' or 'dotted'. head: 'arrow' (->>), 'open' (->, no head),
    'cross' (-x) or 'async' (-) ). activate: True for `+`, False for `-`, None otherwise.
    number: its autonumber, when autonumbering is on.
    """

    source: str
    target: str
    text: str
    line_style: str = "solid"
    head: str = "arrow"
    activate: bool | None = None
    number: int | None = None
    line: int = 0


@dataclass
class Note:
    """`Note over A,B: text`, `Note left of A: text` or `Note right of A: text`."""

    participants: list[str]
    position: str  # 'over', 'left' or 'right'
    text: str
    line: int = 0


@dataclass
class BlockStart:
    """Opens `alt`, `opt`, `loop`, `par`, `rect`, `critical` or `break` with its label (rect: its colour)."""

    kind: str
    label: str
    line: int = 0


@dataclass
class BlockSection:
    """`else`, `and` or `option` inside an open block, with its label."""

    label: str
    line: int = 0


@dataclass
class BlockEnd:
    line: int = 0


@dataclass
class Activation:
    """`activate A` / `deactivate A`."""

    participant: str
    active: bool
    line: int = 0


SequenceEvent = Union[Message, Note, BlockStart, BlockSection, BlockEnd, Activation]


@dataclass
class Sequence:
    """A sequence diagram: participants in order of appearance and its events in order."""

    participants: list[Participant] = field(default_factory=list)
    events: list[SequenceEvent] = field(default_factory=list)
    autonumber: bool = False
    title: str = ""

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: participants, messages and notes."""
        texts = [p.label for p in self.participants]
        texts += [e.text for e in self.events if isinstance(e, (Message, Note))]
        return [t for t in texts if t]

"""Mermaid flowcharts (blocks that start with `graph` or `flowchart`) → Graph of kind 'flowchart'.

A line-based reader. `common.source_lines` drops comments and front matter, lines
are joined while a quoted label is still open, and each line is split into its
`;`-separated statements. A statement is a keyword (`subgraph`, `end`,
`direction`, `style`, `classDef`, `class`, or one that is ignored such as
`linkStyle`) or a chain of node groups joined by links, read left to right by a
small cursor-based tokenizer: `A[시작] & B --> C{판단} -->|예| D`.

Subgraph membership follows Mermaid: when a subgraph closes, the nodes its own
statements mention become its members unless an earlier-closed subgraph already
holds them. Inner subgraphs therefore win over outer ones, and a node used at
top level before its subgraph declares it still lands in that subgraph.

Ids, classes and styles are settled once the whole source is read, because
`style`, `class` and edges to a subgraph may come before what they refer to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Cluster, Edge, Graph, MermaidError, Node
from .common import StyleSheet, clean_label, source_lines

_HEADER = re.compile(r"(graph|flowchart(?:-elk)?)(?:\s+(.*))?", re.S)
_DIRECTIONS = {"TB": "TB", "TD": "TB", "BT": "BT", "LR": "LR", "RL": "RL", "v": "TB", "^": "BT", ">": "LR", "<": "RL"}

# Statement keywords; everything else is a chain of nodes and links.
_KEYWORD = re.compile(r"(subgraph|end|direction|style|classDef|class|linkStyle|click|accTitle|accDescr)(?=[\s:{]|$)")
_ACC_DESCR_BLOCK = re.compile(r"accDescr\s*\{")

# A node id: words joined by single '-' or '.' (`api-gw`, `node_1`), never the start of a link.
_ID = re.compile(r"\w+(?:[-.]\w+)*")
_SPACE = re.compile(r"\s*")
_CLASS_SUFFIX = re.compile(r":::([\w-]+)")
_SUBGRAPH = re.compile(r"subgraph(?:\s+(.*))?", re.S)
_SUBGRAPH_ID_TITLE = re.compile(r"(\w+(?:[-.]\w+)*)\s*\[(.*)\]", re.S)
_DIRECTION_STATEMENT = re.compile(r"direction\s+(\S+)")
_STYLE = re.compile(r"style\s+(\S+)\s+(.+)", re.S)
_CLASS_DEF = re.compile(r"classDef\s+(?P<names>[\w-]+(?:\s*,\s*[\w-]+)*)\s+(?P<properties>.+)", re.S)
_CLASS = re.compile(r"class\s+([^\s,]+(?:\s*,\s*[^\s,]+)*)\s+([\w-]+)")
_LIST_SEPARATOR = re.compile(r"\s*,\s*")
_FRONT_MATTER_TITLE = re.compile(r"title\s*:\s*(.*)")

# A complete link, `-->`, `<-.->`, `==>`, `--o`, `~~~`…, and an optional `|label|` after it.
_LINK = re.compile(
    r"(?P<tail>[xo<]?)(?:"
    r"(?P<solid>-{2,})(?P<solid_head>[-xo>])"
    r"|(?P<thick>={2,})(?P<thick_head>[=xo>])"
    r"|(?P<dotted>-?\.+-)(?P<dotted_head>[xo>]?)"
    r"|(?P<invisible>~{3,}))"
)
_PIPE_LABEL = re.compile(r"\s*\|([^|]*)\|")
# The opening half of a link whose label sits inside it (`A -- text --> B`), and its closing halves.
_LINK_START = re.compile(r"(?P<tail>[xo<]?)(?P<start>--|==|-\.)")
_LINK_ENDS = {
    "--": ("solid", re.compile(r"-{2,}([-xo>])")),
    "==": ("thick", re.compile(r"={2,}([=xo>])")),
    "-.": ("dotted", re.compile(r"-?\.+-([xo>]?)")),
}
_ENDS = {">": "arrow", "<": "arrow", "x": "cross", "o": "circle"}

# Node shapes: opener → (closer, shape) pairs, longest opener first so `((` wins over `(`.
_SHAPES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("(((", ((")))", "double_circle"),)),
    ("((", (("))", "circle"),)),
    ("([", (("])", "stadium"),)),
    ("[[", (("]]", "subroutine"),)),
    ("[(", ((")]", "cylinder"),)),
    ("[/", (("/]", "parallelogram"), ("\\]", "trapezoid"))),
    ("[\\", (("\\]", "parallelogram_alt"), ("/]", "trapezoid_alt"))),
    ("{{", (("}}", "hexagon"),)),
    ("[", (("]", "rect"),)),
    ("(", ((")", "round"),)),
    ("{", (("}", "rhombus"),)),
    (">", (("]", "asymmetric"),)),
)
_BRACKETS = ")]}"
# A run of word characters: the name of an entity (`#quot;`), or the end of the id before `A>깃발]`.
_WORD = re.compile(r"\w+")


@dataclass
class _Vertex:
    """One node as a statement writes it: id, and label/shape/class when the statement gives them."""

    id: str
    label: str | None = None
    shape: str = "rect"
    css_class: str | None = None


@dataclass
class _Link:
    """One link as a statement writes it, before it is multiplied out over `&` groups."""

    line_style: str
    head: str
    tail: str
    label: str = ""


@dataclass
class _Frame:
    """A subgraph while it is being read: its cluster and the ids its own statements mention."""

    cluster: Cluster
    mentions: dict[str, None] = field(default_factory=dict)  # an ordered set


def parse_flowchart(source: str) -> Graph:
    """Read the source of a ```` ```mermaid ```` block that starts with `graph` or `flowchart`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    statements = _statements(source)
    if not statements:
        raise MermaidError(1, "empty diagram: no 'graph' or 'flowchart' header")
    line, header = statements[0]
    reader = _Reader(Graph("flowchart", _header_direction(header, line), title=_front_matter_title(source)))
    for line, text in statements[1:]:
        reader.read(line, text)
    return reader.finish(max(1, len(source.splitlines())))


def _header_direction(header: str, line: int) -> str:
    """The graph direction named by the header statement (`graph LR`), TB when it names none."""
    match = _HEADER.fullmatch(header)
    if match is None:
        raise MermaidError(line, f"unknown diagram header: '{_shorten(header)}'")
    word = match.group(2) or "TB"
    if word not in _DIRECTIONS:
        raise MermaidError(line, f"unknown direction '{_shorten(word)}' (expected TB, TD, BT, LR or RL)")
    return _DIRECTIONS[word]


def _front_matter_title(source: str) -> str:
    """`title:` from the YAML front matter, which source_lines skips; '' when there is none."""
    lines = source.splitlines()
    if not lines or lines[0].strip() != "---":
        return ""
    for number, text in enumerate(lines[1:], start=2):
        if text.strip() == "---":
            break
        match = _FRONT_MATTER_TITLE.fullmatch(text.rstrip())
        if match:
            return clean_label(match.group(1))
    return ""


# --- Lines and statements -------------------------------------------------------------


def _statements(source: str) -> list[tuple[int, str]]:
    """(line, statement) pairs: quoted labels joined across lines, `;` splits, comments gone."""
    result = []
    for line, text in _logical_lines(source):
        for part in _split_statements(text):
            part = part.strip()
            if part:
                result.append((line, part))
    return result


def _logical_lines(source: str) -> list[tuple[int, str]]:
    """source_lines, with a line that leaves a `"` or a node's bracket open joined to the following
    ones by newlines (Mermaid reads a label on to its closing bracket), and multi-line
    `accDescr { … }` blocks left out."""
    result: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    skipping_from = 0
    for line, text in source_lines(source):
        if skipping_from:
            skipping_from = 0 if "}" in text else skipping_from
        elif pending is not None:
            pending = (pending[0], pending[1] + "\n" + text)
            if not _left_open(pending[1]):
                result.append(pending)
                pending = None
        elif _ACC_DESCR_BLOCK.match(text) and "}" not in text:
            skipping_from = line
        elif _left_open(text):
            pending = (line, text)
        else:
            result.append((line, text))
    if pending is not None:
        what = "a quoted label" if pending[1].count('"') % 2 else "a node label"
        raise MermaidError(pending[0], f"{what} is never closed")
    if skipping_from:
        raise MermaidError(skipping_from, "'accDescr {' is never closed with '}'")
    return result


def _left_open(text: str) -> bool:
    """Whether text leaves a quote or more brackets ([, ( or {) open than it closes, outside quotes."""
    if text.count('"') % 2:
        return True
    unquoted = "".join(text.split('"')[::2])
    return sum(unquoted.count(c) for c in "[({") > sum(unquoted.count(c) for c in "])}")


def _split_statements(text: str) -> list[str]:
    """A line's statements: split at `;` and cut at a `%%` comment, both only outside quotes,
    brackets (`>` after an id opens one too: `A>깃발]`) and `|edge labels|`. The `;` that ends
    an entity such as `#quot;` does not split."""
    if ";" not in text and "%%" not in text:
        return [text]
    parts, start, depth, quoted, piped = [], 0, 0, False, False
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif quoted:
            pass
        elif char in "[({" or (char == ">" and index and _WORD.match(text[index - 1])):
            depth += 1
        elif char in _BRACKETS:
            depth = max(0, depth - 1)
        elif depth:
            pass
        elif char == "|":
            piped = not piped
        elif piped:
            pass
        elif text.startswith("%%", index):
            break
        elif char == ";" and not _ends_entity(text, start, index):
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:index])
    return parts


def _ends_entity(text: str, start: int, index: int) -> bool:
    """Whether the `;` at index closes an entity such as `#quot;` or `#9829;` begun after start."""
    hash_sign = text.rfind("#", start, index)
    return hash_sign >= 0 and _WORD.fullmatch(text, hash_sign + 1, index) is not None


# --- Tokens inside a statement -----------------------------------------------------------


def _read_vertex(text: str, pos: int, line: int) -> tuple[_Vertex, int]:
    """The node written at pos (`A`, `A[라벨]`, `A((원))`, `A:::hot`) and the position after it."""
    match = _ID.match(text, pos)
    if match is None:
        raise _unreadable(text, pos, line)
    vertex = _Vertex(match.group(0))
    pos = match.end()
    shape = _read_shape(text, pos, line)
    if shape is not None:
        vertex.shape, vertex.label, pos = shape
    elif pos < len(text) and text[pos] in "[({>":
        raise MermaidError(line, f"node '{vertex.id}' has an unclosed '{text[pos]}': '{_shorten(text)}'")
    css_class = _CLASS_SUFFIX.match(text, pos)
    if css_class:
        vertex.css_class = css_class.group(1)
        pos = css_class.end()
    return vertex, pos


def _read_shape(text: str, pos: int, line: int) -> tuple[str, str, int] | None:
    """(shape, label, position after it) for a bracketed label at pos, or None when there is none.

    A shape whose closer is missing falls back to a shorter opener: `[/api]` is a rect
    labelled '/api', as it is clearly not a parallelogram.
    """
    for opener, closers in _SHAPES:
        if not text.startswith(opener, pos):
            continue
        found = _quoted_body(text, pos + len(opener), closers) or _plain_body(text, pos + len(opener), closers)
        if found is not None:
            shape, raw, end = found
            return shape, clean_label(raw), end
    return None


def _quoted_body(text: str, start: int, closers: tuple[tuple[str, str], ...]) -> tuple[str, str, int] | None:
    """A `"…"` label right after an opener, which may hold brackets, when a closer follows its quote."""
    begin = _SPACE.match(text, start).end()
    if not text.startswith('"', begin):
        return None
    quote = text.find('"', begin + 1)
    if quote < 0:
        return None
    after = _SPACE.match(text, quote + 1).end()
    for closer, shape in closers:
        if text.startswith(closer, after):
            return shape, text[begin:quote + 1], after + len(closer)
    return None


def _plain_body(text: str, start: int, closers: tuple[tuple[str, str], ...]) -> tuple[str, str, int] | None:
    """An unquoted label: text up to the first closing bracket, which must complete a closer."""
    closer = closers[0][0]
    offset = next(i for i, char in enumerate(closer) if char in _BRACKETS)
    stop = text.find(closer[offset], start)
    begin = stop - offset
    if stop < 0 or begin < start:
        return None
    for closer, shape in closers:
        if text.startswith(closer, begin):
            return shape, text[start:begin], begin + len(closer)
    return None


def _read_link(text: str, pos: int, line: int) -> tuple[_Link, int] | None:
    """The link written at pos with its label (`-->|예|`, `-. 텍스트 .->`), or None when there is none."""
    match = _LINK.match(text, pos)
    if match:
        link = _complete_link(match)
        label = _PIPE_LABEL.match(text, match.end())
        if label is None:
            return link, match.end()
        link.label = clean_label(label.group(1))
        return link, label.end()
    start = _LINK_START.match(text, pos)
    if start is None:
        return None
    line_style, end_pattern = _LINK_ENDS[start.group("start")]
    end = end_pattern.search(text, start.end())
    if end is None:
        raise MermaidError(line, f"edge label opened with '{start.group(0)}' is never closed: '{_shorten(text)}'")
    link = _Link(line_style, _ENDS.get(end.group(1), "none"), _ENDS.get(start.group("tail"), "none"))
    link.label = clean_label(text[start.end():end.start()])
    return link, end.end()


def _complete_link(match: re.Match[str]) -> _Link:
    """The style and ends of a link matched by _LINK."""
    if match.group("invisible"):
        return _Link("invisible", "none", "none")
    line_style = "thick" if match.group("thick") else "dotted" if match.group("dotted") else "solid"
    head = match.group(f"{line_style}_head")
    return _Link(line_style, _ENDS.get(head, "none"), _ENDS.get(match.group("tail"), "none"))


def _unreadable(text: str, pos: int, line: int) -> MermaidError:
    """The error for a statement that stops making sense at pos."""
    near = f" near '{_shorten(text[pos:], 20)}'" if pos else ""
    return MermaidError(line, f"cannot read node or edge: '{_shorten(text)}'{near}")


def _shorten(text: str, limit: int = 60) -> str:
    """text on one line, cut to limit characters for an error message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- The reader ---------------------------------------------------------------------------


class _Reader:
    """Builds a Graph statement by statement; finish() settles what needs the whole source."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.frames: list[_Frame] = []  # every subgraph, in the order it was opened
        self.open: list[_Frame] = []  # subgraphs whose `end` is still to come, innermost last
        self.clusters: dict[str, _Frame] = {}  # subgraphs by id, for those that have one yet
        self.held: set[str] = set()  # ids already members of a closed subgraph
        self.sheet = StyleSheet()  # by node or subgraph id
        # Keyword statements not listed here (linkStyle, click, accTitle, accDescr) are ignored.
        self.handlers = {
            "subgraph": self._subgraph, "end": self._end, "direction": self._direction,
            "style": self._style, "classDef": self._class_def, "class": self._class,
        }

    def read(self, line: int, text: str) -> None:
        """Take one statement into the graph."""
        keyword = _KEYWORD.match(text)
        if keyword is None:
            self._chain(line, text)
        elif keyword.group(1) in self.handlers:
            self.handlers[keyword.group(1)](line, text)

    def finish(self, last_line: int) -> Graph:
        """The graph, once every statement is read: subgraph ids settled and styles applied."""
        if self.open:
            frame = self.open[-1]
            name = frame.cluster.id or frame.cluster.title
            raise MermaidError(last_line, f"unclosed subgraph '{name}' (opened on line {frame.cluster.line})")
        for frame in self.frames:
            self._settle_clash(frame)
        self._name_anonymous_clusters()
        self._apply_styles()
        return self.graph

    # Chains of nodes and links

    def _chain(self, line: int, text: str) -> None:
        """`A & B --> C -->|t| D`: declare every node, add one edge per source × target per link."""
        sources, pos = self._group(text, 0, line)
        while True:
            pos = _SPACE.match(text, pos).end()
            if pos == len(text):
                return
            found = _read_link(text, pos, line)
            if found is None:
                raise _unreadable(text, pos, line)
            link, pos = found
            pos = _SPACE.match(text, pos).end()
            if pos == len(text):
                raise MermaidError(line, f"edge without a target: '{_shorten(text)}'")
            targets, pos = self._group(text, pos, line)
            for source in sources:
                for target in targets:
                    self.graph.edges.append(
                        Edge(source, target, link.label, link.line_style, link.head, link.tail, line)
                    )
            sources = targets

    def _group(self, text: str, pos: int, line: int) -> tuple[list[str], int]:
        """Nodes joined by `&` from pos, each declared; their ids and the position after them."""
        ids = []
        while True:
            vertex, pos = _read_vertex(text, pos, line)
            self._declare(vertex, line)
            ids.append(vertex.id)
            after = _SPACE.match(text, pos).end()
            if not text.startswith("&", after):
                return ids, pos
            pos = _SPACE.match(text, after + 1).end()

    def _declare(self, vertex: _Vertex, line: int) -> None:
        """Record a node mention: create it, update its label and shape, note its class and subgraph."""
        node = self.graph.nodes.get(vertex.id)
        if node is None:
            node = self.graph.nodes[vertex.id] = Node(vertex.id, vertex.id, line=line)
        if vertex.label is not None:
            node.label, node.shape = vertex.label, vertex.shape
        if vertex.css_class:
            self.sheet.add_class(vertex.id, vertex.css_class)
        if self.open:
            self.open[-1].mentions[vertex.id] = None

    # Keyword statements; each takes the line and the whole statement

    def _subgraph(self, line: int, text: str) -> None:
        """`subgraph "제목"`, `subgraph id[제목]`, `subgraph id` or `subgraph 제목 with spaces`."""
        opening = _SUBGRAPH.fullmatch(text)
        if opening is None:
            raise MermaidError(line, f"cannot read subgraph: '{_shorten(text)}'")
        rest = (opening.group(1) or "").strip()
        explicit = _SUBGRAPH_ID_TITLE.fullmatch(rest)
        if explicit:
            cluster_id, title, written = explicit.group(1), clean_label(explicit.group(2)), True
        elif _ID.fullmatch(rest):
            cluster_id, title, written = rest, rest, False
        else:
            cluster_id, title, written = "", clean_label(rest), False
        if cluster_id in self.clusters:
            if written:
                first = self.clusters[cluster_id].cluster.line
                raise MermaidError(line, f"subgraph id '{cluster_id}' is already used on line {first}")
            cluster_id = ""
        frame = _Frame(Cluster(cluster_id, title, line=line))
        parent = self.open[-1].cluster.clusters if self.open else self.graph.clusters
        parent.append(frame.cluster)
        if cluster_id:
            self.clusters[cluster_id] = frame
        self.frames.append(frame)
        self.open.append(frame)

    def _end(self, line: int, text: str) -> None:
        """`end`: close the innermost subgraph; it takes the mentioned nodes no other one holds."""
        if text != "end":
            raise MermaidError(line, f"unexpected text after 'end': '{_shorten(text)}'")
        if not self.open:
            raise MermaidError(line, "'end' without an open subgraph")
        frame = self.open.pop()
        for node_id in frame.mentions:
            if node_id not in self.held:
                self.held.add(node_id)
                frame.cluster.nodes.append(node_id)

    def _direction(self, line: int, text: str) -> None:
        """`direction LR` inside a subgraph; at top level Mermaid ignores it, and so do we."""
        match = _DIRECTION_STATEMENT.fullmatch(text)
        if match is None or match.group(1) not in _DIRECTIONS:
            raise MermaidError(line, f"unknown direction in '{_shorten(text)}' (expected TB, TD, BT, LR or RL)")
        if self.open:
            self.open[-1].cluster.direction = _DIRECTIONS[match.group(1)]

    def _style(self, line: int, text: str) -> None:
        """`style id fill:#f9f,stroke:#333` for a node or a subgraph."""
        match = _STYLE.fullmatch(text)
        if match is None:
            raise MermaidError(line, f"cannot read style: '{_shorten(text)}'")
        self.sheet.add_style(match.group(1), match.group(2))

    def _class_def(self, line: int, text: str) -> None:
        """`classDef hot,warm fill:#f96`; `default` styles every node."""
        match = _CLASS_DEF.fullmatch(text)
        if match is None:
            raise MermaidError(line, f"cannot read classDef: '{_shorten(text)}'")
        self.sheet.class_def(match, line)

    def _class(self, line: int, text: str) -> None:
        """`class A,B hot`: give nodes or subgraphs a class."""
        match = _CLASS.fullmatch(text)
        if match is None:
            raise MermaidError(line, f"cannot read class: '{_shorten(text)}'")
        for target in _LIST_SEPARATOR.split(match.group(1)):
            self.sheet.add_class(target, match.group(2))

    # Settling

    def _settle_clash(self, frame: _Frame) -> None:
        """A subgraph id that is also a node id names the subgraph: Mermaid draws only the
        subgraph (a label given to the node is not shown) and the node's edges end at its frame."""
        cluster_id = frame.cluster.id
        if not cluster_id or cluster_id not in self.graph.nodes:
            return
        del self.graph.nodes[cluster_id]
        for other in self.frames:
            if cluster_id in other.cluster.nodes:
                other.cluster.nodes.remove(cluster_id)

    def _name_anonymous_clusters(self) -> None:
        """Give subgraphs without an id `subgraph_1`, `subgraph_2`…, skipping ids already taken."""
        taken = set(self.graph.nodes) | set(self.clusters)
        number = 0
        for frame in self.frames:
            if frame.cluster.id:
                continue
            number += 1
            while f"subgraph_{number}" in taken:
                number += 1
            frame.cluster.id = f"subgraph_{number}"

    def _apply_styles(self) -> None:
        """Node style = `classDef default`, then its classes in order, then its `style` lines;
        subgraphs get the same without the default."""
        for node in self.graph.nodes.values():
            node.classes = self.sheet.classes_of(node.id)
            node.style = self.sheet.style_for(node.id)
        for frame in self.frames:
            frame.cluster.style = self.sheet.style_for(frame.cluster.id, default=False)

"""Mermaid `sequenceDiagram` source → Sequence (participants and events in order).

Each meaningful line is one statement, matched against one regular expression per
statement kind; the first that matches wins, so keywords are tried before messages.
Blocks (`alt` … `end`) become flat BlockStart/BlockSection/BlockEnd events, checked
with a stack so that a stray or missing `end` is reported on the right line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import (
    Activation,
    BlockEnd,
    BlockSection,
    BlockStart,
    MermaidError,
    Message,
    Note,
    Participant,
    Sequence,
)
from .common import RuleParser, body_lines, clean_label, quoted

# A participant id: anything but arrow, separator and text characters, which may hold
# spaces and single dashes inside but never starts or ends with a space or a dash.
_ACTOR = r"[^\s+\-<>:,;](?:[^+<>:,;]*[^\s+\-<>:,;])?"
_ACTOR_ONLY = re.compile(rf"^{_ACTOR}$")

# Arrow → (line_style, head). Longer arrows come first so that the regex prefers them.
_ARROWS = {
    "<<-->>": ("dotted", "arrow"),
    "<<->>": ("solid", "arrow"),
    "-->>": ("dotted", "arrow"),
    "->>": ("solid", "arrow"),
    "-->": ("dotted", "open"),
    "->": ("solid", "open"),
    "--x": ("dotted", "cross"),
    "-x": ("solid", "cross"),
    "--)": ("dotted", "async"),
    "-)": ("solid", "async"),
}
_ARROW = "|".join(re.escape(arrow) for arrow in _ARROWS)

_HEADER = re.compile(r"^sequenceDiagram$")
_MESSAGE = re.compile(
    rf"^(?P<source>{_ACTOR})\s*(?P<arrow>{_ARROW})\s*(?P<activation>[+-]?)\s*"
    rf"(?P<target>{_ACTOR})\s*(?::(?P<text>.*))?$"
)
_PARTICIPANT = re.compile(r"^(?:create\s+)?(?P<kind>participant|actor)\s+(?P<rest>.+)$", re.IGNORECASE)
_ALIAS = re.compile(r"\sas(?:\s|$)", re.IGNORECASE)  # searched, so that long lines stay linear
_NOTE = re.compile(
    r"^note\s+(?P<position>over|left\s+of|right\s+of)\s+(?P<who>[^:]+?)\s*:(?P<text>.*)$", re.IGNORECASE
)
_BLOCK_START = re.compile(
    r"^(?P<kind>alt|opt|loop|par_over|par|critical|break|rect)(?:\s+(?P<label>.*))?$", re.IGNORECASE
)
_BLOCK_SECTION = re.compile(r"^(?P<kind>else|and|option)(?:\s+(?P<label>.*))?$", re.IGNORECASE)
_BOX = re.compile(r"^box(?:\s.*)?$", re.IGNORECASE)
_END = re.compile(r"^end$", re.IGNORECASE)
_ACTIVATION = re.compile(r"^(?P<kind>activate|deactivate)\s+(?P<id>.+)$", re.IGNORECASE)
_AUTONUMBER = re.compile(
    r"^autonumber(?:\s+(?P<off>off)|\s+(?P<start>\d{1,9})(?:\s+(?P<step>\d{1,9}))?)?$", re.IGNORECASE
)
_TITLE = re.compile(r"^title(?:\s*:\s*|\s+)(?P<title>.*)$", re.IGNORECASE)
_IGNORED = re.compile(r"^(?:links?|properties|details|destroy)\s", re.IGNORECASE)  # nothing to draw
_STYLE = re.compile(r"^style\s", re.IGNORECASE)
_WRAP = re.compile(r"^\s*(?:no)?wrap:", re.IGNORECASE)

# Which section keyword each block kind accepts.
_SECTIONS = {"alt": "else", "par": "and", "critical": "option"}


def parse_sequence(source: str) -> Sequence:
    """Read the source of a ```` ```mermaid ```` block that starts with `sequenceDiagram`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    return _SequenceReader().read(source)


@dataclass
class _OpenBlock:
    """A block waiting for its `end`: its kind ('box' for boxes, which emit no events) and line."""

    kind: str
    line: int


class _SequenceReader(RuleParser):
    """Builds one Sequence statement by statement, tracking open blocks and autonumbering."""

    def __init__(self) -> None:
        self.sequence = Sequence()
        self.participants: dict[str, Participant] = {}
        self.blocks: list[_OpenBlock] = []
        self.next_number: int | None = None
        self.step = 1
        self.rules = (
            (_END, self.end),
            (_BLOCK_SECTION, self.block_section),
            (_BLOCK_START, self.block_start),
            (_BOX, self.box),
            (_PARTICIPANT, self.participant),
            (_NOTE, self.note),
            (_ACTIVATION, self.activation),
            (_AUTONUMBER, self.autonumber),
            (_TITLE, self.title),
            (_IGNORED, self.ignore),
            (_STYLE, self.style),
            (_MESSAGE, self.message),
        )

    def read(self, source: str) -> Sequence:
        """Parse every line after the header, then check that all blocks were closed."""
        self.read_lines(body_lines(source, _HEADER, "sequenceDiagram"))
        if self.blocks:
            block = self.blocks[-1]
            raise MermaidError(block.line, f"'{block.kind}' opened here is never closed with 'end'")
        return self.sequence

    def actor(self, name: str, line: int) -> str:
        """The participant called name, added in order of first appearance when new."""
        name = name.strip()
        if not _ACTOR_ONLY.match(name):
            raise MermaidError(line, f"invalid participant name {quoted(name)}")
        if name not in self.participants:
            participant = Participant(name, name, line=line)
            self.participants[name] = participant
            self.sequence.participants.append(participant)
        return name

    def participant(self, match: re.Match, line: int) -> None:
        """`participant A [as 별칭]` or `actor A [as 별칭]`: declares or re-labels a lifeline."""
        name, alias = match["rest"], ""
        split = _ALIAS.search(name)
        if split:
            name, alias = name[: split.start()], _text(name[split.end() :])
        participant = self.participants[self.actor(name, line)]
        participant.kind = match["kind"].lower()
        if alias:
            participant.label = alias

    def message(self, match: re.Match, line: int) -> None:
        """`A->>B: text` with any arrow and an optional `+`/`-` activation mark."""
        line_style, head = _ARROWS[match["arrow"]]
        activate = {"+": True, "-": False}.get(match["activation"])
        message = Message(
            self.actor(match["source"], line),
            self.actor(match["target"], line),
            _text(match["text"]),
            line_style,
            head,
            activate,
            self.take_number(),
            line,
        )
        self.sequence.events.append(message)

    def take_number(self) -> int | None:
        """The next autonumber, or None when autonumbering is off."""
        number = self.next_number
        if number is not None:
            self.next_number = number + self.step
        return number

    def note(self, match: re.Match, line: int) -> None:
        """`Note over A[,B]: text`, `Note left of A: text` or `Note right of A: text`."""
        names = match["who"].split(",")
        if len(names) > 2:
            raise MermaidError(line, "a note can span at most two participants")
        participants = [self.actor(name, line) for name in names]
        position = match["position"].split()[0].lower()
        self.sequence.events.append(Note(participants, position, _text(match["text"]), line))

    def block_start(self, match: re.Match, line: int) -> None:
        """`alt`, `opt`, `loop`, `par`, `critical`, `break` or `rect` with its label or colour."""
        kind = match["kind"].lower()
        kind = "par" if kind == "par_over" else kind
        self.blocks.append(_OpenBlock(kind, line))
        self.sequence.events.append(BlockStart(kind, _text(match["label"]), line))

    def block_section(self, match: re.Match, line: int) -> None:
        """`else`, `and` or `option`, allowed only directly inside alt, par or critical."""
        keyword = match["kind"].lower()
        if not self.blocks or _SECTIONS.get(self.blocks[-1].kind) != keyword:
            owner = next(kind for kind, section in _SECTIONS.items() if section == keyword)
            raise MermaidError(line, f"'{keyword}' outside an '{owner}' block")
        self.sequence.events.append(BlockSection(_text(match["label"]), line))

    def box(self, match: re.Match, line: int) -> None:
        """`box [colour] [title]`: only groups participants, so it is tracked but not drawn."""
        self.blocks.append(_OpenBlock("box", line))

    def end(self, match: re.Match, line: int) -> None:
        """`end`: closes the innermost block or box."""
        if not self.blocks:
            raise MermaidError(line, "'end' without an open block")
        if self.blocks.pop().kind != "box":
            self.sequence.events.append(BlockEnd(line))

    def activation(self, match: re.Match, line: int) -> None:
        """`activate A` / `deactivate A`."""
        active = match["kind"].lower() == "activate"
        self.sequence.events.append(Activation(self.actor(match["id"], line), active, line))

    def autonumber(self, match: re.Match, line: int) -> None:
        """`autonumber [start [step]]` numbers the following messages; `autonumber off` stops."""
        if match["off"]:
            self.next_number = None
            return
        self.sequence.autonumber = True
        self.next_number = int(match["start"] or 1)
        self.step = int(match["step"] or 1)

    def title(self, match: re.Match, line: int) -> None:
        """`title text` (or the older `title: text`)."""
        self.sequence.title = _text(match["title"])

    def style(self, match: re.Match, line: int) -> None:
        """`style …` is a flowchart statement that Mermaid rejects in sequence diagrams."""
        raise MermaidError(line, "'style' is not allowed in a sequence diagram")


def _text(raw: str | None) -> str:
    """Label text as shown: `wrap:`/`nowrap:` prefixes dropped, then clean_label."""
    return clean_label(_WRAP.sub("", raw or ""))


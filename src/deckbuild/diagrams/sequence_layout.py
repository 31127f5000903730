"""Sequence → Scene with our own layout: participants across the top (and again at the
bottom), dashed lifelines, one row per message or note, frames for alt/loop/par blocks.

Columns are spread so every message label fits between the lifelines it joins;
rows are as tall as their text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..measure import Measurer
from ..theme import DiagramStyle
from .model import Activation, BlockEnd, BlockSection, BlockStart, Message, MermaidError, Note, Sequence
from .layout import SLIDE_HEIGHT, SLIDE_WIDTH, wrapped_text
from .scene import Scene, SceneConnector, SceneShape

HEAD_PADDING_X = 14.0
HEAD_PADDING_Y = 8.0
COLUMN_GAP = 36.0
ROW_GAP = 6.0
ARROW_ROOM = 10.0
SELF_LOOP_WIDTH = 28.0
NOTE_PADDING = 8.0
BLOCK_MARGIN = 10.0
ACTIVATION_WIDTH = 10.0
SPLIT_HEIGHT = SLIDE_HEIGHT  # a taller diagram shows its text under its own size (14 pt) on a slide: offer parts
PART_HEIGHT = SLIDE_HEIGHT  # each part fits a slide at the diagram's own type size
WRAP_EMS = 10.0  # where long message and note texts break when a diagram is wider than a slide
FIRST_PART_SHARE = 0.85  # the first part is shorter: its slide also holds the text that introduces it


@dataclass(frozen=True)
class _Grid:
    """Where the participants stand, shared by the whole diagram and each of its parts."""

    index: dict[str, int]
    head_width: list[float]
    head_height: float
    centres: list[float]


def _activates(event) -> bool:
    """Whether an event starts or ends an activation bar."""
    return isinstance(event, Activation) or (isinstance(event, Message) and event.activate is not None)


@dataclass
class _OpenBlock:
    start: BlockStart
    top: float
    sections: list[tuple[float, str]] = field(default_factory=list)
    columns: set[int] = field(default_factory=set)
    depth: int = 0


class SequenceLayout:
    """Lays out one Sequence into a Scene with a theme's diagram style and text metrics."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style
        self.size = style.font_size
        self.label_size = style.font_size

    def _text(self, text: str, size: float) -> tuple[float, float]:
        lines = text.split("\n") if text else []
        width = max((self.measure.width(line, size) for line in lines), default=0.0)
        return width, len(lines) * self.measure.line_height(size)

    def scene(self, sequence: Sequence) -> Scene:
        """The whole diagram; a diagram too tall to read on one slide also carries its parts, and
        one wider than a slide the same diagram with its long texts wrapped, as an alternative
        for the slide composer (Mermaid keeps each message on one line)."""
        if not sequence.participants:
            raise MermaidError(1, "the sequence diagram has no participants")
        whole = self._laid_out(sequence)
        if whole.width <= SLIDE_WIDTH:
            return whole
        narrow = self._laid_out(self._wrapped(sequence))
        return replace(whole, alternatives=(narrow,)) if narrow.width < whole.width else whole

    def _wrapped(self, sequence: Sequence) -> Sequence:
        """The sequence with message and note texts wrapped between words at WRAP_EMS."""
        width = WRAP_EMS * self.size
        events = [
            replace(event, text=wrapped_text(self.measure, event.text, width, self.label_size))
            if isinstance(event, (Message, Note)) and event.text else event
            for event in sequence.events
        ]
        return replace(sequence, events=events)

    def _laid_out(self, sequence: Sequence) -> Scene:
        """The diagram drawn, with its parts when it is too tall for a slide."""
        index = {p.id: i for i, p in enumerate(sequence.participants)}
        heads = [self._text(p.label, self.size) for p in sequence.participants]
        head_width = [w + 2 * HEAD_PADDING_X for w, _ in heads]
        grid = _Grid(index, head_width, max(h for _, h in heads) + 2 * HEAD_PADDING_Y,
                     self._columns(sequence, index, head_width))
        whole, boundaries = self._drawn(sequence, grid, sequence.events, 0)
        parts = self._parts(sequence, grid, whole, boundaries)
        return replace(whole, parts=parts) if parts else whole

    def _parts(self, sequence: Sequence, grid: "_Grid", whole: Scene, boundaries: list[tuple[int, float]]):
        """The diagram cut between top-level rows into parts that each fit a slide, when the
        whole is too tall to read on one. A cut never falls inside an alt/loop/par block, and
        diagrams with activation bars stay whole (a bar would have to cross the cut)."""
        if whole.height <= SPLIT_HEIGHT or any(_activates(event) for event in sequence.events):
            return ()
        count = 1 + math.ceil((whole.height - FIRST_PART_SHARE * PART_HEIGHT) / PART_HEIGHT)
        body = boundaries[-1][1]
        shares = FIRST_PART_SHARE + count - 1
        cuts: list[int] = []
        for k in range(1, count):
            wanted = body * (FIRST_PART_SHARE + k - 1) / shares
            later = [(i, y) for i, y in boundaries[:-1] if not cuts or i > cuts[-1]]
            if later:
                cuts.append(min(later, key=lambda b: abs(b[1] - wanted))[0])
        bounds = [0, *sorted(set(cuts)), len(sequence.events)]
        if len(bounds) < 3:
            return ()
        parts = []
        for start, end in zip(bounds, bounds[1:]):
            numbered = sum(isinstance(e, Message) for e in sequence.events[:start])
            parts.append(self._drawn(sequence, grid, sequence.events[start:end], numbered)[0])
        return tuple(parts)

    def _drawn(self, sequence: Sequence, grid: "_Grid", events, numbered: int) -> tuple[Scene, list[tuple[int, float]]]:
        """events drawn between the participant heads, and where each top-level row ends:
        (index of the next event, y) pairs at which the diagram could be cut."""
        index, head_width, head_height, centres = grid.index, grid.head_width, grid.head_height, grid.centres
        shapes: list[SceneShape] = []
        connectors: list[SceneConnector] = []
        frames: list[SceneShape] = []
        y = head_height + ROW_GAP
        open_blocks: list[_OpenBlock] = []
        active: dict[str, list[float]] = {}
        activations: list[SceneShape] = []
        boundaries: list[tuple[int, float]] = []
        number = numbered
        for position, event in enumerate(events):
            if isinstance(event, Message):
                number += 1
                y = self._message(event, index, centres, y, shapes, connectors, sequence.autonumber and number)
                if event.activate is True:
                    active.setdefault(event.target, []).append(y - ROW_GAP)
                elif event.activate is False:
                    self._deactivate(event.source, active, centres, index, y - ROW_GAP, activations)
                for block in open_blocks:
                    block.columns.update({index[event.source], index[event.target]})
            elif isinstance(event, Note):
                y = self._note(event, index, centres, head_width, y, shapes)
                for block in open_blocks:
                    block.columns.update(index[p] for p in event.participants if p in index)
            elif isinstance(event, Activation):
                if event.active:
                    active.setdefault(event.participant, []).append(y)
                else:
                    self._deactivate(event.participant, active, centres, index, y, activations)
            elif isinstance(event, BlockStart):
                _, label_height = self._text(event.label or event.kind, self.label_size)
                open_blocks.append(_OpenBlock(event, y, depth=len(open_blocks)))
                y += label_height + ROW_GAP
            elif isinstance(event, BlockSection):
                if open_blocks:
                    open_blocks[-1].sections.append((y, event.label))
                    _, label_height = self._text(event.label or " ", self.label_size)
                    y += label_height + ROW_GAP
            elif isinstance(event, BlockEnd):
                if open_blocks:
                    block = open_blocks.pop()
                    y += BLOCK_MARGIN
                    frames.extend(self._block(block, y, centres, head_width, connectors))
                    if open_blocks:
                        open_blocks[-1].columns.update(block.columns)
            if not open_blocks:
                boundaries.append((position + 1, y))
        for participant_id, starts in active.items():
            for start in starts:
                activations.append(self._activation(participant_id, start, y, centres, index))
        bottom = y + ROW_GAP
        width = centres[-1] + head_width[-1] / 2 + SELF_LOOP_WIDTH + HEAD_PADDING_X
        heads_top, heads_bottom = [], []
        for i, participant in enumerate(sequence.participants):
            left = centres[i] - head_width[i] / 2
            for top, target in ((0.0, heads_top), (bottom, heads_bottom)):
                target.append(
                    SceneShape(
                        f"{participant.id}@{'top' if top == 0 else 'bottom'}", "lifeline_head", left, top,
                        head_width[i], head_height, participant.label, fill=self.style.node_fill,
                        stroke=self.style.node_stroke, text_color=self.style.text, font_size=self.size,
                    )
                )
            connectors.insert(0, SceneConnector(
                (centres[i], head_height), (centres[i], bottom), f"{participant.id}@top", f"{participant.id}@bottom",
                "bottom", "top", color=self.style.frame_stroke, width=1.0, dashed=True, head="none",
            ))
        all_shapes = tuple(frames + heads_top + heads_bottom + activations + shapes)
        description = ", ".join(
            [p.label.replace("\n", " ") for p in sequence.participants]
            + [e.text.replace("\n", " ") for e in sequence.events if isinstance(e, (Message, Note)) and e.text]
        )
        scene = Scene("sequence", width, bottom + head_height, all_shapes, tuple(connectors), description, self.size)
        return scene.fitted(), boundaries

    def _columns(self, sequence: Sequence, index: dict[str, int], head_width: list[float]) -> list[float]:
        """Lifeline x positions: wide enough apart for heads, message labels and notes."""
        count = len(sequence.participants)
        gaps = [(head_width[i] + head_width[i + 1]) / 2 + COLUMN_GAP for i in range(count - 1)]
        for event in sequence.events:
            need, left, right = 0.0, None, None
            if isinstance(event, Message) and event.source != event.target:
                left, right = sorted((index[event.source], index[event.target]))
                need = self._text(event.text, self.label_size)[0] + 2 * ARROW_ROOM + 16
            elif isinstance(event, Note) and len(event.participants) > 1:
                columns = sorted(index[p] for p in event.participants)
                left, right = columns[0], columns[-1]
                need = self._text(event.text, self.label_size)[0] + 2 * NOTE_PADDING - head_width[left] / 2
            if left is not None and right is not None and right > left:
                have = sum(gaps[left:right])
                if need > have:
                    gaps[right - 1] += need - have
        centres = [head_width[0] / 2 + HEAD_PADDING_X]
        for gap in gaps:
            centres.append(centres[-1] + gap)
        return centres

    def _message(self, message: Message, index, centres, y, shapes, connectors, number) -> float:
        text = f"{number}. {message.text}" if number else message.text
        text_width, text_height = self._text(text, self.label_size)
        source, target = index[message.source], index[message.target]
        x1, x2 = centres[source], centres[target]
        if text:
            left = min(x1, x2) + (abs(x2 - x1) - text_width) / 2 if source != target else x1 + 6
            shapes.append(SceneShape(
                f"message_{len(shapes)}", "text", left - 2, y, text_width + 4, text_height, text,
                text_color=self.style.text, font_size=self.label_size,
            ))
        line_y = y + text_height + 3
        dashed = message.line_style == "dotted"
        if source == target:
            loop = [(x1, line_y), (x1 + SELF_LOOP_WIDTH, line_y), (x1 + SELF_LOOP_WIDTH, line_y + 14), (x1, line_y + 14)]
            for (start, end), head in zip(zip(loop, loop[1:]), ("none", "none", message.head)):
                connectors.append(SceneConnector(start, end, color=self.style.edge, dashed=dashed, head=head))
            return line_y + 14 + ROW_GAP
        connectors.append(SceneConnector((x1, line_y), (x2, line_y), color=self.style.edge, dashed=dashed, head=message.head))
        return line_y + ROW_GAP

    def _note(self, note: Note, index, centres, head_width, y, shapes) -> float:
        text_width, text_height = self._text(note.text, self.label_size)
        width, height = text_width + 2 * NOTE_PADDING, text_height + 2 * NOTE_PADDING
        columns = sorted(index[p] for p in note.participants if p in index) or [0]
        if note.position == "over":
            left_edge = centres[columns[0]] - (head_width[columns[0]] / 2 if len(columns) > 1 else 0)
            right_edge = centres[columns[-1]] + (head_width[columns[-1]] / 2 if len(columns) > 1 else 0)
            width = max(width, right_edge - left_edge)
            left = (left_edge + right_edge) / 2 - width / 2
        elif note.position == "left":
            left = centres[columns[0]] - ARROW_ROOM - width
        else:
            left = centres[columns[-1]] + ARROW_ROOM
        shapes.append(SceneShape(
            f"note_{len(shapes)}", "note", left, y, width, height, note.text, fill=self.style.note_fill,
            stroke=self.style.note_stroke, text_color=self.style.text, font_size=self.label_size,
        ))
        return y + height + ROW_GAP

    def _deactivate(self, participant_id, active, centres, index, y, activations) -> None:
        starts = active.get(participant_id)
        if starts:
            activations.append(self._activation(participant_id, starts.pop(), y, centres, index))

    def _activation(self, participant_id: str, top: float, bottom: float, centres, index) -> SceneShape:
        x = centres[index[participant_id]] - ACTIVATION_WIDTH / 2
        return SceneShape(
            f"activation_{participant_id}_{top:.0f}", "activation", x, top, ACTIVATION_WIDTH, max(bottom - top, 8.0),
            fill=self.style.frame_fill, stroke=self.style.node_stroke,
        )

    def _block(self, block: _OpenBlock, bottom: float, centres, head_width, connectors) -> list[SceneShape]:
        """The frame of a finished block, its title tab and dashed lines between its sections."""
        columns = sorted(block.columns) or list(range(len(centres)))
        inset = BLOCK_MARGIN * block.depth  # nested blocks sit inside their parents
        left = centres[columns[0]] - head_width[columns[0]] / 2 - BLOCK_MARGIN + inset
        right = centres[columns[-1]] + head_width[columns[-1]] / 2 + BLOCK_MARGIN + SELF_LOOP_WIDTH / 2 - inset
        label = block.start.kind if block.start.kind == "rect" else f"{block.start.kind} [{block.start.label}]" if block.start.label else block.start.kind
        fill = None
        if block.start.kind == "rect":
            label, fill = "", self.style.frame_fill
        shapes = [SceneShape(
            f"block_{block.start.line}_{block.top:.0f}", "frame", left, block.top, right - left, bottom - block.top,
            label, fill=fill, stroke=self.style.frame_stroke, text_color=self.style.text, font_size=self.label_size,
            bold=True,
        )]
        for section_y, section_label in block.sections:
            connectors.append(SceneConnector((left, section_y), (right, section_y), color=self.style.frame_stroke, dashed=True, head="none"))
            if section_label:
                text_width, text_height = self._text(f"[{section_label}]", self.label_size)
                shapes.append(SceneShape(
                    f"section_{block.start.line}_{section_y:.0f}", "text", left + 4, section_y + 2, text_width + 4,
                    text_height, f"[{section_label}]", text_color=self.style.text, font_size=self.label_size,
                ))
        return shapes

"""Mermaid `classDiagram` source → ClassDiagram: classes with fields and methods, relations with
their end markers, cardinalities and labels, notes and namespaces.

Member text is kept as the author wrote it (visibility `+ - # ~` and the static `$` /
abstract `*` markers stay visible), with Mermaid's generics `List~int~` shown as
`List<int>` and a method's return type after ` : `. Classes are kept in order of first
mention; labels and styles are settled once the whole source is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import MermaidError, Style
from .common import DIRECTION, RuleParser, StyleSheet, body_lines, clean_label, direction

# Relation ends, by Mermaid's marker: `<|`/`|>` extension (inheritance or, dashed, realization),
# `*` composition, `o` aggregation, `<`/`>` an arrowhead (association or, dashed, dependency),
# `()` a lollipop interface; an end without a marker is "none".
_END_MARKERS = {"<|": "extension", "|>": "extension", "*": "composition", "o": "aggregation",
                "<": "arrow", ">": "arrow", "()": "lollipop"}


@dataclass
class UmlClass:
    """A class box: id (what relations name), label (`["…"]`, else the id with its generic),
    annotations (`interface`, …), fields and methods as displayed, and its namespace if any."""

    id: str
    label: str
    annotations: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    namespace: str | None = None
    style: Style = field(default_factory=Style)
    line: int = 0

    @property
    def title(self) -> str:
        """The name compartment's text: each annotation as «annotation», then the label."""
        return "\n".join([*(f"«{a}»" for a in self.annotations), self.label])


@dataclass
class ClassRelation:
    """`A <|-- B`, `A "1" --> "*" B : label`: source is the class written first; each end is
    'extension', 'composition', 'aggregation', 'arrow', 'lollipop' or 'none'."""

    source: str
    target: str
    source_end: str = "none"
    target_end: str = "none"
    dashed: bool = False
    source_cardinality: str = ""
    target_cardinality: str = ""
    label: str = ""
    line: int = 0


@dataclass
class ClassNote:
    """`note for A "text"` (target A) or a free-standing `note "text"` (target None)."""

    text: str
    target: str | None = None
    line: int = 0


@dataclass
class ClassDiagram:
    """A class diagram: classes by id in first-seen order, relations, notes, namespace names in order."""

    classes: dict[str, UmlClass] = field(default_factory=dict)
    relations: list[ClassRelation] = field(default_factory=list)
    notes: list[ClassNote] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)
    direction: str = "TB"

    def texts(self) -> list[str]:
        """Every text a reader must find: class titles, members, relation labels and cardinalities,
        notes and namespace names."""
        texts = []
        for uml_class in self.classes.values():
            texts += [uml_class.title, *uml_class.fields, *uml_class.methods]
        for relation in self.relations:
            texts += [relation.label, relation.source_cardinality, relation.target_cardinality]
        texts += [note.text for note in self.notes]
        texts += self.namespaces
        return [t for t in texts if t]


# A class name: backtick-quoted, or letters, digits, `_`, `.` and any non-ASCII character,
# with an optional generic `~T~` (one level of nesting: `~List~int~~`).
_NAME = r"(?:`[^`\n]+`|(?:[^\x00-\x7F]|[\w.])+)(?:~(?:[^~\s]|~[^~\s]+~)+~)?"
_CSS = r"(?::::(?P<css>[\w-]+))?"
_END = r"<\||\|>|\*|<|>|\(\)"
_RELATION = re.compile(
    rf'^(?P<source>{_NAME})\s*(?:"(?P<source_cardinality>[^"]*)"\s*)?'
    rf"(?P<left>{_END}|(?<=[\s\"])o)?(?P<line>--|\.\.)(?P<right>{_END}|o(?=[\s\"]))?"
    rf'\s*(?:"(?P<target_cardinality>[^"]*)"\s*)?(?P<target>{_NAME})\s*(?::(?P<label>.*))?$'
)
_HEADER = re.compile(r"^classDiagram(?:-v2)?$")
_CLASS = re.compile(
    rf'^class\s+(?P<name>{_NAME})(?:\s*\[\s*(?P<label>"[^"]*"|[^\]"]*)\s*\])?{_CSS}'
    r"(?:\s*<<(?P<annotation>[^<>]+)>>)?\s*(?:\{(?P<body>.*))?$"
)
_MEMBER = re.compile(rf"^(?P<name>{_NAME})\s*:(?!::)(?P<member>.*)$")
_ANNOTATION = re.compile(rf"^<<(?P<annotation>[^<>]+)>>\s*(?P<name>{_NAME})$")
_KEYWORDS = r"(?:class|namespace|note|direction|classDef|cssClass|style|click|link|callback)"
_LONE = re.compile(rf"^(?!{_KEYWORDS}$)(?P<name>{_NAME}){_CSS}$")
_NOTE_FOR = re.compile(rf"^note\s+for\s+(?P<name>{_NAME})\s+(?P<text>.+)$", re.IGNORECASE)
_NOTE = re.compile(r"^note\s+(?P<text>\".*)$", re.IGNORECASE)
_NAMESPACE = re.compile(r'^namespace\s+(?P<name>"[^"]+"|\S+?)\s*\{$')
_CLOSE = re.compile(r"^\}$")
_CLASS_DEF = re.compile(r"^classDef\s+(?P<names>[\w-]+(?:\s*,\s*[\w-]+)*)\s+(?P<properties>.+)$")
_CSS_CLASS = re.compile(r'^cssClass\s+"(?P<ids>[^"]+)"\s+(?P<css>[\w-]+)$')
_STYLE = re.compile(rf"^style\s+(?P<name>{_NAME})\s+(?P<properties>.+)$")
_INTERACTION = re.compile(r"^(?:click|link|callback)\s.*$")  # nothing to draw
_METHOD = re.compile(r"^(?P<head>[^(]*)\((?P<parameters>.*)\)(?P<tail>[^)]*)$")
_LIST = re.compile(r"\s*,\s*")


def parse_class(source: str) -> ClassDiagram:
    """Read the source of a ```` ```mermaid ```` block that starts with `classDiagram`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    return _ClassReader().read(source)


def generic_text(text: str) -> str:
    """Mermaid's `~` generics as angle brackets: `List~List~int~~` → `List<List<int>>`.

    A `~` opens a type parameter unless one is open and no name follows it; text whose
    tildes do not pair up is left as written.
    """
    result, depth = [], 0
    for index, char in enumerate(text):
        if char != "~":
            result.append(char)
            continue
        following = text[index + 1:index + 2]
        if depth and not (following.isalnum() or following == "_"):
            result.append(">")
            depth -= 1
        else:
            result.append("<")
            depth += 1
    return "".join(result) if depth == 0 else text


def member_text(text: str) -> str:
    """A member as displayed: a method `+name(args) Type$` (or `+name(args)$ Type`) becomes
    `+name(args)$ : Type`, its marker right after the parentheses; a field keeps its own order."""
    text = text.strip()
    method = _METHOD.match(text) if ")" in text else None
    if method is None:
        return generic_text(text)
    tail = method["tail"].strip().lstrip(":").strip()
    marker = ""
    if tail[-1:] in ("$", "*"):
        marker, tail = tail[-1], tail[:-1].rstrip()
    elif tail[:1] in ("$", "*"):
        marker, tail = tail[0], tail[1:].lstrip(" :")
    result = f"{generic_text(method['head'].strip())}({generic_text(method['parameters'].strip())}){marker}"
    return f"{result} : {generic_text(tail)}" if tail else result


def _split_name(text: str) -> tuple[str, str]:
    """A written class name as (id, generic): `` `A b` `` → ('A b', ''), `Box~T~` → ('Box', 'T')."""
    if text.startswith("`"):
        name, _, generic = text[1:].partition("`")
    else:
        name, _, generic = text.partition("~")
        generic = "~" + generic if generic else ""
    return name.strip(), generic[1:-1] if generic.startswith("~") and generic.endswith("~") else ""


class _ClassReader(RuleParser):
    """Builds one ClassDiagram statement by statement; labels and styles are resolved at the end."""

    def __init__(self) -> None:
        self.diagram = ClassDiagram()
        self.labels: dict[str, str] = {}
        self.generics: dict[str, str] = {}
        self.sheet = StyleSheet()  # by class id
        self.namespace: tuple[str, int] | None = None
        self.rules = (
            (_CLOSE, self.close),
            (_NAMESPACE, self.open_namespace),
            (DIRECTION, self.direction),
            (_NOTE_FOR, self.note_for),
            (_NOTE, self.note),
            (_CLASS_DEF, self.sheet.class_def),
            (_CSS_CLASS, self.css_class),
            (_STYLE, self.style),
            (_INTERACTION, self.ignore),
            (_CLASS, self.declaration),
            (_ANNOTATION, self.annotation),
            (_RELATION, self.relation),
            (_MEMBER, self.member),
            (_LONE, self.lone),
        )

    def read(self, source: str) -> ClassDiagram:
        self.read_lines(body_lines(source, _HEADER, "classDiagram"))
        if self.namespace is not None:
            name, line = self.namespace
            raise MermaidError(line, f"namespace {name!r} is never closed with '}}'")
        for uml_class in self.diagram.classes.values():
            generic = self.generics.get(uml_class.id, "")
            shown_generic = f"<{generic_text(generic)}>" if generic else ""
            uml_class.label = self.labels.get(uml_class.id) or uml_class.id + shown_generic
            uml_class.style = self.sheet.style_for(uml_class.id)
        return self.diagram

    def uml_class(self, written: str, line: int) -> UmlClass:
        """The class a written name refers to, created on first mention (its generic remembered)."""
        class_id, generic = _split_name(written)
        if not class_id:
            raise MermaidError(line, "a class needs a name")
        if class_id not in self.diagram.classes:
            self.diagram.classes[class_id] = UmlClass(class_id, class_id, line=line)
        if generic and not self.generics.get(class_id):
            self.generics[class_id] = generic
        return self.diagram.classes[class_id]

    def add_css(self, uml_class: UmlClass, name: str | None) -> None:
        if name:
            self.sheet.add_class(uml_class.id, name)

    # --- statements -------------------------------------------------------------------

    def declaration(self, match: re.Match, line: int) -> None:
        """`class A`, `class A~T~["라벨"]:::css <<interface>>`, optionally opening a member block `{`."""
        uml_class = self.uml_class(match["name"], line)
        if self.namespace is not None:
            uml_class.namespace = self.namespace[0]
        if match["label"] is not None and clean_label(match["label"]):
            self.labels[uml_class.id] = clean_label(match["label"])
        self.add_css(uml_class, match["css"])
        if match["annotation"]:
            self.annotate(uml_class, match["annotation"])
        if match["body"] is not None:  # the members after `{`, one a line, up to `}`
            what = f"the member block of class {uml_class.id!r}"
            for member_line, text in self.block_lines(line, match["body"], what):
                self.add_member(uml_class, text, member_line)

    def add_member(self, uml_class: UmlClass, text: str, line: int) -> None:
        """One member line: `<<annotation>>`, a method (it has parentheses) or a field."""
        text = text.strip()
        annotation = re.fullmatch(r"<<(?P<annotation>[^<>]+)>>", text)
        if annotation:
            self.annotate(uml_class, annotation["annotation"])
        elif text:
            (uml_class.methods if ")" in text else uml_class.fields).append(member_text(text))

    def annotate(self, uml_class: UmlClass, text: str) -> None:
        annotation = text.strip()
        if annotation and annotation not in uml_class.annotations:
            uml_class.annotations.append(annotation)

    def annotation(self, match: re.Match, line: int) -> None:
        """`<<interface>> A`."""
        self.annotate(self.uml_class(match["name"], line), match["annotation"])

    def member(self, match: re.Match, line: int) -> None:
        """`A : +field` or `A : +method(args) Type`."""
        self.add_member(self.uml_class(match["name"], line), match["member"], line)

    def lone(self, match: re.Match, line: int) -> None:
        """`A` or `A:::css` on its own: the class exists (inside the open namespace, if any)."""
        uml_class = self.uml_class(match["name"], line)
        if self.namespace is not None:
            uml_class.namespace = self.namespace[0]
        self.add_css(uml_class, match["css"])

    def relation(self, match: re.Match, line: int) -> None:
        """`A <|-- B`, `A "1" *-- "many" B : 라벨`, `A <|..|> B` and every other end/line mix."""
        source = self.uml_class(match["source"], line)
        target = self.uml_class(match["target"], line)
        self.diagram.relations.append(
            ClassRelation(
                source.id, target.id, _END_MARKERS.get(match["left"] or "", "none"),
                _END_MARKERS.get(match["right"] or "", "none"), match["line"] == "..",
                clean_label(match["source_cardinality"] or ""), clean_label(match["target_cardinality"] or ""),
                clean_label(match["label"] or ""), line,
            )
        )

    def note_for(self, match: re.Match, line: int) -> None:
        """`note for A "text"`."""
        target = self.uml_class(match["name"], line)
        self.diagram.notes.append(ClassNote(clean_label(match["text"]), target.id, line))

    def note(self, match: re.Match, line: int) -> None:
        """`note "text"`: a note on its own."""
        self.diagram.notes.append(ClassNote(clean_label(match["text"]), None, line))

    def open_namespace(self, match: re.Match, line: int) -> None:
        """`namespace 이름 {`: classes declared until `}` are drawn inside its frame."""
        if self.namespace is not None:
            raise MermaidError(line, "namespaces cannot be nested")
        name = clean_label(match["name"])
        self.namespace = (name, line)
        if name not in self.diagram.namespaces:
            self.diagram.namespaces.append(name)

    def close(self, match: re.Match, line: int) -> None:
        if self.namespace is None:
            raise MermaidError(line, "'}' without an open namespace")
        self.namespace = None

    def direction(self, match: re.Match, line: int) -> None:
        self.diagram.direction = direction(match)

    def css_class(self, match: re.Match, line: int) -> None:
        """`cssClass "A,B" name`."""
        for name in _LIST.split(match["ids"].strip()):
            if name:
                self.add_css(self.uml_class(name, line), match["css"])

    def style(self, match: re.Match, line: int) -> None:
        """`style A fill:…`: a style of its own, on top of any class."""
        uml_class = self.uml_class(match["name"], line)
        self.sheet.add_style(uml_class.id, match["properties"])

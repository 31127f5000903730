"""Mermaid `erDiagram` source → EntityRelationshipDiagram: entities with attribute rows and
relationships with a cardinality at each end.

Entities are kept in order of first mention, whether that is an attribute block, an
alias declaration or one end of a relationship. Styles (`style`, `classDef`, `class`,
`:::`) are settled once the whole source is read, because they may come before or after
the entity they colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import MermaidError, Style
from .common import DIRECTION, RuleParser, StyleSheet, body_lines, clean_label, direction, quoted

# What a reader sees at a relationship end, by Mermaid's cardinality.
CARDINALITY_TEXT = {"zero_or_one": "0..1", "exactly_one": "1", "zero_or_more": "0..N", "one_or_more": "1..N"}


@dataclass
class Attribute:
    """One row of an entity: `type name PK, FK "comment"` (type may be empty, keys upper-case)."""

    type: str
    name: str
    keys: list[str] = field(default_factory=list)
    comment: str = ""
    line: int = 0

    @property
    def key_text(self) -> str:
        return ", ".join(self.keys)


@dataclass
class Entity:
    """A table: its id (what relationships name), the label shown (its alias, else the id), its rows."""

    id: str
    label: str
    attributes: list[Attribute] = field(default_factory=list)
    style: Style = field(default_factory=Style)
    line: int = 0


@dataclass
class Relationship:
    """`A ||--o{ B : label`: cardinalities are keys of CARDINALITY_TEXT; identifying is `--`, not `..`."""

    source: str
    target: str
    source_cardinality: str
    target_cardinality: str
    identifying: bool = True
    label: str = ""
    line: int = 0

    @property
    def source_text(self) -> str:
        return CARDINALITY_TEXT[self.source_cardinality]

    @property
    def target_text(self) -> str:
        return CARDINALITY_TEXT[self.target_cardinality]


@dataclass
class EntityRelationshipDiagram:
    """An ER diagram: entities by id in first-seen order, relationships in source order."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relationships: list[Relationship] = field(default_factory=list)
    direction: str = "TB"

    def texts(self) -> list[str]:
        """Every text a reader must find: entity names, every attribute cell, labels and cardinalities."""
        texts = []
        for entity in self.entities.values():
            texts.append(entity.label)
            for attribute in entity.attributes:
                texts += [attribute.type, attribute.name, attribute.key_text, attribute.comment]
        for relationship in self.relationships:
            texts += [relationship.label, relationship.source_text, relationship.target_text]
        return [t for t in texts if t]


# An entity name: quoted, or a run of letters, digits, `_ - * .` and any non-ASCII character.
_NAME = r'(?:"[^"\n]+"|(?:[^\x00-\x7F]|[\w*.\-])+)'
_CLASSES = r"[\w-]+(?:\s*,\s*[\w-]+)*"
_SYMBOLS = {"|o": "zero_or_one", "o|": "zero_or_one", "||": "exactly_one", "}o": "zero_or_more",
            "o{": "zero_or_more", "}|": "one_or_more", "|{": "one_or_more"}
_WORDS = (
    ("only one", "exactly_one"), ("one or zero", "zero_or_one"), ("zero or one", "zero_or_one"),
    ("one or more", "one_or_more"), ("one or many", "one_or_more"), ("zero or more", "zero_or_more"),
    ("zero or many", "zero_or_more"), ("many(0)", "zero_or_more"), ("many(1)", "one_or_more"),
    ("many", "zero_or_more"), ("one", "exactly_one"), ("1+", "one_or_more"), ("0+", "zero_or_more"),
    ("1", "exactly_one"),
)
_SYMBOL = "|".join(re.escape(symbol) for symbol in _SYMBOLS)
_WORD = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word, _ in _WORDS)
# A cardinality is a symbol (no space needed around it) or words set off by spaces.
_CARDINALITY = rf"(?:{_SYMBOL}|(?<=[\s.-])(?:{_WORD})(?=\s|--|\.\.|\.-|-\.))"
_LINK = r"(?:--|\.\.|\.-|-\.|(?<=\s)(?:optionally\s+to|to)(?=\s))"

_HEADER = re.compile(r"^erDiagram$")
_RELATIONSHIP = re.compile(
    rf"^(?P<source>{_NAME})(?::::(?P<source_class>{_CLASSES}))?\s*(?P<left>{_CARDINALITY})\s*(?P<link>{_LINK})"
    rf"\s*(?P<right>{_CARDINALITY})\s*(?P<target>{_NAME})(?::::(?P<target_class>{_CLASSES}))?\s*(?::(?P<label>.*))?$",
    re.IGNORECASE,
)
_ENTITY = re.compile(
    rf'^(?P<name>{_NAME})(?:\s*\[\s*(?P<alias>"[^"]*"|[^\]"]*)\s*\])?(?::::(?P<classes>{_CLASSES}))?'
    r"\s*(?:\{(?P<block>.*))?$"
)
_CLASS_DEF = re.compile(rf"^classDef\s+(?P<names>{_CLASSES})\s+(?P<properties>.+)$", re.IGNORECASE)
_CLASS = re.compile(rf"^class\s+(?P<ids>{_NAME}(?:\s*,\s*{_NAME})*)\s+(?P<names>{_CLASSES})$", re.IGNORECASE)
_STYLE = re.compile(rf"^style\s+(?P<ids>{_NAME}(?:\s*,\s*{_NAME})*)\s+(?P<properties>.+)$", re.IGNORECASE)
_LIST = re.compile(rf"\s*({_NAME}|[\w-]+)\s*(?:,|$)")
_TOKEN = re.compile(
    r'\s*(?:(?P<comment>"[^"]*")|`(?P<quoted>[^`]*)`|(?P<key>(?i:PK|FK|UK))(?!\w)|(?P<comma>,)'
    r'|(?P<word>[^\s"`,]+(?:,[^\s"`,]+)*))'
)


def parse_er(source: str) -> EntityRelationshipDiagram:
    """Read the source of a ```` ```mermaid ```` block that starts with `erDiagram`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    return _ErReader().read(source)


def _name(text: str) -> str:
    """An entity id as written, without the quotes around a quoted one."""
    return text[1:-1].strip() if text.startswith('"') else text


def _cardinality(text: str) -> str:
    if text in _SYMBOLS:
        return _SYMBOLS[text]
    words = " ".join(text.lower().split())
    return next(kind for word, kind in _WORDS if word == words)


def _names(text: str) -> list[str]:
    return [_name(part) for part in _LIST.findall(text)]


class _ErReader(RuleParser):
    """Builds one EntityRelationshipDiagram statement by statement; styles are resolved at the end."""

    def __init__(self) -> None:
        self.diagram = EntityRelationshipDiagram()
        self.sheet = StyleSheet()  # by entity id
        self.rules = (
            (DIRECTION, self.direction),
            (_CLASS_DEF, self.sheet.class_def),
            (_STYLE, self.style),
            (_CLASS, self.css_class),
            (_RELATIONSHIP, self.relationship),
            (_ENTITY, self.entity_statement),
        )

    def read(self, source: str) -> EntityRelationshipDiagram:
        self.read_lines(body_lines(source, _HEADER, "erDiagram"))
        for entity in self.diagram.entities.values():
            entity.style = self.sheet.style_for(entity.id)
        return self.diagram

    def entity(self, name: str, line: int) -> Entity:
        """The entity called name, created on first mention."""
        if not name:
            raise MermaidError(line, "an entity needs a name")
        if name not in self.diagram.entities:
            self.diagram.entities[name] = Entity(name, name, line=line)
        return self.diagram.entities[name]

    def add_classes(self, entity: Entity, names: str | None) -> None:
        for name in _names(names or ""):
            self.sheet.add_class(entity.id, name)

    # --- statements -------------------------------------------------------------------

    def relationship(self, match: re.Match, line: int) -> None:
        """`A ||--o{ B : label`, also with word cardinalities (`1 to zero or more`)."""
        source = self.entity(_name(match["source"]), line)
        target = self.entity(_name(match["target"]), line)
        self.add_classes(source, match["source_class"])
        self.add_classes(target, match["target_class"])
        link = " ".join(match["link"].lower().split())
        self.diagram.relationships.append(
            Relationship(
                source.id, target.id, _cardinality(match["left"]), _cardinality(match["right"]),
                identifying=link in ("--", "to"), label=clean_label(match["label"] or ""), line=line,
            )
        )

    def entity_statement(self, match: re.Match, line: int) -> None:
        """`A`, `A["별칭"]`, `A:::class` and any of these opening an attribute block `{ … }`."""
        entity = self.entity(_name(match["name"]), line)
        if match["alias"] is not None:
            alias = clean_label(match["alias"])
            if alias:
                entity.label = alias
        self.add_classes(entity, match["classes"])
        if match["block"] is not None:  # the attribute rows after `{`, up to `}`
            what = f"the attribute block of {entity.id!r}"
            for row_line, text in self.block_lines(line, match["block"], what, _split_close):
                entity.attributes += _attributes(text, row_line)

    def css_class(self, match: re.Match, line: int) -> None:
        """`class A[,B] name[,name]`: those entities use the named classDefs."""
        for name in _names(match["ids"]):
            self.add_classes(self.entity(name, line), match["names"])

    def style(self, match: re.Match, line: int) -> None:
        """`style A[,B] fill:…`: a style of their own, on top of any class."""
        for name in _names(match["ids"]):
            self.entity(name, line)
            self.sheet.add_style(name, match["properties"])

    def direction(self, match: re.Match, line: int) -> None:
        self.diagram.direction = direction(match)


def _split_close(text: str) -> tuple[str, bool, str]:
    """text up to its first `}` outside quotes, whether there was one, and what follows it."""
    in_quotes = False
    for index, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char == "}" and not in_quotes:
            return text[:index], True, text[index + 1:]
    return text, False, ""


def _attributes(text: str, line: int) -> list[Attribute]:
    """The attributes written on one line of a block: `type name [PK[, FK]] ["comment"]` each,
    or just `name …` when the type is left out."""
    tokens = _tokens(text, line)
    attributes = []
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        if kind != "word":
            raise MermaidError(line, f"expected an attribute type and name, found {quoted(value)}")
        if index + 1 < len(tokens) and tokens[index + 1][0] == "word":
            attribute = Attribute(value, tokens[index + 1][1], line=line)
            index += 2
        else:
            attribute = Attribute("", value, line=line)
            index += 1
        while index < len(tokens) and tokens[index][0] == "key":
            attribute.keys.append(tokens[index][1].upper())
            index += 1
            if index < len(tokens) and tokens[index][0] == "comma":
                index += 1
                if index == len(tokens) or tokens[index][0] != "key":
                    raise MermaidError(line, "expected PK, FK or UK after ','")
        if index < len(tokens) and tokens[index][0] == "comment":
            attribute.comment = clean_label(tokens[index][1])
            index += 1
        attributes.append(attribute)
    return attributes


def _tokens(text: str, line: int) -> list[tuple[str, str]]:
    """(kind, text) of each token of an attribute line: comment, key, comma or word."""
    tokens = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise MermaidError(line, f"cannot read {quoted(text[position:].strip())} in an attribute block")
        kind = match.lastgroup
        value = match[kind]
        tokens.append(("word" if kind == "quoted" else kind, value))
        position = match.end()
    return tokens

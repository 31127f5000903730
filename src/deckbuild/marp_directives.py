"""Marp's directives: the YAML of a deck's front matter and of its directive comments, read as Marp
reads it, and whether a markdown file is a Marp deck at all. Kept apart from the Marp reader so that
finding the decks of a course (every build does) loads neither the reader nor its CSS parser."""

from __future__ import annotations

from pathlib import Path

import yaml

from .document import clean_text

GLOBAL_DIRECTIVES = ("marp", "theme", "style", "headingDivider", "size", "title", "lang", "math",
                     "description", "author", "keywords", "url", "image")
LOCAL_DIRECTIVES = ("paginate", "header", "footer", "class", "backgroundColor", "color",
                    "backgroundImage", "backgroundPosition", "backgroundRepeat", "backgroundSize")


def front_matter(text: str) -> tuple[str, int]:
    """The front matter of markdown text (between a first `---` line and the next) and the number
    of lines it takes with its rules; ("", 0) when there is none."""
    lines = clean_text(text).split("\n")
    if not lines or lines[0].strip() != "---":
        return "", 0
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), index + 1
    return "", 0


FRONT_MATTER_BYTES = 65536  # how much of a markdown file is read to see whether it is a Marp deck


def is_marp(path: Path) -> bool:
    """Whether a markdown file's front matter says `marp: true` (only its front matter is read, so a
    file that is not UTF-8 further on is still found, and then reported when it is built)."""
    try:
        with path.open("rb") as file:
            head = file.read(FRONT_MATTER_BYTES)
        lines = head.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").split(b"\n")
        if lines[0].strip() != b"---":
            return False
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in (b"---", b"..."))
        front = b"\n".join(lines[1:end]).decode("utf-8")
    except (OSError, UnicodeDecodeError, StopIteration):
        return False
    return directives(front).get("marp") is True


def directives(text: str) -> dict:
    """Directives in YAML text (front matter or a comment), read as Marp reads them: a known
    directive on one line keeps its raw text unless YAML reads a list there (`color: #fff` is a
    colour, not a YAML comment; `footer: **굵게**` is text, not an alias; `size: 4:3` is not 243)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    found = dict(data) if isinstance(data, dict) else {}
    for line in text.split("\n"):
        key, colon, value = line.partition(":")
        value = value.strip()
        if colon and _known(key.strip()) and value and value[0] not in "|>" and not isinstance(found.get(key.strip()), list):
            found[key.strip()] = _loose_value(value)
    return found


def _known(key: str) -> bool:
    name = key.removeprefix("_")
    return name in LOCAL_DIRECTIVES or (key == name and name in GLOBAL_DIRECTIVES)


def _loose_value(value: str):
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return {"true": True, "false": False}.get(value.lower(), value)


def comment_directives(body: str) -> dict | None:
    """A comment's directives, or None when it is a note (some key is not a directive)."""
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError:
        data = None
    keys = list(data) if isinstance(data, dict) else [line.partition(":")[0].strip() for line in body.strip().split("\n")]
    if not keys or not all(isinstance(key, str) and _known(key) for key in keys):
        return None
    return directives(body)

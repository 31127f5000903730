"""Mermaid `gitGraph` source → GitGraph: branches and commits in the order they were made.

The statements replay a repository's history the way Mermaid does: `main` exists
from the start and is checked out; `commit` adds to the checked-out branch,
`branch` forks from its last commit and checks the new branch out, `merge` and
`cherry-pick` add a commit with two parents. Commits the author gives no id get a
stable one from their position (`3-1f0e2a9`), so the same source always draws the
same picture; those ids are not shown.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..model import MermaidError
from .common import RuleParser, clean_label, quoted, source_lines

_HEADER = re.compile(r"^gitGraph(?:\s*(?P<direction>LR|TB|BT))?\s*:?$")
_VALUE = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"']+)"""
_NAME = r"""(?P<name>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\w[-./\w]*)"""
_ATTRIBUTES = rf"(?P<attributes>(?:\s+\w+\s*:\s*{_VALUE})*)"
_ATTRIBUTE = re.compile(rf"(?P<key>\w+)\s*:\s*(?P<value>{_VALUE})")

_COMMIT = re.compile(rf"^commit{_ATTRIBUTES}\s*$")
_BRANCH = re.compile(rf"^branch\s+{_NAME}(?:\s+order\s*:\s*(?P<order>\d+))?\s*$")
_CHECKOUT = re.compile(rf"^(?:checkout|switch)\s+{_NAME}\s*$")
_MERGE = re.compile(rf"^merge\s+{_NAME}{_ATTRIBUTES}\s*$")
_CHERRY_PICK = re.compile(rf"^cherry-pick{_ATTRIBUTES}\s*$")
_TITLE = re.compile(r"^title(?:\s+(?P<title>.*))?$")

COMMIT_TYPES = ("NORMAL", "REVERSE", "HIGHLIGHT")
MAIN_BRANCH = "main"


@dataclass
class GitCommit:
    """One commit: on which branch, its parents' ids, tags and look.

    kind: 'commit', 'merge' or 'cherry-pick'. type: 'NORMAL', 'REVERSE' or 'HIGHLIGHT'.
    custom_id: whether the author wrote the id (only those are drawn).
    """

    id: str
    branch: str
    parents: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    type: str = "NORMAL"
    kind: str = "commit"
    custom_id: bool = False
    line: int = 0


@dataclass
class GitBranch:
    """A branch and where it forked from (None for `main`, or for a branch made before any commit)."""

    name: str
    order: int | None = None
    parent_commit: str | None = None
    line: int = 0


@dataclass
class GitGraph:
    """A git graph: branches in the order they were made, commits in the order they were made.

    direction: 'LR' (time runs left to right), 'TB' or 'BT'.
    """

    direction: str = "LR"
    branches: list[GitBranch] = field(default_factory=list)
    commits: list[GitCommit] = field(default_factory=list)
    title: str = ""

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: branch names, the authors' commit ids, tags."""
        texts = [branch.name for branch in self.branches]
        for commit in self.commits:
            texts += ([commit.id] if commit.custom_id else []) + commit.tags
        return [text for text in texts if text]


def parse_gitgraph(source: str) -> GitGraph:
    """Read the source of a ```` ```mermaid ```` block that starts with `gitGraph`.

    Raises MermaidError with the 1-based line of the first statement it cannot read
    or that Mermaid would refuse (an unknown branch, a merge with nothing to merge, …).
    """
    lines = source_lines(source)
    if not lines:
        raise MermaidError(1, "empty diagram: expected 'gitGraph'")
    header_line, header = lines[0]
    match = _HEADER.match(header)
    if match is None:
        raise MermaidError(header_line, f"expected 'gitGraph', 'gitGraph:' or 'gitGraph LR:', found {quoted(header)}")
    reader = _GitReader(match["direction"] or "LR")
    reader.read_lines(lines[1:])
    return reader.graph


def _unquote(value: str) -> str:
    """A STRING or bare value as written: outer quotes and their escapes removed."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].replace('\\"', '"').replace("\\'", "'")
    return value


def _attributes(text: str, allowed: tuple[str, ...], line: int) -> dict[str, list[str]]:
    """`id: "x" tag: "v1" type: HIGHLIGHT` → {'id': ['x'], 'tag': ['v1'], 'type': ['HIGHLIGHT']}."""
    values: dict[str, list[str]] = {}
    for match in _ATTRIBUTE.finditer(text):
        key = match["key"]
        if key not in allowed:
            raise MermaidError(line, f"{quoted(key + ':')} is not one of {', '.join(k + ':' for k in allowed)}")
        values.setdefault(key, []).append(_unquote(match["value"]))
    return values


class _GitReader(RuleParser):
    """Replays the statements: which branch is checked out and where each branch's head is."""

    def __init__(self, direction: str) -> None:
        self.graph = GitGraph(direction, [GitBranch(MAIN_BRANCH)])
        self.current = MAIN_BRANCH
        self.heads: dict[str, str | None] = {MAIN_BRANCH: None}
        self.commits: dict[str, GitCommit] = {}
        self.rules = (
            (_COMMIT, self.commit),
            (_BRANCH, self.branch),
            (_CHECKOUT, self.checkout),
            (_MERGE, self.merge),
            (_CHERRY_PICK, self.cherry_pick),
            (_TITLE, self.title),
        )

    def add(self, commit: GitCommit, given_id: str | None) -> None:
        """Put a commit on the checked-out branch with the author's id or a stable generated one."""
        sequence = len(self.graph.commits)
        if given_id is not None:
            if not given_id:
                raise MermaidError(commit.line, "a commit id cannot be empty")
            if given_id in self.commits:
                raise MermaidError(commit.line, f"commit id {quoted(given_id)} is used twice")
            commit.id, commit.custom_id = given_id, True
        else:
            digest = hashlib.sha1(f"{sequence}:{commit.branch}:{commit.parents}".encode()).hexdigest()[:7]
            commit.id = f"{sequence}-{digest}"
            while commit.id in self.commits:
                commit.id += "0"
        self.graph.commits.append(commit)
        self.commits[commit.id] = commit
        self.heads[commit.branch] = commit.id

    def commit_type(self, values: dict[str, list[str]], line: int) -> str:
        kind = values.get("type", ["NORMAL"])[-1]
        if kind not in COMMIT_TYPES:
            raise MermaidError(line, f"commit type {quoted(kind)} is not one of {', '.join(COMMIT_TYPES)}")
        return kind

    def known_branch(self, name: str, line: int) -> str:
        if name not in self.heads:
            raise MermaidError(line, f"branch {quoted(name)} does not exist yet (create it with 'branch {name}')")
        return name

    def commit(self, match: re.Match, line: int) -> None:
        """`commit`, with any of `id: "x"`, `tag: "v1"` (repeatable), `type: HIGHLIGHT` and
        `msg: "…"` (which Mermaid does not draw either)."""
        values = _attributes(match["attributes"], ("id", "msg", "tag", "type"), line)
        head = self.heads[self.current]
        commit = GitCommit(
            "", self.current, [head] if head else [], [clean_label(t) for t in values.get("tag", [])],
            self.commit_type(values, line), line=line,
        )
        self.add(commit, values["id"][-1] if "id" in values else None)

    def branch(self, match: re.Match, line: int) -> None:
        """`branch name` (optionally `order: n`): a new branch at the current commit, checked out."""
        name = _unquote(match["name"])
        if name in self.heads:
            raise MermaidError(line, f"branch {quoted(name)} already exists")
        order = int(match["order"]) if match["order"] else None
        self.graph.branches.append(GitBranch(name, order, self.heads[self.current], line))
        self.heads[name] = self.heads[self.current]
        self.current = name

    def checkout(self, match: re.Match, line: int) -> None:
        """`checkout name` or `switch name`."""
        self.current = self.known_branch(_unquote(match["name"]), line)

    def merge(self, match: re.Match, line: int) -> None:
        """`merge name` (with `id:`, `tag:`, `type:`): a commit on the current branch joining name's head."""
        other = self.known_branch(_unquote(match["name"]), line)
        values = _attributes(match["attributes"], ("id", "tag", "type"), line)
        if other == self.current:
            raise MermaidError(line, f"cannot merge branch {quoted(other)} into itself")
        head, other_head = self.heads[self.current], self.heads[other]
        if head is None:
            raise MermaidError(line, f"cannot merge into {quoted(self.current)}: it has no commits yet")
        if other_head is None:
            raise MermaidError(line, f"cannot merge {quoted(other)}: it has no commits yet")
        if other_head == head:
            raise MermaidError(line, f"cannot merge {quoted(other)}: both branches point at the same commit")
        commit = GitCommit(
            "", self.current, [head, other_head], [clean_label(t) for t in values.get("tag", [])],
            self.commit_type(values, line), kind="merge", line=line,
        )
        self.add(commit, values["id"][-1] if "id" in values else None)

    def cherry_pick(self, match: re.Match, line: int) -> None:
        """`cherry-pick id: "x"` (with `tag:`, `parent:`): a copy of commit x on the current branch."""
        values = _attributes(match["attributes"], ("id", "tag", "parent"), line)
        if "id" not in values:
            raise MermaidError(line, "cherry-pick needs the id of the commit to copy: cherry-pick id: \"…\"")
        source_id = values["id"][-1]
        source = self.commits.get(source_id)
        if source is None:
            raise MermaidError(line, f"there is no commit with id {quoted(source_id)} to cherry-pick")
        if source.branch == self.current:
            raise MermaidError(line, f"commit {quoted(source_id)} is already on {quoted(self.current)}")
        parent = values.get("parent", [None])[-1]
        if source.kind == "merge" and parent not in source.parents:
            raise MermaidError(line, f"cherry-picking merge commit {quoted(source_id)} needs 'parent:' "
                                     "naming one of its parents")
        head = self.heads[self.current]
        default = f"cherry-pick:{source_id}" + (f"|parent:{parent}" if source.kind == "merge" else "")
        tags = values.get("tag") or [default]
        commit = GitCommit(
            "", self.current, [p for p in (head, source_id) if p], [clean_label(t) for t in tags],
            kind="cherry-pick", line=line,
        )
        self.add(commit, None)

    def title(self, match: re.Match, line: int) -> None:
        """`title Text`: the diagram's title (shown by the slide, not in the drawing)."""
        self.graph.title = clean_label(match["title"] or "")

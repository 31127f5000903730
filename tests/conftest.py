"""Shared fixtures: the sample course, the real corpus day, and decks built from them once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckbuild.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_COURSE = ROOT / "slides"
CORPUS = ROOT.parent / "shared" / "corpus"


requires_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


def build(course: Path, out: Path) -> int:
    """Run `deckbuild build course -o out` in-process."""
    return main(["build", str(course), "-o", str(out)])


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The sample course built once into a temporary folder."""
    out = tmp_path_factory.mktemp("sample-build")
    assert build(SAMPLE_COURSE, out) == 0
    return out


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    """The real corpus day built once into a temporary folder."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    out = tmp_path_factory.mktemp("corpus-build")
    assert build(CORPUS, out) == 0
    return out


def one_day_build(request) -> tuple[Path, object, Path, Path]:
    """For a fixture parametrised over "sample" and "corpus" (each a course of one day): the course
    root, the course, its build folder and the day's path below the root with `.pdf` (its handout's and
    assignment sheet's name)."""
    from deckbuild.course import discover

    if request.param == "corpus" and not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    root = SAMPLE_COURSE if request.param == "sample" else CORPUS
    out = request.getfixturevalue(f"{request.param}_build")
    course = discover(root)
    (day,) = course.days
    return root, course, out, day.path.relative_to(root).with_suffix(".pdf")


def course_diagrams(keyword: str) -> list:
    """(file:line, Diagram) for every Mermaid block of one kind in the sample course and the corpus."""
    from deckbuild.document import Diagram, iter_blocks, read_document

    found = []
    for root in (SAMPLE_COURSE, CORPUS):
        for path in sorted(root.glob("**/*.md")) if root.is_dir() else ():
            for block in iter_blocks(read_document(path).blocks):
                if isinstance(block, Diagram) and block.kind == keyword:
                    found.append((f"{path.relative_to(root.parent)}:{block.line}", block))
    return found

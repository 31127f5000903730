"""The whole build graph on a small two-day course: exactly the tasks an edit affects run again,
progress is shown while it runs, and `deckbuild watch` rebuilds on change."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT

from deckbuild import course as course_module
from deckbuild import document as document_module
from deckbuild.reporter import Progress
from deckbuild.runner import build_course
from deckbuild.tasks import Graph
from deckbuild.watch import watch_course

README = """# Week 1 - Day {day}: 작은 과정

### [Session 1: 첫 세션](./session_01.md)
- 첫 주제

### [Session 2: 둘째 세션](./session_02.md)
- 둘째 주제

## 💬 Session별 토론 주제
1. 첫 세션에서 가장 중요한 것은?
2. 둘째 세션을 실무에 적용하려면?

## 📝 이론 과제
다음 주제 중 하나를 골라 A4 1페이지 분량으로 정리하세요:
1. 레이어와 캐시의 관계
"""

SESSION = """# Session {n}: {title}

## 개념

이 세션은 **{title}**을 다룹니다. 짧은 문단 하나면 충분합니다.

{image}
```mermaid
graph LR
  A[입력] --> B[출력]
```
"""

SESSIONS = [f"week_01/day_0{day}/session_0{n}" for day in (1, 2) for n in (1, 2)]
PARTS = {f"handout_part:{session}" for session in SESSIONS}
EVERYTHING = {
    *(f"{kind}:{session}" for kind in ("deck", "slides", "notes") for session in SESSIONS),
    "handout:week_01/day_01", "handout:week_01/day_02", *PARTS,
    "assignment:week_01/day_01", "assignment:week_01/day_02", "assignment:blank",
}


@pytest.fixture
def small_course(tmp_path) -> Path:
    """Two days of two sessions; day 1 session 1 shows an image; a course-local copy of the default theme."""
    root = tmp_path / "course"
    (root / "themes" / "mine").mkdir(parents=True)
    shutil.copy(ROOT / "themes" / "default" / "theme.toml", root / "themes" / "mine" / "theme.toml")
    (root / "course.toml").write_text('title = "작은 과정"\nlanguage = "ko"\ntheme = "mine"\n', encoding="utf-8")
    (root / "week_01" / "images").mkdir(parents=True)
    (root / "week_01" / "images" / "box.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#8ab"/></svg>',
        encoding="utf-8")
    for day in (1, 2):
        folder = root / "week_01" / f"day_0{day}"
        folder.mkdir()
        (folder / "README.md").write_text(README.format(day=day), encoding="utf-8")
        for n, title in ((1, "첫 세션"), (2, "둘째 세션")):
            image = "![상자](../images/box.svg)\n" if (day, n) == (1, 1) else ""
            (folder / f"session_0{n}.md").write_text(SESSION.format(n=n, title=title, image=image), encoding="utf-8")
    return root


SCENE = "scene"  # the four sessions show the same diagram: one scene task lays it out for all


def ran(course: Path, out: Path, **options) -> set[str]:
    """Names of the tasks a build ran, with diagram scene tasks shown as SCENE."""
    result = build_course(course, out, **options)
    assert result.status == 0 and not result.record.failed
    assert len(result.record.ran) == len(set(result.record.ran)), "no task runs twice"
    return {SCENE if name.startswith("scene:") else name for name in result.record.ran}


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_each_edit_reruns_exactly_what_depends_on_it(small_course, tmp_path):
    out = tmp_path / "out"
    assert ran(small_course, out) == EVERYTHING | {SCENE}
    assert ran(small_course, out) == set()

    append(small_course / "week_01" / "day_02" / "session_01.md", "\n한 문장을 더합니다.\n")
    assert ran(small_course, out) == {"deck:week_01/day_02/session_01", "slides:week_01/day_02/session_01",
                                      "notes:week_01/day_02/session_01", "handout_part:week_01/day_02/session_01",
                                      "handout:week_01/day_02"}

    append(small_course / "week_01" / "images" / "box.svg", "\n")
    # The part and the slide PDF are made again, but draw the same picture: the handout, made from
    # equal parts, and the notes handout, made from an equal slide PDF, stay.
    assert ran(small_course, out) == {"deck:week_01/day_01/session_01", "slides:week_01/day_01/session_01",
                                      "handout_part:week_01/day_01/session_01"}

    append(small_course / "week_01" / "day_01" / "README.md", "\n")  # the README gives each part its topic
    assert ran(small_course, out) == {
        "deck:week_01/day_01/session_01", "deck:week_01/day_01/session_02",
        "slides:week_01/day_01/session_01", "slides:week_01/day_01/session_02",
        "handout_part:week_01/day_01/session_01", "handout_part:week_01/day_01/session_02",
        "handout:week_01/day_01", "assignment:week_01/day_01"}

    append(small_course / "themes" / "mine" / "theme.toml", "\n# a comment changes the theme file\n")
    assert ran(small_course, out) == EVERYTHING | {SCENE}


def test_a_build_reads_only_the_day_readmes_changed_since_the_last(small_course, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = Graph(small_course, out)
    first.cache.save()
    parsed = []
    real_read = course_module.read_document
    monkeypatch.setattr(course_module, "read_document", lambda path: parsed.append(path) or real_read(path))
    monkeypatch.setattr(course_module, "_readme_facts", {})  # as a new build process

    second = Graph(small_course, out)
    assert parsed == []
    assert [day.readme for day in second.course.days] == [day.readme for day in first.course.days]
    assert second.course.days[0].readme.assignment is not None

    readme = small_course / "week_01" / "day_02" / "README.md"
    append(readme, "\n## 🎯 학습 목표\n- 새 목표\n")
    monkeypatch.setattr(course_module, "_readme_facts", {})
    third = Graph(small_course, out)
    assert parsed == [readme]
    assert third.course.days[1].readme.goals == ("새 목표",)


def test_a_first_build_on_two_processors_parses_the_day_readmes_in_its_scanning_processes(small_course, tmp_path,
                                                                                            monkeypatch):
    """Discovery takes the READMEs' facts from the documents the scanning processes parsed: the build
    process, which every task waits for, parses none of them."""
    alone = Graph(small_course, tmp_path / "alone")
    monkeypatch.setattr(course_module, "_readme_facts", {})  # as a new build process
    monkeypatch.setattr(document_module, "_kept_documents", {})
    parsed = []
    real_parse = document_module.parse_markdown
    monkeypatch.setattr(document_module, "parse_markdown", lambda text, path: parsed.append(path) or real_parse(text, path))

    shared = Graph(small_course, tmp_path / "shared", jobs=2)
    readmes = [day.readme.path for day in shared.course.days if day.readme]
    assert len(readmes) == 2 and not set(readmes) & set(parsed)
    assert [day.readme for day in shared.course.days] == [day.readme for day in alone.course.days]


def test_progress_is_a_plain_line_per_task_outside_a_terminal(small_course, tmp_path, capsys):
    result = build_course(small_course, tmp_path / "out", only=("decks",))
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert len(lines) == len(result.record.ran) == 5  # four decks and the diagram they share
    assert [line.split("]")[0] for line in lines] == ["[1/5", "[2/5", "[3/5", "[4/5", "[5/5"]
    assert {line.split()[2] for line in lines} == set(result.record.ran)
    assert all(line.split()[1] == "built" and line.endswith(" s)") for line in lines)


class FakeTerminal:
    def __init__(self) -> None:
        self.written = ""

    def write(self, text: str) -> None:
        self.written += text

    def flush(self) -> None:
        pass


def test_progress_on_a_terminal_is_one_redrawn_line_with_the_running_tasks():
    terminal = FakeTerminal()
    progress = Progress(terminal, live=True)
    progress.total = 4
    progress.skip()
    progress.start("deck:week_01/day_01/session_02")
    frames = terminal.written.split("\r\x1b[2K")
    assert "\n" not in terminal.written
    assert frames[-1].endswith("1/4 deck:week_01/day_01/session_02")
    assert frames[-1].count("█") == 6 and frames[-1].count("░") == 18
    progress.finish("deck:week_01/day_01/session_02", "built")
    assert terminal.written.split("\r\x1b[2K")[-1].endswith("2/4 ")
    progress.close()
    assert terminal.written.endswith("\r\x1b[2K")


def test_watch_rebuilds_what_an_edit_affects(small_course, tmp_path):
    rounds: list[tuple[set[str], set[str]]] = []
    stop = threading.Event()

    def on_build(result, changed):
        rounds.append((set(result.record.ran), changed))

    watcher = threading.Thread(
        target=watch_course, args=(small_course, tmp_path / "out", on_build), kwargs={"only": ("decks",), "stop_event": stop})
    watcher.start()
    try:
        deadline = time.monotonic() + 60
        while not rounds and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(rounds[0][0]) == 5  # four decks and their one diagram
        time.sleep(0.5)  # let the watcher start before the edit
        session = small_course / "week_01" / "day_01" / "session_02.md"
        append(session, "\n수정했습니다.\n")
        while len(rounds) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive()
    assert rounds[1] == ({"deck:week_01/day_01/session_02"}, {str(session)})


def test_the_release_bundle_is_a_task_that_reruns_only_when_an_output_changes(small_course, tmp_path):
    build, dist = tmp_path / "build", tmp_path / "dist"

    def published() -> set[str]:
        return ran(small_course, build, dist=dist)

    assert published() == EVERYTHING | {SCENE, "release"}
    sums = (dist / "SHA256SUMS").read_text(encoding="utf-8")
    assert "decks/week_01/day_02/session_01.pptx" in sums and "manifest.json" in sums
    assert published() == set()
    append(small_course / "week_01" / "day_02" / "session_01.md", "\n한 문장을 더합니다.\n")
    assert published() == {"deck:week_01/day_02/session_01", "slides:week_01/day_02/session_01",
                           "notes:week_01/day_02/session_01", "handout_part:week_01/day_02/session_01",
                           "handout:week_01/day_02", "release"}
    assert (dist / "SHA256SUMS").read_text(encoding="utf-8") != sums

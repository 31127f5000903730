"""Bad input gets a precise file:line diagnostic and never a traceback; builds stay confined,
bounded and atomic."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_COURSE
from deck_reading import open_deck, slide_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from deckbuild.cli import main
from deckbuild.course import read_session_day
from deckbuild.deck import build_deck
from deckbuild.diagrams.cache import SceneCache
from deckbuild.document import MAX_LINES
from deckbuild.handout import part_html
from deckbuild.runner import build_course

BAD = ROOT / "tests" / "fixtures" / "bad"


def expected_diagnostics() -> set[tuple[str, int, str, str]]:
    expected = set()
    for line in (BAD / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            path, number, severity, message = line.split(":", 3)
            expected.add((path, int(number), severity.strip(), message.strip()))
    return expected


def check_json(course: Path, capsys, *options: str) -> tuple[int, dict]:
    capsys.readouterr()
    status = main(["check", str(course), "--format", "json", *options])
    return status, json.loads(capsys.readouterr().out)


def test_every_trap_gets_exactly_its_diagnostic(capsys):
    status, report = check_json(BAD, capsys)
    found = {(str(Path(d["file"]).relative_to(BAD)), d["line"], d["severity"], d["message"]) for d in report["diagnostics"]}
    assert found == expected_diagnostics()
    assert status == 1  # the non-UTF-8 session is an error
    assert report["summary"] == {"sessions": 7, "notes": 2, "warnings": 12, "errors": 1}


def test_check_text_lists_file_line_and_strict_fails_on_warnings(tmp_path, capsys):
    course = tmp_path / "course"
    shutil.copytree(BAD, course)
    (course / "week_01" / "day_01" / "session_06.md").unlink()
    capsys.readouterr()
    assert main(["check", str(course)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{course}/week_01/day_01/session_03.md:1: warning: empty session: nothing besides its title")
               for line in lines)
    assert lines[-1] == "6 sessions: 0 errors, 12 warnings, 2 notes"
    assert main(["check", str(course), "--strict"]) == 1


def test_the_sample_course_checks_clean_of_warnings(capsys):
    status, report = check_json(SAMPLE_COURSE, capsys, "--strict")
    assert [d for d in report["diagnostics"] if d["severity"] != "info"] == []
    assert status == 0


def test_a_bad_course_still_builds_every_readable_session(tmp_path, capsys):
    out = tmp_path / "out"
    result = build_course(BAD, out, only=("decks", "handouts"))
    assert not result.record.failed
    decks = sorted(p.name for p in (out / "decks" / "week_01" / "day_01").glob("*.pptx"))
    assert decks == ["session_01.pptx", "session_02.pptx", "session_03.pptx", "session_04.pptx", "session_05.pptx",
                     "session_07.pptx"]
    deck = open_deck(out / "decks" / "week_01" / "day_01" / "session_04.pptx")
    text = "\n".join(slide_text(slide) for slide in deck.slides)
    assert '<script>alert("xss")</script>' in text and "<script>document.cookie</script>" in text
    assert "이미지를 표시할 수 없습니다" in text  # the missing image is named on its slide
    handout = "\n".join(page.extract_text() for page in PdfReader(out / "handouts" / "week_01" / "day_01.pdf").pages)
    assert "document.cookie" in handout.replace("\u2060", "")


def test_the_handout_html_escapes_raw_script_tags():
    root = BAD
    day, session = read_session_day(root, BAD / "week_01" / "day_01" / "session_04.md")
    html = part_html(root, day, session, SceneCache(None, ""))
    assert "<script" not in html
    assert "&lt;script&gt;" in html.replace("\u2060", "")


def test_a_symlink_leaving_the_course_is_refused(tmp_path, capsys):
    course = tmp_path / "course"
    shutil.copytree(BAD, course)
    outside = tmp_path / "secret.png"
    outside.write_bytes((SAMPLE_COURSE / "week_01" / "images" / "layer-stack.svg").read_bytes())
    (course / "week_01" / "images").mkdir(exist_ok=True)
    (course / "week_01" / "images" / "escape.png").symlink_to(outside)
    session = course / "week_01" / "day_01" / "session_07.md"
    session.write_text("# Session 7: 링크\n\n![탈출](../images/escape.png)\n", encoding="utf-8")
    _, report = check_json(course, capsys)
    assert {"file": str(session), "line": 3, "severity": "warning",
            "message": "image outside the course folder not used: ../images/escape.png", "hint": ""} in report["diagnostics"]


def test_a_session_symlinked_from_outside_the_course_is_not_read(tmp_path, capsys):
    course = tmp_path / "course"
    shutil.copytree(BAD, course)
    secret = tmp_path / "secret.md"
    secret.write_text("# Session 8: 비밀\n\n밖에 있는 파일입니다.\n", encoding="utf-8")
    link = course / "week_01" / "day_01" / "session_08.md"
    link.symlink_to(secret)
    status, report = check_json(course, capsys)
    assert {"file": str(link), "line": 0, "severity": "warning",
            "message": "links to a file outside the course folder: not read", "hint": ""} in report["diagnostics"]
    assert report["summary"]["sessions"] == 7
    result = build_course(course, tmp_path / "out", only=("decks",))
    assert not (tmp_path / "out" / "decks" / "week_01" / "day_01" / "session_08.pptx").exists()
    assert "deck:week_01/day_01/session_08" not in result.record.ran


def test_huge_sessions_and_diagrams_are_refused_with_a_diagnostic_and_a_bounded_build(tmp_path, capsys):
    course = tmp_path / "course"
    day = course / "week_01" / "day_01"
    day.mkdir(parents=True)
    long_session = day / "session_01.md"
    text = "# Session 1: 긴 세션\n\n" + "\n".join(f"줄 {n}입니다.\n" for n in range(25_000))
    long_session.write_text(text, encoding="utf-8")
    nodes = "\n".join(" --> ".join(f"N{n}[노드 {n}]" for n in range(k, k + 3)) for k in range(0, 2_001, 3))
    (day / "session_02.md").write_text(f"# Session 2: 큰 그림\n\n## 그림\n\n```mermaid\ngraph TB\n{nodes}\n```\n", encoding="utf-8")
    _, report = check_json(course, capsys)
    messages = {(Path(d["file"]).name, d["line"], d["message"]) for d in report["diagnostics"]}
    lines = len(text.split("\n"))
    assert ("session_01.md", MAX_LINES + 1, f"{lines:,} lines: only the first {MAX_LINES:,} are built") in messages
    assert ("session_02.md", 6, "mermaid graph: too large to draw: 2,001 labels (at most 500); split it") in messages
    result = build_course(course, tmp_path / "out", only=("decks",))
    assert result.status == 0 and len(result.record.ran) == 2
    slides = list(open_deck(tmp_path / "out" / "decks" / "week_01" / "day_01" / "session_01.pptx").slides)
    assert len(slides) < 400


def outputs_are_whole(out: Path) -> None:
    """Every deck opens and every PDF has pages; no temporary file is left where outputs live."""
    for deck in out.rglob("*.pptx"):
        assert len(open_deck(deck).slides) > 0, deck
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) > 0, pdf
    leftovers = [p for p in out.rglob("*") if p.is_file() and ".tmp" in p.name and ".deckbuild" not in p.parts]
    assert leftovers == []


@pytest.mark.parametrize("seconds", [2.0, 6.0])
def test_a_killed_build_leaves_no_corrupt_output(tmp_path, seconds):
    course = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, course)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "deckbuild.cli", "build", str(course), "-o", str(out), "-n", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(seconds)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if out.is_dir():
        outputs_are_whole(out)  # outputs are renamed into place whole, so whatever exists opens
    result = build_course(course, out)
    assert result.status == 0 and not result.record.failed
    outputs_are_whole(out)
    assert len(list((out / "decks").rglob("*.pptx"))) == 9  # eight sessions and the Marp deck


# --- fuzzing ------------------------------------------------------------------------------

WORDS = st.sampled_from([
    "이미지", "레이어", "캐시", "Docker", "`code`", "**굵게**", "*기울임*", "~~취소~~", "$0.10/hour ($5)", "<br/>",
    "<script>x</script>", "<div align=\"center\">", "</div>", "<img src=\"../images/x.png\" width=\"50%\">", "✅", "⚠️",
    "👨‍👩‍👧", "[링크](./없음.md#앵커)", "![그림](../images/없음.svg)", "&amp;", "\u0007", "\ufeff", "|", "→",
    "가" * 80, "https://example.com", "#", "---", "```", ">",
])
LINE = st.lists(WORDS, min_size=0, max_size=8).map(" ".join)
PIECE = st.one_of(
    st.builds(lambda level, text: f"{'#' * level} {text}", st.integers(1, 6), LINE),
    LINE,
    st.builds(lambda depth, text: "  " * depth + f"- {text}", st.integers(0, 4), LINE),
    st.builds(lambda n, text: f"{n}. {text}", st.integers(1, 12), LINE),
    st.builds(lambda cells: "| " + " | ".join(cells) + " |", st.lists(LINE, min_size=1, max_size=7)),
    st.just("|---|---|"),
    st.builds(lambda lang, body: f"```{lang}\n{body}\n```", st.sampled_from(["", "bash", "python", "yaml", "text"]),
              st.lists(LINE, max_size=5).map("\n".join)),
    st.builds(lambda body: f"```mermaid\n{body}\n```", st.sampled_from([
        "graph TB\n  A[가] --> B[나]", "sequenceDiagram\n  A->>B: 안녕", "stateDiagram-v2\n  [*] --> A",
        "graph LR\n  A --> ", "pie title 파이\n  \"가\" : 3", "mindmap\n  root((뿌리))\n    가지", "unknownType\n  x",
    ])),
    st.just("```bash"),
    st.just("<details><summary>열기</summary>"),
    st.just("</details>"),
    st.just(""),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECE, min_size=1, max_size=30))
def test_random_markdown_goes_through_planner_and_both_writers(pieces):
    markdown = "\n".join(pieces) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder)
        day = course / "week_01" / "day_01"
        day.mkdir(parents=True)
        session = day / "session_01.md"
        session.write_text(markdown, encoding="utf-8")
        build_deck(str(course), str(session), str(course / "deck.pptx"))
        assert len(open_deck(course / "deck.pptx").slides) >= 1
        day_info, session_info = read_session_day(course, session)
        assert "<html" in part_html(course, day_info, session_info, SceneCache(None, ""))

"""The doit graph from the command line: incremental builds, check, unreadable sessions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_COURSE

from deckbuild.cli import main
from deckbuild.runner import build_course


def run_build(course: Path, out: Path) -> list[str]:
    """Build decks and return the names of the deck tasks doit ran (diagram scene tasks left out)."""
    result = build_course(course, out, only=("decks",))
    assert result.status == 0 and not result.record.failed
    return [name for name in result.record.ran if not name.startswith("scene:")]


@pytest.fixture
def course_copy(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, target)
    return target


def test_no_op_and_one_session_edit(course_copy, tmp_path):
    out = tmp_path / "out"
    assert len(run_build(course_copy, out)) == 9  # eight sessions and the Marp deck
    assert run_build(course_copy, out) == []
    session = course_copy / "week_01" / "day_04" / "session_03.md"
    session.write_text(session.read_text(encoding="utf-8") + "\n추가 문단입니다.\n", encoding="utf-8")
    assert run_build(course_copy, out) == ["deck:week_01/day_04/session_03"]


def test_readme_and_image_edits_rebuild_their_users(course_copy, tmp_path):
    out = tmp_path / "out"
    run_build(course_copy, out)
    readme = course_copy / "week_01" / "day_04" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert len(run_build(course_copy, out)) == 8  # the day's sessions; the Marp deck does not read the README
    image = course_copy / "week_01" / "images" / "layer-stack.svg"
    image.write_text(image.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    # session 1 shows the picture, and the Marp deck has it as a slide's background
    assert sorted(run_build(course_copy, out)) == ["deck:week_01/day_04/lectures/image_recap", "deck:week_01/day_04/session_01"]


def test_unreadable_session_is_reported_and_the_rest_builds(course_copy, tmp_path, capfd):
    bad = course_copy / "week_01" / "day_04" / "session_09.md"
    bad.write_bytes("# 세션\n".encode("euc-kr"))
    out = tmp_path / "out"
    capfd.readouterr()
    assert main(["build", str(course_copy), "-o", str(out), "--only", "decks"]) == 1
    captured = capfd.readouterr()
    assert f"{bad}:0: error: not UTF-8" in captured.err
    assert len(list((out / "decks").rglob("*.pptx"))) == 9


def test_check_lists_diagnostics_as_file_line(course_copy, capfd):
    session = course_copy / "week_01" / "day_04" / "session_02.md"
    session.write_text(session.read_text(encoding="utf-8") + "\n![없는 그림](../images/missing.png)\n", encoding="utf-8")
    line = len(session.read_text(encoding="utf-8").splitlines())
    assert main(["check", str(course_copy)]) == 0
    out = capfd.readouterr().out
    assert f"{session}:{line}: warning: image not found: ../images/missing.png" in out


def test_check_fails_on_errors(course_copy, capfd):
    (course_copy / "week_01" / "day_04" / "session_09.md").write_bytes(b"\xff\xfe# x\n")
    assert main(["check", str(course_copy)]) == 1


def test_a_full_build_makes_decks_handouts_and_assignment_sheets(sample_build):
    assert len(list((sample_build / "decks").rglob("*.pptx"))) == 9  # eight sessions and the Marp deck
    assert (sample_build / "handouts" / "week_01" / "day_04.pdf").is_file()
    assert (sample_build / "assignments" / "week_01" / "day_04.pdf").is_file()
    assert (sample_build / "assignments" / "blank.pdf").is_file()


def test_a_day_without_assignment_gets_no_sheet_and_an_info(course_copy, tmp_path):
    readme = course_copy / "week_01" / "day_04" / "README.md"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(text.split("## 📝 이론 과제")[0], encoding="utf-8")
    result = build_course(course_copy, tmp_path / "out", only=("assignments",))
    assert result.record.ran == ["assignment:blank"]
    assert any(d.severity.name == "INFO" and "no 이론 과제" in d.message for d in result.diagnostics)


def test_shards_together_run_every_task_exactly_once(tmp_path):
    everything = build_course(SAMPLE_COURSE, tmp_path / "all", only=("decks", "assignments")).record.ran
    parts = [build_course(SAMPLE_COURSE, tmp_path / f"part{i}", only=("decks", "assignments"), shard=(i, 3)).record.ran
             for i in (1, 2, 3)]
    combined = [name for part in parts for name in part]
    assert sorted(combined) == sorted(everything) and len(combined) == len(set(combined))
    assert all(parts)


def test_strict_turns_warnings_into_failure(course_copy, tmp_path):
    session = course_copy / "week_01" / "day_04" / "session_02.md"
    session.write_text(session.read_text(encoding="utf-8") + "\n![없는 그림](../images/missing.png)\n", encoding="utf-8")
    assert main(["build", str(course_copy), "-o", str(tmp_path / "a"), "--only", "assignments"]) == 0
    assert main(["build", str(course_copy), "-o", str(tmp_path / "b"), "--only", "assignments", "--strict"]) == 1
    with pytest.raises(SystemExit) as refused:
        main(["build", str(course_copy), "-o", str(tmp_path / "c"), "--shard", "3/2"])
    assert refused.value.code == 2


def test_images_outside_the_course_are_refused_with_a_diagnostic(course_copy, tmp_path, capsys):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"not really a png")
    (course_copy / "week_01" / "images" / "link.svg").symlink_to(outside)
    session = course_copy / "week_01" / "day_04" / "session_01.md"
    session.write_text(session.read_text(encoding="utf-8") + "\n![비밀](../../../secret.png)\n\n![링크](../images/link.svg)\n", encoding="utf-8")
    assert main(["check", str(course_copy)]) == 0
    out = capsys.readouterr().out
    assert out.count("image outside the course folder not used") == 2

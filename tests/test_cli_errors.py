"""Mistaken command lines end in one clear line, a failing exit status and nothing written anywhere;
files that cannot be written cost their own output only, with one line naming them. Every case is
a real `deckbuild` process run from a working folder of its own."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

SESSION = """# Session 1: 첫 세션

## 개념 (10분)

짧은 문단 하나와 목록 하나.

- 하나
- 둘
"""


def files_below(folder: Path) -> set[Path]:
    return {path.relative_to(folder) for path in folder.rglob("*")}


def deckbuild(cwd: Path, *arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "deckbuild.cli", *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=environment)


@pytest.fixture
def place(tmp_path) -> Path:
    """A working folder holding a one-session course (`course/`) and a plain file (`notes.txt`)."""
    day = tmp_path / "course" / "week_01" / "day_01"
    day.mkdir(parents=True)
    (day / "session_01.md").write_text(SESSION, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a course\n", encoding="utf-8")
    (tmp_path / "bundle").mkdir()
    (tmp_path / "bundle" / "keep.txt").write_text("mine\n", encoding="utf-8")
    return tmp_path


MISTAKES = [
    (("build", "no-such-folder", "-o", "out"), "course folder not found: no-such-folder"),
    (("build",), "course folder not found: slides"),
    (("build", "notes.txt", "-o", "out"), "not a folder: notes.txt"),
    (("build", "course", "-o", "notes.txt"), "output folder is a file: notes.txt"),
    (("build", "course", "-o", "notes.txt/out"), "output folder cannot be made: notes.txt/out (notes.txt is a file"),
    (("build", "course", "-o", "course"), "output folder is the course folder itself: course"),
    (("build", "course", "-o", "course/week_01"), "output folder holds the course's own sessions: course/week_01"),
    (("build", "course", "-n", "0"), "argument -n/--jobs: takes a whole number of tasks, 1 or more, not '0'"),
    (("build", "course", "-n", "-1"), "argument -n/--jobs: takes a whole number of tasks, 1 or more, not '-1'"),
    (("build", "course", "-n", "two"), "argument -n/--jobs: takes a whole number of tasks, 1 or more, not 'two'"),
    (("build", "course", "--shard", "3/2"), "argument --shard: takes I/N with 1 <= I <= N, not 3/2"),
    (("build", "course", "--shard", "0/2"), "argument --shard: takes I/N with 1 <= I <= N, not 0/2"),
    (("build", "course", "--shard", "half"), "argument --shard: takes I/N with 1 <= I <= N, not half"),
    (("build", "course", "--only", "pdfs"), "argument --only: takes decks, slides, notes, handouts, assignments (comma-separated), not 'pdfs'"),
    (("build", "course", "--only", ""), "argument --only: takes decks, slides, notes, handouts, assignments (comma-separated), not ''"),
    (("watch", "no-such-folder"), "course folder not found: no-such-folder"),
    (("watch", "course", "-o", "notes.txt"), "output folder is a file: notes.txt"),
    (("watch", "course", "-n", "0"), "argument -n/--jobs: takes a whole number of tasks"),
    (("check", "no-such-folder"), "course folder not found: no-such-folder"),
    (("check", "notes.txt"), "not a folder: notes.txt"),
    (("publish", "no-such-folder"), "course folder not found: no-such-folder"),
    (("publish", "course", "-o", "notes.txt"), "bundle folder is a file: notes.txt"),
    (("publish", "course", "--build-dir", "notes.txt"), "build folder is a file: notes.txt"),
    (("publish", "course", "-o", "."), "bundle folder . holds the course folder course, and publish replaces it whole"),
    (("publish", "course", "-o", "bundle"), "bundle folder bundle holds other files, and publish replaces it whole"),
    (("publish", "course", "-o", "out", "--build-dir", "out"), "bundle folder out holds the build folder out"),
    (("publish", "course", "-n", "-1"), "argument -n/--jobs: takes a whole number of tasks"),
    (("clean", "no-such-folder"), "course folder not found: no-such-folder"),
    (("clean", "course", "-o", "notes.txt"), "output folder is a file: notes.txt"),
]


@pytest.mark.parametrize("arguments, message", MISTAKES, ids=[" ".join(arguments) for arguments, _ in MISTAKES])
def test_a_mistaken_command_line_says_what_is_wrong_and_writes_nothing(place, arguments, message):
    before = files_below(place)
    result = deckbuild(place, *arguments)
    assert result.returncode == 2
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"deckbuild {arguments[0]}: error: ") and message in last, result.stderr
    assert all(line.startswith(("usage:", " ")) for line in result.stderr.splitlines()[:-1]), result.stderr
    assert files_below(place) == before


def test_an_empty_course_builds_nothing_and_says_so(place):
    (place / "empty").mkdir()
    before = files_below(place)
    for command in (["build", "empty", "-o", "out"], ["publish", "empty", "-o", "dist", "--build-dir", "out"]):
        result = deckbuild(place, *command)
        assert result.returncode == 0, result.stderr
        assert "empty:0: warning: no session files found" in result.stderr
        assert "deckbuild: 0 built, 0 up to date, 0 failed, 1 warnings, 0 errors" in result.stderr
        assert "release bundle" not in result.stderr
        assert files_below(place) == before  # not even the blank assignment sheet
    strict = deckbuild(place, "build", "empty", "-o", "out", "--strict")
    assert strict.returncode == 1 and "no session files found" in strict.stderr
    assert deckbuild(place, "check", "empty", "--strict").returncode == 1
    assert files_below(place) == before


def test_clean_without_a_build_has_nothing_to_do(place):
    before = files_below(place)
    result = deckbuild(place, "clean", "course", "-o", "out")
    assert result.returncode == 0 and result.stderr.strip() == "deckbuild: nothing to clean: out holds no build"
    assert files_below(place) == before


def test_a_symlinked_course_is_followed_and_an_output_folder_inside_it_is_never_read(place):
    (place / "link").symlink_to(place / "course", target_is_directory=True)
    first = deckbuild(place, "build", "link", "-o", "link/out", "--only", "decks")
    assert first.returncode == 0, first.stderr
    assert (place / "course" / "out" / "decks" / "week_01" / "day_01" / "session_01.pptx").is_file()
    # Whatever an output folder holds is not course content, even a file named like a session.
    (place / "course" / "out" / "session_02.md").write_text(SESSION, encoding="utf-8")
    again = deckbuild(place, "build", "link", "-o", "link/out", "--only", "decks")
    assert again.returncode == 0 and "deckbuild: 0 built, 1 up to date" in again.stderr
    check = deckbuild(place, "check", "link")
    assert check.stdout.splitlines()[-1].startswith("1 sessions:")
    assert set(os.listdir(place)) == {"course", "link", "notes.txt", "bundle"}


def test_a_target_in_the_way_fails_only_its_output_with_one_line(place):
    blocked = place / "out" / "decks" / "week_01" / "day_01" / "session_01.pptx"
    blocked.mkdir(parents=True)
    (place / "course" / "week_01" / "day_01" / "session_02.md").write_text(SESSION.replace("1", "2"), encoding="utf-8")
    result = deckbuild(place, "build", "course", "-o", "out", "--only", "decks")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if line.startswith("deckbuild: deck:")]
    assert failures == ["deckbuild: deck:week_01/day_01/session_01 failed: out/decks/week_01/day_01/session_01.pptx: Is a directory"]
    assert "deckbuild: 1 built, 0 up to date, 1 failed" in result.stderr
    assert blocked.is_dir() and (blocked.parent / "session_02.pptx").is_file()
    assert [p.name for p in blocked.parent.iterdir() if ".tmp" in p.name] == []


def _unwritable(folder: Path) -> bool:
    """Make folder unwritable (chmod, and as root the immutable flag); whether that worked."""
    folder.chmod(0o555)
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    try:
        (folder / "probe").touch()
    except OSError:
        return True
    (folder / "probe").unlink()
    return False


def _writable(folder: Path) -> None:
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_a_folder_that_cannot_be_written_is_named_in_one_line(place):
    out = place / "out"
    decks = out / "decks" / "week_01" / "day_01"
    decks.mkdir(parents=True)
    try:
        if not _unwritable(decks):
            pytest.skip("cannot make a folder unwritable here")
        result = deckbuild(place, "build", "course", "-o", "out", "--only", "decks")
        failures = [line for line in result.stderr.splitlines() if line.startswith("deckbuild: deck:")]
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(failures) == 1
        assert failures[0].startswith("deckbuild: deck:week_01/day_01/session_01 failed: out/decks/week_01/day_01/session_01.pptx: ")
        assert failures[0].endswith(("Permission denied", "Operation not permitted"))
        if not _unwritable(out):
            pytest.skip("cannot make a folder unwritable here")
        refused = deckbuild(place, "build", "course", "-o", "out/new")
        assert refused.returncode == 2
        assert refused.stderr.splitlines()[-1].startswith("deckbuild build: error: output folder is not writable: out/new")
    finally:
        _writable(out)
        _writable(decks)
    assert list(decks.iterdir()) == []


def _ctrl_c_reaches_it() -> None:
    """Run in the child before deckbuild starts: Ctrl-C as a terminal delivers it, even when the tests
    themselves run where it is ignored (a shell's background job), which the child would inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# Started as the installed `deckbuild` script starts it. Under `python -m`, CPython ends a process whose
# Ctrl-C landed inside library code's exec() of a string by the signal (-2) even after main returned 130.
AS_THE_COMMAND = "import sys; from deckbuild.command import main; sys.exit(main(sys.argv[1:]))"


def test_ctrl_c_ends_a_build_with_one_line(place):
    for number in range(2, 9):
        (place / "course" / "week_01" / "day_01" / f"session_0{number}.md").write_text(SESSION, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-c", AS_THE_COMMAND, "build", "course", "-o", "out", "-n", "1"],
                               cwd=place, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
                               preexec_fn=_ctrl_c_reaches_it)
    deadline = time.monotonic() + 60
    while not (place / "out" / ".deckbuild").is_dir() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    assert process.returncode == 130 and stderr.splitlines()[-1] == "deckbuild: interrupted"


def test_watch_ignores_its_output_folder_inside_the_course(place):
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "deckbuild.cli", "watch", "course", "-o", "course/out", "--only", "decks", "-n", "1"],
        cwd=place, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment,
        preexec_fn=_ctrl_c_reaches_it)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 90
        while sum(line.startswith("deckbuild: watching") for line in lines) < count and time.monotonic() < deadline:
            time.sleep(0.1)

    try:
        wait_for(1)
        time.sleep(2)  # the first build's own writes must not start a round
        assert sum(line.startswith("deckbuild: watching") for line in lines) == 1, lines
        session = place / "course" / "week_01" / "day_01" / "session_01.md"
        session.write_text(SESSION + "\n한 줄 더.\n", encoding="utf-8")
        wait_for(2)
        time.sleep(2)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        reader.join(timeout=10)
    changed = [line for line in lines if line.startswith("deckbuild: changed")]
    assert changed == [f"deckbuild: changed {session.resolve()}\n"], lines
    assert "deckbuild: rebuilt deck:week_01/day_01/session_01\n" in lines
    assert not any("Traceback" in line for line in lines)

"""The user's cache as build processes share it: one result made once, different results side by side."""

import multiprocessing
import time
from pathlib import Path

import pytest

from deckbuild.files import cached_bytes

FORK = multiprocessing.get_context("fork")


def _wait_for(path: Path, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _make_once(folder: Path, name: str, started: Path, answers) -> None:
    """A build process asking for one cached result; making it takes until the other process has asked."""

    def make() -> bytes:
        with (folder / "made.log").open("a") as log:
            log.write(f"{name}\n")
        started.touch()
        time.sleep(0.3)
        return f"result of {name}".encode()

    answers.put(cached_bytes(folder / f"{name}.bin", make))


def _make_after_the_other_started(folder: Path, name: str, other: str, answers) -> None:
    """A build process whose result can only be made while the other process is making its own."""

    def make() -> bytes:
        (folder / f"{name}.started").touch()
        if not _wait_for(folder / f"{other}.started"):
            return b"waited for the other process"
        return f"result of {name}".encode()

    answers.put(cached_bytes(folder / f"{name}.bin", make))


def _run(targets) -> list:
    answers = FORK.Queue()
    processes = [FORK.Process(target=target, args=(*arguments, answers)) for target, arguments in targets]
    for process in processes:
        process.start()
    results = [answers.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return results


def test_processes_wanting_the_same_result_at_once_make_it_once(tmp_path):
    started = tmp_path / "started"
    results = _run([(_make_once, (tmp_path, "face", started)), (_make_once, (tmp_path, "face", started))])
    assert (tmp_path / "made.log").read_text().splitlines() == ["face"]
    assert sorted(results) == [(b"result of face", False), (b"result of face", True)]
    assert (tmp_path / "face.bin").read_bytes() == b"result of face"


def test_different_results_are_made_side_by_side(tmp_path):
    first, second = "subset-1", "subset-2"  # names of different lock files
    results = _run([(_make_after_the_other_started, (tmp_path, first, second)),
                    (_make_after_the_other_started, (tmp_path, second, first))])
    assert sorted(results) == [(f"result of {first}".encode(), False), (f"result of {second}".encode(), False)]


def test_a_result_in_the_cache_is_read_not_made(tmp_path):
    (tmp_path / "kept.bin").write_bytes(b"kept")
    assert cached_bytes(tmp_path / "kept.bin", lambda: pytest.fail("made again")) == (b"kept", True)


def test_without_a_writable_cache_every_call_makes(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    calls = []
    for _ in range(2):
        assert cached_bytes(blocked / "result.bin", lambda: calls.append(1) or b"made") == (b"made", False)
    assert len(calls) == 2

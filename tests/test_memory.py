"""A task that rendered a PDF gives the memory it freed back to the system."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from deckbuild import memory, tasks

FRAGMENTED_HEAP = """
import sys
from deckbuild.memory import release_freed_memory

def resident_mb():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) // 1024

blocks = [bytes(4000) for _ in range(50_000)]  # 200 MB in blocks the C heap holds (above Python's 512-byte pool)
kept = blocks[::50]  # one block in fifty stays, so the heap cannot shrink from its top
del blocks
held = resident_mb()
release_freed_memory()
print(held, resident_mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or memory._malloc_trim() is None, reason="glibc's malloc_trim only")
def test_freed_heap_pages_go_back_to_the_system():
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", FRAGMENTED_HEAP], capture_output=True, text=True, timeout=60,
                            env=environment, check=True)
    held, after = map(int, result.stdout.split())
    assert held - after > 150  # of the 196 MB freed, held until released


def test_a_pdf_task_gives_memory_back_even_when_it_fails(monkeypatch):
    released = []
    monkeypatch.setattr(tasks, "release_freed_memory", lambda: released.append(True))

    @tasks.gives_memory_back
    def failing_render(**arguments):
        raise ValueError("layout failed")

    with pytest.raises(ValueError):
        failing_render(target="handout.pdf")
    assert released == [True]


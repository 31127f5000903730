"""A build leaves what lives through it out of the garbage collector's walks, and a task that rendered
a PDF gives the memory it freed back to the system."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from types import SimpleNamespace

import pytest

from deckbuild import memory, runner, tasks

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



class Node:
    """An object that can sit in a reference cycle."""

    partner: "Node | None" = None


def test_what_lives_through_the_block_is_frozen_then_collectable_again():
    first, second = Node(), Node()
    first.partner, second.partner = second, first  # a cycle: only the collector frees it
    gone = weakref.ref(first)
    with memory.long_lived_frozen():
        assert gc.get_freeze_count() > 0
        del first, second
        gc.collect()
        assert gone() is not None  # frozen: a collection inside the block leaves it alone
        with memory.long_lived_frozen():  # as the scan's processes are forked inside a build
            pass
        gc.collect()
        assert gone() is not None  # still frozen: only the outermost block gives them back
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # a process that builds again (watch) frees what the last build left


def test_doit_runs_the_tasks_with_the_graph_frozen(monkeypatch):
    seen = []

    class Doit:
        """doit's command, noting how many objects are frozen while it runs the tasks."""

        def __init__(self, loader) -> None:
            pass

        def run(self, arguments) -> int:
            seen.append(gc.get_freeze_count())
            return 0

    monkeypatch.setattr(runner, "DoitMain", Doit)
    graph = SimpleNamespace(diagnostics=[], reported=lambda: [])
    result = runner._run({"DOIT_CONFIG": {}}, graph, ["run"], 0.0)
    assert result.status == 0 and seen[0] > 0
    assert gc.get_freeze_count() == 0

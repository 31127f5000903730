"""Ctrl-C ends the command in one line: pressed while its modules import, or swallowed by library code
(then the build stops at its next task)."""

from __future__ import annotations

import os
import subprocess
import sys

SWALLOWED = """
import os, signal
from deckbuild.interrupt import catch_ctrl_c, interrupted, stop_if_interrupted
signal.signal(signal.SIGINT, signal.default_int_handler)
catch_ctrl_c()
class Finaliser:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while a finaliser runs: Python only prints it
Finaliser()
print(interrupted())
try:
    stop_if_interrupted()
except KeyboardInterrupt:
    print("stopped")
"""


def test_a_ctrl_c_swallowed_by_a_finaliser_is_still_noted_and_stops_at_the_next_safe_point():
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", SWALLOWED], capture_output=True, text=True, timeout=60, env=environment)
    assert result.stdout.split() == ["True", "stopped"]
    assert "KeyboardInterrupt" in result.stderr  # what Python prints for the finaliser; the program went on


def test_where_ctrl_c_is_ignored_it_stays_ignored():
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    script = ("import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
              "from deckbuild.interrupt import catch_ctrl_c; catch_ctrl_c()\n"
              "print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=environment)
    assert result.stdout.split() == ["True"]


WHILE_IMPORTING = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)

class CtrlCOnImport:
    \"\"\"Presses Ctrl-C when the command line's build modules start importing.\"\"\"
    def find_spec(self, name, path=None, target=None):
        if name == "deckbuild.runner":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlCOnImport())
from deckbuild.command import main
sys.exit(main(["build", "nowhere"]))
"""


def test_ctrl_c_while_the_command_imports_its_modules_ends_in_one_line():
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", WHILE_IMPORTING], capture_output=True, text=True, timeout=60,
                            env=environment)
    assert result.returncode == 130
    assert result.stderr == "deckbuild: interrupted\n"

"""Ctrl-C, remembered. Python raises KeyboardInterrupt wherever the program happens to be, and
library code may swallow it there (an exception in a finaliser or a C callback is only printed),
so a build could run on to the end after Ctrl-C. The command line notes every Ctrl-C, and a
build stops at its next task when one was swallowed."""

from __future__ import annotations

import signal
import sys

EXIT_STATUS = 130  # what a shell reports for a command ended by Ctrl-C

_noted = False


def catch_ctrl_c() -> None:
    """Note each Ctrl-C before raising KeyboardInterrupt as usual; left alone where Ctrl-C is ignored."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_ctrl_c)


def _on_ctrl_c(signum, frame) -> None:
    global _noted
    _noted = True
    raise KeyboardInterrupt


def interrupted() -> bool:
    """Whether Ctrl-C was pressed since catch_ctrl_c, even if library code swallowed its KeyboardInterrupt."""
    return _noted


def stop_if_interrupted() -> None:
    """Raise KeyboardInterrupt here, at a safe point, for a Ctrl-C that was swallowed elsewhere."""
    if _noted:
        raise KeyboardInterrupt


def say_interrupted() -> int:
    """The one line a Ctrl-C ends the command with; returns the exit status to end with."""
    print("deckbuild: interrupted", file=sys.stderr)
    return EXIT_STATUS

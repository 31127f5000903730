"""The `deckbuild` command's entry point. It catches Ctrl-C before the command line's modules are
imported (a quarter of a second), so a Ctrl-C pressed that early also ends in one line, not a traceback."""

from __future__ import annotations

import sys

from .interrupt import catch_ctrl_c, say_interrupted


def main(argv: list[str] | None = None) -> int:
    """Import the command line under Ctrl-C's watch, then run it."""
    catch_ctrl_c()
    try:
        from .cli import main as run_command
    except KeyboardInterrupt:
        return say_interrupted()
    return run_command(argv)


if __name__ == "__main__":
    sys.exit(main())

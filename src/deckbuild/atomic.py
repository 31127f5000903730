"""Writing a file so that nobody ever sees half of it: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(target: Path, data: bytes | str) -> None:
    """Write data (text as UTF-8) to target through a temporary file beside it.

    When writing fails (a folder in the way, permission denied, disk full) the
    temporary file is removed, target is left as it was, and the OSError names target.
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        temporary.replace(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(target)) from error

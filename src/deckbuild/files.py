"""Files deckbuild writes: outputs written so that a reader never sees half of one (beside the
target, then renamed into place), and the user's cache folder for what is slow to remake."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(target: Path, data: bytes | str) -> None:
    """Write data (text as UTF-8) to target through a temporary file beside it (a rename is atomic).

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


def user_cache(name: str) -> Path:
    """A folder of the user's cache for one kind of cached result ($XDG_CACHE_HOME or ~/.cache, then deckbuild/name)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "deckbuild" / name

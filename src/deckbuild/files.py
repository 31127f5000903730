"""Files deckbuild writes: outputs written so that a reader never sees half of one (beside the
target, then renamed into place), and the user's cache folder for what is slow to remake."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
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


def cached_bytes(target: Path, make: Callable[[], bytes]) -> tuple[bytes, bool]:
    """(bytes, taken from the cache) of the cached result at target, made by make() when absent.

    Build processes that want the same result at once make it once: the first
    takes a lock on the result's name and makes it, the others wait for it and
    read what it wrote. Results of different names never wait for each other
    (the names share 256 lock files in the folder). Without a writable folder
    every call makes."""
    with contextlib.suppress(OSError):
        return target.read_bytes(), True
    lock = target.with_name(f".{hashlib.sha256(target.name.encode()).hexdigest()[:2]}.lock")
    with locked(lock):
        with contextlib.suppress(OSError):
            return target.read_bytes(), True
        data = make()
        with contextlib.suppress(OSError):
            write_atomically(target, data)
    return data, False


@contextlib.contextmanager
def locked(path: Path):
    """An exclusive lock on the file at path for the block; none where files cannot be locked."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

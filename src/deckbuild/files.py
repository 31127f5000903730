"""Files deckbuild writes: outputs written so that a reader never sees half of one (beside the
target, then renamed into place), and the user's cache folder for what is slow to remake."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write data to target through a temporary file in the same folder (a rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


def user_cache(name: str) -> Path:
    """A folder of the user's cache for one kind of cached result ($XDG_CACHE_HOME or ~/.cache, then deckbuild/name)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "deckbuild" / name

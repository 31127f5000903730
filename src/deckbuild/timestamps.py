"""The one timestamp written into every output, and zips that carry it, so equal inputs give equal bytes."""

from __future__ import annotations

import datetime
import io
import os
import zipfile

DEFAULT_EPOCH = 946684800  # 2000-01-01, used when SOURCE_DATE_EPOCH is not set


def source_date() -> datetime.datetime:
    """SOURCE_DATE_EPOCH as a UTC datetime (without tzinfo), else 2000-01-01."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).replace(tzinfo=None)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip of entries, in name order, every entry stamped with source_date()."""
    stamp = source_date().timetuple()[:6]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            entry = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, entries[name])
    return output.getvalue()

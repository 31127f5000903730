"""The one timestamp written into every output, so equal inputs give equal bytes."""

from __future__ import annotations

import datetime
import os

DEFAULT_EPOCH = 946684800  # 2000-01-01, used when SOURCE_DATE_EPOCH is not set


def source_date() -> datetime.datetime:
    """SOURCE_DATE_EPOCH as a UTC datetime (without tzinfo), else 2000-01-01."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).replace(tzinfo=None)

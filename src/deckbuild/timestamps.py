"""The one timestamp written into every output, and zips that carry it, so equal inputs give equal bytes.

Zips are written here rather than with `zipfile`, so that an entry compressed
once is not compressed again: every deck carries the same master, theme and
embedded font parts (megabytes of font data per deck), and a build process
keeps their compressed form for the next deck. The largest (the embedded CJK
faces) are also kept in the user's cache, so that each build process, and each
later build, does not compress them again either.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import struct
import zlib
from collections import OrderedDict

from .files import cached_bytes, user_cache

DEFAULT_EPOCH = 946684800  # 2000-01-01, used when SOURCE_DATE_EPOCH is not set
DEFLATED = 8
VERSION = 20  # zip 2.0: deflate
UNIX = 3  # "made by" system: external attributes are Unix modes
UTF8_NAME = 0x800
FILE_MODE = 0o644 << 16
KEPT_BYTES = 32 << 20  # compressed entries a process keeps for reuse, counted by their uncompressed size
KEPT_FROM = 16 << 10  # smaller entries are compressed again: quick, and each deck's own slides would crowd the rest out
STORED_FROM = 1 << 20  # entries this large (embedded CJK faces) keep their compressed form in the user's cache too
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def source_date() -> datetime.datetime:
    """SOURCE_DATE_EPOCH as a UTC datetime (without tzinfo), else 2000-01-01."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).replace(tzinfo=None)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip of entries, in name order, every entry deflated and stamped with source_date()."""
    year, month, day, hour, minute, second = max(source_date().timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    output: list[bytes] = []  # joined once at the end: a deck carries megabytes of fonts
    directory: list[bytes] = []
    offset = 0
    for name in sorted(entries):
        data = entries[name]
        crc, deflated = _deflated(data)
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else UTF8_NAME
        header = _LOCAL.pack(0x04034B50, VERSION, flags, DEFLATED, dos_time, dos_date, crc, len(deflated), len(data),
                             len(encoded), 0)
        output += (header, encoded, deflated)
        directory += (_CENTRAL.pack(0x02014B50, UNIX << 8 | VERSION, VERSION, flags, DEFLATED, dos_time, dos_date, crc,
                                    len(deflated), len(data), len(encoded), 0, 0, 0, 0, FILE_MODE, offset), encoded)
        offset += len(header) + len(encoded) + len(deflated)
    directory_size = sum(map(len, directory))
    end = _END.pack(0x06054B50, 0, 0, len(entries), len(entries), directory_size, offset, 0)
    return b"".join([*output, *directory, end])


_kept: OrderedDict[tuple[int, int], tuple[bytes, bytes, int]] = OrderedDict()  # (crc, size) → (data, deflated, crc)
_kept_objects: dict[int, tuple[bytes, bytes, int]] = {}  # id(data) → the same entry, for the very bytes object seen before
_kept_bytes = 0


def _deflated(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate stream of data (level 6, as zipfile writes), reused when the same
    bytes were compressed before in this process. The same bytes object (a font face every deck
    embeds) is not even checksummed again."""
    global _kept_bytes
    known = _kept_objects.get(id(data))
    if known is not None and known[0] is data:
        _kept.move_to_end((known[2], len(data)))
        return known[2], known[1]
    crc = zlib.crc32(data)
    key = (crc, len(data))
    kept = _kept.get(key)
    if kept is not None and kept[0] == data:
        _kept.move_to_end(key)
        return crc, kept[1]
    deflated = _stored_deflate(data) if len(data) >= STORED_FROM else _deflate(data)
    if KEPT_FROM <= len(data) <= KEPT_BYTES:
        _forget(_kept.pop(key, None))
        _kept[key] = _kept_objects[id(data)] = (data, deflated, crc)
        _kept_bytes += len(data)
        while _kept_bytes > KEPT_BYTES:
            _forget(_kept.popitem(last=False)[1])
    return crc, deflated


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _stored_deflate(data: bytes) -> bytes:
    """data deflated, read from the user's cache when a build process compressed the same bytes before
    (a tenth of a second for each embedded CJK face)."""
    name = hashlib.sha256(data).hexdigest()[:32]
    return cached_bytes(user_cache("deflated") / f"{name}.deflate", lambda: _deflate(data))[0]


def _forget(entry: tuple[bytes, bytes, int] | None) -> None:
    """Drop an entry from the kept ones' byte count and identity index."""
    global _kept_bytes
    if entry is not None:
        _kept_bytes -= len(entry[0])
        if _kept_objects.get(id(entry[0])) is entry:
            del _kept_objects[id(entry[0])]

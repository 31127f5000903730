"""Zips with one timestamp: readable, the same bytes for the same entries, large entries compressed once per machine."""

import io
import random
import zipfile

import pytest

from deckbuild import timestamps
from deckbuild.timestamps import STORED_FROM, zip_bytes


@pytest.fixture
def fresh_process(tmp_path, monkeypatch):
    """A user cache of its own, and a process that has compressed nothing yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(timestamps, "_kept", type(timestamps._kept)())
    monkeypatch.setattr(timestamps, "_kept_objects", {})
    monkeypatch.setattr(timestamps, "_kept_bytes", 0)
    return tmp_path


def font_like(size: int) -> bytes:
    """Bytes standing in for a font face of that size."""
    return random.Random(size).randbytes(size)


def test_a_zip_holds_its_entries_in_name_order_with_the_source_date(fresh_process, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    entries = {"ppt/slides/slide1.xml": b"<p:sld/>", "[Content_Types].xml": b"<Types/>", "ppt/fonts/font1.fntdata": font_like(70_000)}
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(entries)))
    assert archive.namelist() == sorted(entries)
    assert {name: archive.read(name) for name in archive.namelist()} == entries
    assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert archive.testzip() is None


def test_a_large_entry_is_compressed_once_for_every_build_process(fresh_process, monkeypatch):
    face = font_like(STORED_FROM + 1)
    first = zip_bytes({"ppt/fonts/font1.fntdata": face, "ppt/slides/slide1.xml": b"<p:sld/>"})
    assert len(list((fresh_process / "deckbuild" / "deflated").glob("*.deflate"))) == 1

    # another build process: nothing compressed in memory, the same face read from the cache
    monkeypatch.setattr(timestamps, "_kept", type(timestamps._kept)())
    monkeypatch.setattr(timestamps, "_kept_objects", {})
    monkeypatch.setattr(timestamps, "_kept_bytes", 0)
    compressed = []
    original = timestamps._deflate
    monkeypatch.setattr(timestamps, "_deflate", lambda data: compressed.append(len(data)) or original(data))
    again = zip_bytes({"ppt/fonts/font1.fntdata": bytes(face), "ppt/slides/slide1.xml": b"<p:sld/>"})
    assert again == first
    assert compressed == [len(b"<p:sld/>")]  # only the small entry was compressed again

"""Facts read from installed font files (digests, names, whether two faces draw Hangul alike) are kept in
the user's cache, so a new build process does not read tens of megabytes of font again for its first deck."""

from __future__ import annotations

import shutil

import pytest

from deckbuild import font_embedding, measure
from deckbuild.font_embedding import file_digest, same_hangul
from deckbuild.measure import FontFile, locate

BODY, MONO = "Noto Sans CJK KR", "Noto Sans Mono CJK KR"


def as_a_new_process():
    """Forget what this process learnt, as a freshly started build process has."""
    measure._kept_facts.clear()
    same_hangul.cache_clear()


def test_a_new_process_takes_font_facts_from_the_cache_without_reading_the_font(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    as_a_new_process()
    body = locate(BODY)
    learnt = (file_digest(body.path), font_embedding._face_names(body.path, body.index), same_hangul(MONO, BODY))
    assert learnt[1][0] >= {BODY.lower()} and learnt[2]
    as_a_new_process()

    def not_read(*_):
        raise AssertionError("the font file was read again")

    monkeypatch.setattr(font_embedding, "_sha256", not_read)
    monkeypatch.setattr(font_embedding, "_open_face", not_read)
    assert (file_digest(body.path), font_embedding._face_names(body.path, body.index), same_hangul(MONO, BODY)) == learnt


def test_a_changed_font_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    as_a_new_process()
    font = tmp_path / "face.ttf"
    shutil.copyfile(locate("DejaVu Sans").path, font)
    before = file_digest(str(font)), font_embedding._face_names(str(font), 0)
    with font.open("ab") as handle:  # the same face with bytes after it: a new version of the file
        handle.write(b"\0" * 4)
    as_a_new_process()
    after = file_digest(str(font)), font_embedding._face_names(str(font), 0)
    assert after[0] != before[0] and after[1] == before[1] == (frozenset({"dejavu sans"}), 400)


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    as_a_new_process()
    body = locate(BODY)
    assert len(file_digest(body.path)) == 64 and same_hangul(MONO, BODY)


@pytest.fixture(autouse=True)
def forget_afterwards():
    """Other tests start without what these tests' temporary caches taught the process."""
    yield
    as_a_new_process()

"""The release bundle: artifacts, manifest, checksums, week zips and an index whose links all work."""

from __future__ import annotations

import hashlib
import json
import zipfile
from html.parser import HTMLParser

from conftest import SAMPLE_COURSE

from deckbuild.publish import publish


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.hrefs.append(attributes["href"])
        if tag == "html":
            self.lang = attributes.get("lang")


def test_bundle_lists_every_artifact_with_checksums_and_working_links(sample_build, tmp_path):
    dist = tmp_path / "dist"
    artifacts = publish(SAMPLE_COURSE, sample_build, dist)
    # nine decks (one a Marp deck) and their slide PDFs, a notes handout per session, the handout, two sheets
    assert len(artifacts) == 29
    assert {a.kind for a in artifacts} == {"decks", "slides", "notes", "handouts", "assignments"}

    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["artifacts"]:
        data = (dist / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    deck = next(e for e in manifest["artifacts"] if e["path"] == "decks/week_01/day_04/session_01.pptx")
    assert (deck["week"], deck["day"], deck["session"]) == (1, 4, 1) and deck["title"].startswith("Session 1")
    for path, kind in (("decks/week_01/day_04/session_01.pdf", "slides"), ("notes/week_01/day_04/session_01.pdf", "notes")):
        entry = next(e for e in manifest["artifacts"] if e["path"] == path)
        assert (entry["kind"], entry["session"], entry["title"]) == (kind, 1, deck["title"])

    sums = (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == len([p for p in dist.rglob("*") if p.is_file()]) - 1
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest

    with zipfile.ZipFile(dist / "week_01.zip") as archive:
        assert sorted(archive.namelist()) == sorted(a.path for a in artifacts if a.week == 1)

    page = Links()
    page.feed((dist / "index.html").read_text(encoding="utf-8"))
    assert page.lang == "ko"
    assert {a.path for a in artifacts} <= set(page.hrefs)
    assert all((dist / href).is_file() for href in page.hrefs)


def test_publishing_twice_gives_identical_checksums(sample_build, tmp_path):
    publish(SAMPLE_COURSE, sample_build, tmp_path / "one")
    publish(SAMPLE_COURSE, sample_build, tmp_path / "two")
    assert (tmp_path / "one" / "SHA256SUMS").read_bytes() == (tmp_path / "two" / "SHA256SUMS").read_bytes()

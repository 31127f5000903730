"""Decks converted by LibreOffice: every deck opens and becomes a PDF with one page per slide."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from deck_reading import open_deck

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def test_sample_decks_convert_with_libreoffice(sample_build, tmp_path):
    import pdfplumber

    decks = sorted((sample_build / "decks").rglob("*.pptx"))
    assert len(decks) == 8
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, decks)],
        check=True, capture_output=True, timeout=600,
    )
    for deck in decks:
        pdf = tmp_path / f"{deck.stem}.pdf"
        assert pdf.is_file(), deck
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) == len(open_deck(deck).slides)
            first_page = document.pages[0]
            hangul = [c for c in first_page.chars if "\uac00" <= c["text"] <= "\ud7a3"]
        assert "Session" in first_page.extract_text()
        assert hangul and all("CJK" in c["fontname"] for c in hangul), deck  # drawn with a Hangul font, no tofu

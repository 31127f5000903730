"""Incremental handouts: a session edit renders that session's part again, and the day's handout
assembled from cached parts is the very document a clean build of the edited course gives."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from deckbuild.runner import build_course

README = """# Week 2 - Day 3: 조립되는 핸드아웃

### [Session 1: 첫 세션](./session_01.md)
### [Session 2: 둘째 세션](./session_02.md)
### [Session 3: 셋째 세션](./session_03.md)

## 학습 목표
- 세션마다 따로 렌더링된 부분을 하나로 엮는다

## 💬 Session별 토론 주제
1. **Session 1**: "첫 세션에서 가장 중요한 것은?"
2. **Session 2**: "둘째 세션을 실무에 적용하려면?"
3. **Session 3**: "셋째 세션의 함정은?"
"""

SESSION = """# Session {n}: {title}

## 1. 개요 (10분)

이 세션은 **{title}**을 다룹니다 🚀. `docker build`처럼 *기울임*과 코드가 섞인 문장입니다.

| 항목 | 설명 |
|---|---|
| 레이어 | 변경분 |

```python
def build(tag: str) -> str:
    return f"image:{{tag}}"  # 주석
```

```mermaid
graph LR
  A[소스 {n}] --> B[이미지 {n}]
```

## 2. 정리 (5분)

같은 제목이 다른 세션에도 있습니다.

### 토론 주제
1. 질문 {n}?
"""


def long_text() -> str:
    """Enough text to add pages, so every later page number moves."""
    return "\n\n## 3. 덧붙인 절 (5분)\n\n" + "\n\n".join(f"덧붙인 문단 {i}: " + "긴 문장을 이어 씁니다. " * 30 for i in range(40)) + "\n"


@pytest.fixture
def course(tmp_path) -> Path:
    root = tmp_path / "course"
    day = root / "week_02" / "day_03"
    day.mkdir(parents=True)
    (root / "course.toml").write_text('title = "조립 과정"\norganisation = "학교"\n', encoding="utf-8")
    (day / "README.md").write_text(README, encoding="utf-8")
    for n, title in ((1, "첫 세션"), (2, "둘째 세션"), (3, "셋째 세션")):
        (day / f"session_0{n}.md").write_text(SESSION.format(n=n, title=title), encoding="utf-8")
    return root


def handout(out: Path) -> Path:
    return out / "handouts" / "week_02" / "day_03.pdf"


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as document:
        return [page.extract_text() or "" for page in document.pages]


def outline(path: Path) -> list[tuple[int, str, int, float]]:
    """(depth, title, page index, top) of every bookmark."""
    reader = PdfReader(path)
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item), round(float(item.top), 1)))

    walk(reader.outline, 0)
    return found


def link_targets(path: Path) -> list[tuple[int, int, float]]:
    """(page index, target page index, target top) of every internal link."""
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        found = []
        for index, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", []):
                if "/Dest" in annotation:
                    destination = annotation.Dest
                    if isinstance(destination, pikepdf.String):
                        destination = names[str(destination)]
                    found.append((index, pages[destination[0].objgen], round(float(destination[3]), 1)))
        return found


def embedded_fonts(path: Path) -> Counter:
    """How many times each font name is embedded (a font program per name)."""
    with pikepdf.open(path) as pdf:
        programs = Counter()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor:
                programs[str(obj.FontName)] += 1
        return programs


def test_a_session_edit_renders_one_part_and_gives_the_clean_builds_handout(course, tmp_path):
    out = tmp_path / "out"
    first = build_course(course, out, only=("handouts",))
    assert first.status == 0
    parts = {name for name in first.record.ran if name.startswith("handout_part:")}
    assert len(parts) == 3
    before = page_texts(handout(out))

    session = course / "week_02" / "day_03" / "session_01.md"
    session.write_text(session.read_text(encoding="utf-8") + long_text(), encoding="utf-8")
    again = build_course(course, out, only=("handouts",))
    assert sorted(again.record.ran) == ["handout:week_02/day_03", "handout_part:week_02/day_03/session_01"]

    clean = tmp_path / "clean"
    assert build_course(course, clean, only=("handouts",)).status == 0
    incremental, fresh = handout(out), handout(clean)
    texts = page_texts(incremental)
    assert len(texts) > len(before)  # the edit added pages, so the later sessions' numbers moved
    assert texts == page_texts(fresh)
    total = len(texts)
    assert all(f"{n} / {total}" in text for n, text in enumerate(texts[1:], start=2))  # continuous n / N
    assert outline(incremental) == outline(fresh)
    assert link_targets(incremental) == link_targets(fresh)
    assert incremental.read_bytes() == fresh.read_bytes()

    # A typo fixed: no page number moves, so the front and the stamps are reused, and still the
    # handout is the clean build's.
    kept = out / ".deckbuild" / "handout-fronts" / "week_02" / "day_03" / "front.pdf"
    stamp = kept.stat().st_mtime_ns
    other = course / "week_02" / "day_03" / "session_02.md"
    other.write_text(other.read_text(encoding="utf-8").replace("짧은", "간단한", 1).replace("다룹니다", "살펴봅니다"), encoding="utf-8")
    assert "handout:week_02/day_03" in build_course(course, out, only=("handouts",)).record.ran
    assert kept.stat().st_mtime_ns == stamp
    again = tmp_path / "again"
    assert build_course(course, again, only=("handouts",)).status == 0
    assert handout(out).read_bytes() == handout(again).read_bytes()


def test_the_assembled_handout_reads_like_one_document(course, tmp_path):
    out = tmp_path / "out"
    assert build_course(course, out, only=("handouts",)).status == 0
    path = handout(out)
    texts = page_texts(path)
    marks = outline(path)
    # The day's title holds the sessions, each holding its sections; each points at its heading's page.
    assert marks[0][:3] == (0, "Week 2 - Day 3: 조립되는 핸드아웃", 0)
    sessions = [mark for mark in marks if mark[0] == 1]
    assert [mark[1] for mark in sessions] == ["Session 1: 첫 세션", "Session 2: 둘째 세션", "Session 3: 셋째 세션"]
    for _, title, page, _ in marks[1:]:
        assert title.replace(" ", "") in texts[page].replace(" ", "").replace("\u2060", "")
    # Every contents entry links to the page its number names.
    contents = texts[1].replace("\u2060", "")
    for source, target, _ in link_targets(path):
        assert source == 1
    for _, title, page, _ in marks[1:]:
        assert f"{title} {page + 1}" in contents
    # Running headers on every page but the cover, and each font embedded once.
    assert all("조립 과정 · Week 2 · Day 3" in text for text in texts[1:])
    fonts = embedded_fonts(path)
    assert fonts and all(count == 1 for count in fonts.values()), fonts
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        names = [line.split()[0] for line in listing]
        assert len(names) == len(set(names)) and all(line.split()[-5] == "yes" for line in listing)


def test_a_colour_font_is_cut_to_the_same_bytes_whenever_it_is_cut(monkeypatch):
    """Emoji (a colour font, its glyphs emptied for the assembled handout) must not carry the time the
    handout was assembled: two clean builds a second apart gave different handouts."""
    from fontTools.ttLib.tables import _h_e_a_d

    from deckbuild.pdf_fonts import installed_faces, subset_font

    emoji = next((face for name, face in installed_faces().items() if name.startswith("NotoColorEmoji")), None)
    if emoji is None:
        pytest.skip("Noto Color Emoji is not installed")
    cuts = []
    for now in (1_000_000, 2_000_000):
        monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda now=now: now)
        cuts.append(subset_font(*emoji, [0, 1, 2]))
    assert cuts[0] == cuts[1]

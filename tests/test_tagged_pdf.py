"""Handouts and assignment sheets as a screen reader meets them: tagged PDFs in Korean with a title,
headings in order, alt text on every picture and diagram, header cells in tables, running headers and
page numbers kept out of the text, and one structure tree that holds together after the assembly.
Checked with the `pdfua` checker and by reading the structure tree back with pikepdf."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import one_day_build
from PIL import Image
from pdfua import validate

from deckbuild.diagrams.build import NATIVE_KINDS, build_scene
from deckbuild.diagrams.model import MermaidError
from deckbuild.document import Diagram, Image as ImageBlock, Table, iter_blocks, read_document
from deckbuild.i18n import text as ui_text
from deckbuild.images import resolve_image
from deckbuild.measure import Measurer
from deckbuild.runner import build_course
from deckbuild.theme import load_theme

HEADING = re.compile(r"/H([1-6])$")


@dataclass
class Element:
    """A structure element as read from the file: its role, page, marked content, alt text, attributes, kids."""

    role: str
    page: int | None
    mcids: list[int] = field(default_factory=list)
    alt: str = ""
    attributes: dict = field(default_factory=dict)
    kids: list[Element] = field(default_factory=list)

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()


@dataclass
class Structure:
    """A tagged PDF's structure tree, the text each element's marked content shows, and what does not hold together."""

    root: Element
    text: dict[tuple[int, int], str]  # (page, MCID) → text shown
    problems: list[str]

    def text_of(self, element: Element) -> str:
        return "".join(self.text.get((item.page, mcid), "") for item in element.walk() for mcid in item.mcids)

    def elements(self, pattern: str) -> list[Element]:
        return [element for element in self.root.walk() if re.fullmatch(pattern, element.role)]


def read_structure(path: Path) -> Structure:
    """The structure tree from the StructTreeRoot down, checked against the parent tree: every element's
    parent is the element holding it, and the parent tree maps every page's MCIDs and every annotation's
    key back to the element that holds them."""
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        page_of = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        holder: dict[tuple[int, int], tuple[int, int]] = {}  # (page, MCID) → element
        annotation_holder: dict[tuple[int, int], tuple[int, int]] = {}

        def read(node, parent_objgen) -> Element:
            page = page_of.get(node.Pg.objgen) if "/Pg" in node else None
            element = Element(str(node.S), page, alt=str(node.get("/Alt", "")),
                              attributes={str(k): str(v) for k, v in node.get("/A", pikepdf.Dictionary()).items()})
            if node.get("/P") is None or node.P.objgen != parent_objgen:
                problems.append(f"{element.role} on page {page} does not name its parent")
            kids = node.get("/K", pikepdf.Array())
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    element.mcids.append(kid)
                    holder[page, kid] = node.objgen
                elif kid.get("/Type") == "/OBJR":
                    annotation_holder[kid.Obj.objgen] = node.objgen
                elif kid.get("/Type") == "/MCR":
                    problems.append("marked-content references are not expected")
                else:
                    element.kids.append(read(kid, node.objgen))
            return element

        tree = pdf.Root.StructTreeRoot
        root = Element("StructTreeRoot", None, kids=[read(kid, tree.objgen) for kid in tree.K])
        parents = dict(pikepdf.NumberTree(tree.ParentTree).items())
        for index, page in enumerate(pdf.pages):
            mapped = parents.get(int(page.obj.get("/StructParents", -1)))
            for mcid, element in enumerate(mapped if mapped is not None else []):
                if holder.get((index, mcid)) != element.objgen:
                    problems.append(f"page {index + 1}: MCID {mcid} maps to an element that does not hold it")
            if sum(1 for (page_index, _) in holder if page_index == index) != len(mapped if mapped is not None else []):
                problems.append(f"page {index + 1}: the parent tree and the elements disagree on its MCIDs")
            for annotation in page.obj.get("/Annots", pikepdf.Array()):
                key = annotation.get("/StructParent")
                if key is None or annotation_holder.get(annotation.objgen) != parents[int(key)].objgen:
                    problems.append(f"page {index + 1}: an annotation is not tied to its element")
    text: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(path) as document:
        for index, page in enumerate(document.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    text[index, char["mcid"]] += char["text"]
    return Structure(root, {key: value.replace("\u2060", "") for key, value in text.items()}, problems)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", params=["sample", "corpus"])
def built(request):
    """(course, its day's handout, the handout's structure, the day's assignment sheet, the blank sheet)."""
    _, course, out, relative = one_day_build(request)
    handout = out / "handouts" / relative
    return course, handout, read_structure(handout), out / "assignments" / relative, out / "assignments" / "blank.pdf"


def test_handouts_and_sheets_pass_the_pdfua_checker(built):
    _, handout, _, sheet, blank = built
    for path in (handout, sheet, blank):
        report = validate(str(path))
        assert not report.findings, [(finding.rule_id, finding.message) for finding in report.findings]


def test_one_structure_tree_in_korean_with_the_title_shown(built):
    course, handout, structure, _, _ = built
    assert not structure.problems, structure.problems[:10]
    with pikepdf.open(handout) as pdf:
        assert str(pdf.Root.Lang) == "ko"
        assert pdf.Root.MarkInfo.Marked and pdf.Root.ViewerPreferences.DisplayDocTitle
        title = str(pdf.docinfo.Title)
        with pdf.open_metadata() as metadata:
            assert metadata["dc:title"] == title and metadata["pdfuaid:part"] == "1"
        pages = len(pdf.pages)
    (day,) = course.days
    assert course.title in title and day.readme.title in title
    # Every page's text is in the tree: the part pages' as much as the front's.
    assert {element.page for element in structure.root.walk() if element.mcids} == set(range(pages))


def test_headings_in_order_day_then_sessions_then_sections(built):
    course, _, structure, _, _ = built
    headings = [(int(HEADING.match(element.role).group(1)), squash(structure.text_of(element)))
                for element in structure.elements(r"/H[1-6]")]
    levels = [level for level, _ in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), levels
    assert all(text for _, text in headings)
    (day,) = course.days
    assert headings[0][1] == squash(day.readme.title)
    sessions = [squash(read_document(session.path).title) for session in course.sessions]
    assert [text for level, text in headings if text in sessions] == sessions
    for session in course.sessions:  # a session's ## sections are its level-3 headings
        wanted = [squash(heading.title) for heading in read_document(session.path).headings(2)]
        assert all(any(title in text for level, text in headings if level == 3) for title in wanted), session.relative


def test_every_picture_and_diagram_has_its_alt_text(built):
    """One Figure per picture shown and per diagram drawn, saying what the slides' alt text says."""
    course, _, structure, _, _ = built
    theme = load_theme("default", course.root)
    measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
    wanted = []
    for session in course.sessions:
        for block in iter_blocks(read_document(session.path).blocks):
            pictures = [block] if isinstance(block, ImageBlock) else [run for run in getattr(block, "runs", ()) if run.image]
            for picture in pictures:
                src, alt = (picture.src, picture.alt) if isinstance(picture, ImageBlock) else (picture.image, picture.text)
                if resolve_image(src, session.path, course.root)[0] is not None:
                    wanted.append(alt)
            if isinstance(block, Diagram) and block.kind in NATIVE_KINDS:
                try:
                    scene = build_scene(block.source, block.kind, measure, theme.diagram)
                except MermaidError:
                    continue
                wanted.append(f"{ui_text('ko', 'diagram_' + scene.kind)}: {scene.description}")
    alts = [figure.alt for figure in structure.elements("/Figure")]
    assert all(alt.strip() for alt in wanted) and len(wanted) > 10
    assert Counter(alts) == Counter(wanted)


def test_table_header_cells_head_their_columns(built):
    course, _, structure, _, _ = built
    tables = structure.elements("/Table")
    headers = set()
    for table in tables:
        rows = [element for element in table.walk() if element.role == "/TR"]
        assert rows and all(cell.role == "/TH" for cell in rows[0].kids)
        assert all(cell.attributes.get("/Scope") == "/Column" for cell in rows[0].kids)
        assert all(cell.role == "/TD" for row in rows[1:] for cell in row.kids)
        headers |= {squash(structure.text_of(cell)) for cell in rows[0].kids}
    for session in course.sessions:
        for block in iter_blocks(read_document(session.path).blocks):
            if isinstance(block, Table):
                for cell in block.header:
                    assert squash("".join(run.text for run in cell if not run.image)) in headers, session.relative


def test_running_headers_and_page_numbers_are_artifacts(built):
    course, handout, structure, _, _ = built
    with pdfplumber.open(handout) as document:
        total = len(document.pages)
        for index, page in enumerate(document.pages):
            outside = "".join(char["text"] for char in page.chars if char.get("mcid") is None)
            assert all(char.get("tag") == "Artifact" for char in page.chars if char.get("mcid") is None)
            if index == 0:
                assert not outside  # the cover has neither
                continue
            assert outside.endswith(f"{index + 1} / {total}") and squash(course.title) in squash(outside)
            body = "".join(text for (page_index, _), text in structure.text.items() if page_index == index)
            assert f"{index + 1} / {total}" not in body


def test_assignment_sheet_is_tagged_with_its_fields(built):
    _, _, _, sheet, _ = built
    structure = read_structure(sheet)
    assert not structure.problems
    with pikepdf.open(sheet) as pdf:
        assert str(pdf.Root.Lang) == "ko" and "과제" in str(pdf.docinfo.Title)
        widgets = [annotation for annotation in pdf.pages[0].Annots if annotation.Subtype == "/Widget"]
    headings = structure.elements(r"/H[1-6]")
    assert headings[0].role == "/H1" and "과제" in structure.text_of(headings[0])
    forms = structure.elements("/Form")
    assert widgets and len(forms) == len(widgets)


def test_decorative_pictures_and_skipped_heading_levels(tmp_path):
    """An empty alt marks a picture decorative (as in the decks): it is drawn, outside the tree; a picture
    with alt text is a Figure saying it. A heading two levels below the one before is tagged one below."""
    course = tmp_path / "course"
    day = course / "week_01" / "day_01"
    day.mkdir(parents=True)
    (course / "course.toml").write_text('title = "그림 과정"\n', encoding="utf-8")
    (day / "README.md").write_text("# Week 1 - Day 1: 그림\n\n### [Session 1: 그림들](./session_01.md)\n", encoding="utf-8")
    Image.new("RGB", (120, 60), "#3366aa").save(day / "band.png")
    (day / "session_01.md").write_text(
        "# Session 1: 그림들\n\n## 1. 그림 (5분)\n\n#### 건너뛴 단계\n\n![](band.png)\n\n![파란 띠 그림](band.png)\n\n"
        "장식 아이콘 ![](band.png) 과 설명 있는 아이콘 ![파란 아이콘](band.png) 이 있는 문장.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build_course(course, out, only=("handouts",)).status == 0
    handout = out / "handouts" / "week_01" / "day_01.pdf"
    structure = read_structure(handout)
    assert not structure.problems
    assert sorted(figure.alt for figure in structure.elements("/Figure")) == ["파란 띠 그림", "파란 아이콘"]
    headings = [(element.role, squash(structure.text_of(element))) for element in structure.elements(r"/H[1-6]")]
    assert headings[2:5] == [("/H2", "Session1:그림들"), ("/H3", "1.그림5분"), ("/H4", "건너뛴단계")]
    with pdfplumber.open(handout) as document:
        picture = document.pages[-1].to_image(resolution=72).original.convert("RGB")
    pixels = picture.tobytes()
    blue = sum(1 for pixel in zip(pixels[0::3], pixels[1::3], pixels[2::3])
               if max(abs(a - b) for a, b in zip(pixel, (0x33, 0x66, 0xAA))) < 24)
    shown = 2 * (90 * 45 + 24 * 12)  # all four drawn: two 120 × 60 px pictures (90 × 45 pt), two icons 1.2 em (12 pt) tall
    assert abs(blue - shown) < shown * 0.1, (blue, shown)
    assert not validate(str(handout)).findings

"""`deckbuild export markdown`: the course's markdown for an LMS, its Mermaid diagrams as pictures.

Read back as an LMS would: the exported files parsed with markdown-it-py, every
picture they link opened, and their rendering compared with the source's."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import CORPUS, SAMPLE_COURSE, requires_corpus
from diagram_testing import MEASURE, STYLE, missing, svg_text
from markdown_it import MarkdownIt
from PIL import Image

from deckbuild.cli import main
from deckbuild.diagrams.build import build_scene, parse_only
from deckbuild.diagrams.model import MermaidError
from deckbuild.document import diagram_kind, fence_language
from deckbuild.lms import diagram_file
from deckbuild.runner import export_course_markdown

PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']*)""", re.IGNORECASE)
BASE_URL = "https://cdn.example.org/course"


def markdown_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.md") if ".deckbuild" not in path.parts)


def mermaid_sources(text: str) -> list[str]:
    """The Mermaid blocks markdown-it finds in text."""
    return [token.content.rstrip("\n") for token in PARSER.parse(text)
            if token.type == "fence" and fence_language(token.info) == "mermaid"]


def image_sources(text: str) -> list[str]:
    """Every picture a markdown text shows: markdown images (in any block) and HTML <img>."""
    found = []
    for token in PARSER.parse(text):
        if token.type == "html_block":
            found.extend(IMG_SRC.findall(token.content))
        for child in token.children or ():
            if child.type == "image":
                found.append(child.attrs["src"])
            elif child.type == "html_inline":
                found.extend(IMG_SRC.findall(child.content))
    return found


def is_diagram_picture(token) -> bool:
    return token.type == "inline" and len(token.children) == 1 and token.children[0].type == "image" \
        and "diagrams/" in token.children[0].attrs["src"]


def rendered_without_diagrams(text: str, drop_fences: set[str]) -> str:
    """text rendered by markdown-it, without the Mermaid fences in drop_fences and without
    paragraphs that are only a diagram picture."""
    tokens = PARSER.parse(text)
    kept, index = [], 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open" and is_diagram_picture(tokens[index + 1]):
            index += 3  # the paragraph's open, inline and close tokens
            continue
        if not (token.type == "fence" and fence_language(token.info) == "mermaid" and token.content.rstrip("\n") in drop_fences):
            kept.append(token)
        index += 1
    return PARSER.renderer.render(kept, PARSER.options, {})


def exported_pairs(course: Path, out: Path):
    for source in markdown_files(course):
        yield source, out / source.relative_to(course)


def check_export(course: Path, out: Path, base_url: str = "") -> int:
    """Every Mermaid block that draws replaced, every picture resolving to a file of the export,
    the rendering equal to the source's minus the diagrams. The number of diagram pictures linked."""
    pictures = 0
    for source, exported in exported_pairs(course, out):
        assert exported.is_file(), exported
        before, after = source.read_text(encoding="utf-8-sig"), exported.read_text(encoding="utf-8")
        left = set(mermaid_sources(after))
        replaced = {s for s in mermaid_sources(before) if s not in left}
        assert not any(_draws(s) for s in left), f"{exported}: a drawable Mermaid block is left"
        links = [src for src in image_sources(after) if "diagrams/" in src]
        assert len(links) >= len(replaced)
        pictures += len(links)
        for src in image_sources(after):
            if base_url and src.startswith(base_url + "/"):
                file = out / unquote(src[len(base_url) + 1:])
            elif re.match(r"^[a-z]+://", src):
                continue  # a remote picture of the source, left as it is
            else:
                assert not base_url, f"{exported}: {src} is not below the base URL"
                file = (exported.parent / unquote(src)).resolve()
            assert file.is_file(), f"{exported}: {src} does not resolve"
        if not base_url:
            assert rendered_without_diagrams(after, set()) == rendered_without_diagrams(before, replaced), exported
    return pictures


def _draws(source: str) -> bool:
    try:
        build_scene(source, diagram_kind(source), MEASURE, STYLE)
        return True
    except MermaidError:
        return False


def ran(result) -> list[str]:
    assert result.status == 0 and not result.record.failed
    return sorted(result.record.ran)


@pytest.mark.parametrize("course", [SAMPLE_COURSE, pytest.param(CORPUS, marks=requires_corpus)], ids=["sample", "corpus"])
def test_every_diagram_becomes_a_picture_showing_its_labels(course, tmp_path):
    out = tmp_path / "lms"
    assert main(["export", "markdown", str(course), "-o", str(out), "-n", "1"]) == 0
    blocks = sum(len(mermaid_sources(path.read_text(encoding="utf-8"))) for path in markdown_files(course))
    assert check_export(course, out) == blocks > 0
    svgs = sorted((out / "diagrams").glob("*.svg"))
    assert svgs
    for svg in svgs:
        root = ElementTree.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.find("{http://www.w3.org/2000/svg}title").text
    for source in markdown_files(course):  # each picture shows its block's labels
        for block in mermaid_sources(source.read_text(encoding="utf-8")):
            model = parse_only(block, diagram_kind(block))
            assert not missing(model.texts(), svg_text((out / diagram_file(block, "svg")).read_text(encoding="utf-8")))


def exported_bytes(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes() for path in out.rglob("*")
            if path.is_file() and ".deckbuild" not in path.parts}


def test_two_clean_exports_are_byte_identical(tmp_path):
    for image_format in ("svg", "png"):
        first, second = tmp_path / f"{image_format}-1", tmp_path / f"{image_format}-2"
        for out in (first, second):
            assert main(["export", "markdown", str(SAMPLE_COURSE), "-o", str(out), "--format", image_format, "-n", "2"]) == 0
        assert exported_bytes(first) == exported_bytes(second)


def test_no_op_export_runs_nothing_and_an_edit_rewrites_its_own_file_and_changed_diagram(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, course)
    out = tmp_path / "lms"
    first = ran(export_course_markdown(course, out))
    assert len([name for name in first if name.startswith("lms_markdown:")]) == len(markdown_files(course))
    assert ran(export_course_markdown(course, out)) == []
    untouched = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file() and ".deckbuild" not in path.parts}

    session = course / "week_01" / "day_04" / "session_02.md"
    text = session.read_text(encoding="utf-8")
    old_block = mermaid_sources(text)[1]
    new_block = old_block.replace("distroless static", "distroless static (정적)")
    assert new_block != old_block
    session.write_text(text.replace(old_block, new_block).replace("\n## ", "\n추가 문단입니다.\n\n## ", 1), encoding="utf-8")

    again = ran(export_course_markdown(course, out))
    picture = diagram_file(new_block, "svg")
    assert [name for name in again if not name.startswith("scene:")] == [
        f"lms_diagram:{picture.name}", "lms_markdown:week_01/day_04/session_02.md"]
    changed = {path for path, stamp in untouched.items() if path.exists() and path.stat().st_mtime_ns != stamp}
    assert changed == {out / "week_01" / "day_04" / "session_02.md"}
    assert {path for path in untouched if not path.exists()} == {out / diagram_file(old_block, "svg")}  # no stale picture
    assert "distroless static (정적)" in svg_text((out / picture).read_text(encoding="utf-8"))
    assert "추가 문단입니다." in (out / "week_01" / "day_04" / "session_02.md").read_text(encoding="utf-8")
    assert ran(export_course_markdown(course, out)) == []


def test_png_pictures_below_a_base_url(tmp_path):
    out = tmp_path / "lms"
    assert main(["export", "markdown", str(SAMPLE_COURSE), "-o", str(out), "-n", "1"]) == 0
    (out / "notes.txt").write_text("the team's own file\n", encoding="utf-8")
    assert main(["export", "markdown", str(SAMPLE_COURSE), "-o", str(out), "--format", "png",
                 "--image-base-url", BASE_URL + "/", "-n", "1"]) == 0
    check_export(SAMPLE_COURSE, out, BASE_URL)
    sources = [src for path in markdown_files(out) for src in image_sources(path.read_text(encoding="utf-8"))]
    assert f"{BASE_URL}/week_01/images/layer-stack.svg" in sources  # markdown image
    assert f"{BASE_URL}/week_01/images/registry-topology.svg" in sources  # <img src> in HTML
    assert not list((out / "diagrams").glob("*.svg"))  # the earlier export's SVGs are gone, the team's file is not
    assert (out / "notes.txt").is_file()
    for png in (out / "diagrams").glob("*.png"):
        picture = Image.open(png)
        assert picture.format == "PNG" and picture.width >= 600
        dark = sum(picture.convert("L").histogram()[:70])  # pixels of text and lines
        assert dark > 500, f"{png} shows no text or lines"


TRICKY = """# Session 1: 다이어그램 모음

바로 앞 문단입니다.
```mermaid
graph LR
  A[시작] --> B[끝]
```
바로 뒤 문단입니다.

> 인용 안의 다이어그램:
> ```mermaid
> graph TD
>   Q[인용] --> R[응답]
> ```

- 첫 항목
- ```mermaid
  graph LR
    L1[목록] --> L2[항목]
  ```
- 마지막 항목

```mermaid
graph LR
  S[설정] --> T[결과]
```
---

```mermaid
graph LR
  A[시작] -->
```

```mermaid
graph TD
```

![그림](images/pic.png) 과 [스크립트](files/run.sh), [다른 문서](../notes.md)

<p align="center"><img src="images/pic.png" alt="HTML 그림"></p>

![참조 그림][pic]

[pic]: images/pic.png
"""


def tricky_course(root: Path) -> Path:
    day = root / "week_01" / "day_01"
    (day / "images").mkdir(parents=True)
    (day / "files").mkdir()
    (day / "session_01.md").write_text(TRICKY, encoding="utf-8")
    Image.new("RGB", (40, 30), "navy").save(day / "images" / "pic.png")
    (day / "files" / "run.sh").write_text("echo hi\n", encoding="utf-8")
    (root / "week_01" / "notes.md").write_text("# 노트\n\n```mermaid\npie\n  \"가\" : 1\n  \"나\" : 2\n```\n", encoding="utf-8")
    return root


def test_blocks_in_quotes_lists_and_next_to_text_keep_the_document_the_same(tmp_path, capfd):
    course = tricky_course(tmp_path / "course")
    out = tmp_path / "lms"
    capfd.readouterr()
    assert main(["export", "markdown", str(course), "-o", str(out), "-n", "1"]) == 0
    assert check_export(course, out) == 5
    exported = (out / "week_01" / "day_01" / "session_01.md").read_text(encoding="utf-8")
    assert "> ![" in exported and "- ![" in exported
    session = course / "week_01" / "day_01" / "session_01.md"
    unparsed, undrawn = TRICKY.split("\n").index("  A[시작] -->") + 1, TRICKY.split("\n").index("graph TD") + 1
    warnings = capfd.readouterr().err
    assert f"{session}:{unparsed}: warning: mermaid graph" in warnings
    assert f"{session}:{undrawn}: warning: mermaid graph: the diagram has no nodes" in warnings
    assert mermaid_sources(exported) == ["graph LR\n  A[시작] -->", "graph TD"]  # kept as code
    result = export_course_markdown(course, out)
    assert ran(result) == [] and any(d.line == undrawn for d in result.diagnostics)  # still reported


def test_pictures_and_linked_files_are_copied_or_below_the_base_url(tmp_path):
    course = tricky_course(tmp_path / "course")
    out, based = tmp_path / "lms", tmp_path / "based"
    assert main(["export", "markdown", str(course), "-o", str(out), "-n", "1"]) == 0
    day = Path("week_01") / "day_01"
    assert (out / day / "files" / "run.sh").read_text(encoding="utf-8") == "echo hi\n"
    assert (out / day / "images" / "pic.png").read_bytes() == (course / day / "images" / "pic.png").read_bytes()
    assert main(["export", "markdown", str(course), "-o", str(based), "--image-base-url", BASE_URL, "-n", "1"]) == 0
    check_export(course, based, BASE_URL)  # inline, HTML and reference pictures all below the base URL
    assert image_sources((based / day / "session_01.md").read_text(encoding="utf-8")).count(
        f"{BASE_URL}/{day.as_posix()}/images/pic.png") == 3


def test_a_deleted_file_leaves_neither_its_export_nor_its_warnings(tmp_path):
    course = tricky_course(tmp_path / "course")
    out = tmp_path / "lms"
    ran(export_course_markdown(course, out))
    session = course / "week_01" / "day_01" / "session_01.md"
    session.unlink()
    result = export_course_markdown(course, out)
    assert not (out / "week_01" / "day_01" / "session_01.md").exists()
    assert not (out / "week_01" / "day_01" / "files" / "run.sh").exists()
    assert (out / "week_01" / "notes.md").is_file()
    assert not [d for d in result.diagnostics if d.file == session]


def test_mistaken_command_lines_stop_before_anything_is_written(tmp_path, capsys):
    in_the_way = tmp_path / "lms"
    in_the_way.write_text("not a folder\n", encoding="utf-8")
    for arguments, problem in ((["-o", str(in_the_way)], "output folder is a file"),
                               (["-o", str(tmp_path / "out"), "--format", "gif"], "invalid choice: 'gif'")):
        with pytest.raises(SystemExit) as stopped:
            main(["export", "markdown", str(SAMPLE_COURSE), *arguments])
        assert stopped.value.code == 2 and problem in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

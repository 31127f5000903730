"""The document model: markdown becomes blocks with lines, runs and parsed headings."""

from pathlib import Path

from deckbuild.document import (
    CodeBlock,
    Diagram,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    parse_heading_text,
    parse_markdown,
    plain_text,
    read_document,
)


def parse(text: str):
    return parse_markdown(text, Path("session_01.md"))


def test_heading_minutes_and_emoji_are_separated():
    assert parse_heading_text("📖 핵심 개념 (15분)") == ("📖", "핵심 개념", 15)
    assert parse_heading_text("1. 생성 배경 (Why?) - 5분") == ("", "1. 생성 배경 (Why?)", 5)
    assert parse_heading_text("🛠️ 실습: 배포 (35분 - 팀별 진행)") == ("🛠️", "실습: 배포", 35)
    assert parse_heading_text("참고 자료") == ("", "참고 자료", None)


def test_blocks_keep_source_lines():
    document = parse("# Session 1: 제목\n\n## 1. 개요 (10분)\n\n본문입니다.\n\n```bash\necho hi\n```\n")
    heading, section, paragraph, code = document.blocks
    assert (heading.level, heading.title, heading.line) == (1, "Session 1: 제목", 1)
    assert (section.minutes, section.line) == (10, 3)
    assert paragraph.line == 5
    assert isinstance(code, CodeBlock) and code.language == "bash" and code.text == "echo hi" and code.line == 7


def test_inline_runs_carry_style_and_links():
    (paragraph,) = parse("**굵게** *기울임* `code` [링크](https://example.com) ~~취소~~\n").blocks
    styles = {run.text.strip(): run for run in paragraph.runs if run.text.strip()}
    assert styles["굵게"].bold and styles["기울임"].italic and styles["code"].code
    assert styles["링크"].link == "https://example.com" and styles["취소"].strike


def test_dollar_signs_are_not_math():
    (paragraph,) = parse("월 $5 ~ $20 정도입니다.\n").blocks
    assert plain_text(paragraph.runs) == "월 $5 ~ $20 정도입니다."


def test_label_lines_joined_by_soft_breaks_stay_separate():
    blocks = parse("**시간**: 09:00-09:50\n**방식**: 이론\n").blocks
    assert [plain_text(b.runs) for b in blocks] == ["시간: 09:00-09:50", "방식: 이론"]
    assert [b.line for b in blocks] == [1, 2]


def test_breaks_from_br_and_trailing_spaces():
    (paragraph,) = parse("첫 줄<br/>둘째 줄  \n셋째 줄\n").blocks
    assert plain_text(paragraph.runs) == "첫 줄\n둘째 줄\n셋째 줄"


def test_nested_lists_tasks_and_start_numbers():
    (bullets, numbers) = parse("- 가\n  - 나\n    - 다\n- [x] 완료\n- [ ] 할 일\n\n3. 셋\n4. 넷\n").blocks
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    nested = bullets.items[0].blocks[1]
    assert isinstance(nested, ListBlock) and isinstance(nested.items[0].blocks[1], ListBlock)
    assert [item.checked for item in bullets.items] == [None, True, False]
    assert plain_text(bullets.items[1].blocks[0].runs) == "완료"
    assert numbers.ordered and numbers.start == 3


def test_tables_keep_cells_as_runs_and_alignment():
    (table,) = parse("| 이름 | 값 |\n|:--|--:|\n| **굵게** | `x` |\n").blocks
    assert isinstance(table, Table)
    assert [plain_text(cell) for cell in table.header] == ["이름", "값"]
    assert table.rows[0][0][0].bold and table.rows[0][1][0].code
    assert table.aligns == ("left", "right")


def test_mermaid_fences_become_diagrams():
    (diagram,) = parse("```mermaid\n%% 주석\ngraph TB\n  A-->B\n```\n").blocks
    assert isinstance(diagram, Diagram) and diagram.kind == "graph" and diagram.line == 1
    (front,) = parse("```mermaid\n---\nconfig:\n  x: 1\n---\nxychart-beta\n```\n").blocks
    assert front.kind == "xychart-beta"


def test_images_markdown_and_html_and_centred_banner():
    blocks = parse(
        '![그림](../images/a.svg)\n\n<img src="../images/b.png" alt="비" width="400">\n\n'
        '<div align="center">\n\n**가운데**\n\n</div>\n\n뒤\n'
    ).blocks
    assert [type(b) for b in blocks] == [Image, Image, Paragraph, Paragraph]
    assert (blocks[0].src, blocks[0].alt) == ("../images/a.svg", "그림")
    assert (blocks[1].src, blocks[1].alt) == ("../images/b.png", "비")
    assert blocks[2].centered and not blocks[3].centered


def test_a_picture_without_alt_text_is_kept_as_decorative():
    image, paragraph, html = parse('![](band.png)\n\n장식 ![](dot.png) 있는 문장\n\n<img src="logo.png">\n').blocks
    assert (image.src, image.alt) == ("band.png", "")
    assert [(run.text, run.image) for run in paragraph.runs] == [("장식 ", None), ("", "dot.png"), (" 있는 문장", None)]
    assert (html.src, html.alt) == ("logo.png", "")


def test_unknown_html_stays_visible_text():
    (paragraph,) = parse("<pending>값</pending> 입니다\n").blocks
    assert "<pending>" in plain_text(paragraph.runs)


def test_quotes_and_rules():
    quote, rule = parse("> 인용문\n\n---\n").blocks
    assert isinstance(quote, Quote) and isinstance(quote.blocks[0], Paragraph)
    assert isinstance(rule, Rule)


def test_fence_inside_list_item():
    (listing,) = parse("1. 준비\n\n   ```bash\n   ls\n   ```\n").blocks
    assert isinstance(listing.items[0].blocks[1], CodeBlock)


def test_non_utf8_file_gives_error_not_exception(tmp_path):
    path = tmp_path / "session_01.md"
    path.write_bytes("# 제목\n".encode("euc-kr"))
    document = read_document(path)
    assert document.blocks == ()
    assert document.diagnostics[0].severity.name == "ERROR" and "UTF-8" in document.diagnostics[0].message


def test_bom_and_crlf_are_accepted():
    document = parse("\ufeff# 제목\r\n\r\n본문\r\n")
    assert isinstance(document.blocks[0], Heading) and document.blocks[0].title == "제목"
    assert document.blocks[1].line == 3


def test_a_file_is_parsed_once_while_its_bytes_stay_the_same(tmp_path, monkeypatch):
    """The scan, the deck and the slide PDF read a session in one process (or in workers forked from
    it): it is parsed once, and parsed again as soon as its bytes change, whatever its date says."""
    import os

    from deckbuild import document as module

    parsed = []
    real = module.parse_markdown
    monkeypatch.setattr(module, "parse_markdown", lambda text, path: parsed.append(path) or real(text, path))
    path = tmp_path / "session_01.md"
    path.write_text("# Session 1: 처음\n\n본문입니다.\n", encoding="utf-8")
    first = read_document(path)
    assert read_document(path) is first and len(parsed) == 1
    stat = path.stat()
    path.write_text("# Session 1: 고침\n\n본문입니다.\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # an edit within the same timestamp
    assert read_document(path).blocks[0].title == "Session 1: 고침" and len(parsed) == 2


def test_scanning_processes_hand_their_parsed_documents_to_the_build(tmp_path, monkeypatch):
    """Sessions scanned by other processes (-n 2) are not parsed again by the build process."""
    from deckbuild import document as module
    from deckbuild.scan import ScanCache

    for number in (1, 2, 3):
        (tmp_path / f"session_{number:02d}.md").write_text(f"# Session {number}: 제목\n\n## 개념\n\n본문.\n", encoding="utf-8")
    paths = sorted(tmp_path.glob("session_*.md"))
    ScanCache(tmp_path / "scan.json").scan_many([(path, True, False) for path in paths], tmp_path, jobs=2)
    monkeypatch.setattr(module, "parse_markdown", lambda text, path: (_ for _ in ()).throw(AssertionError(path)))
    assert [read_document(path).blocks[0].title for path in paths] == [f"Session {n}: 제목" for n in (1, 2, 3)]


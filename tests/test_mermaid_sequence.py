"""The sequenceDiagram parser: participants, every arrow, notes, blocks, activations, errors."""

from __future__ import annotations

import re

import pytest
from conftest import course_diagrams
from diagram_testing import mermaid_error, parsed_or_none
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.mermaid.common import clean_label, source_lines
from deckbuild.diagrams.mermaid.sequence import parse_sequence
from deckbuild.diagrams.model import (
    Activation,
    BlockEnd,
    BlockSection,
    BlockStart,
    MermaidError,
    Message,
    Note,
)


def parse(body: str):
    """parse_sequence on body with the header line added."""
    return parse_sequence("sequenceDiagram\n" + body)


def messages(sequence) -> list[Message]:
    return [event for event in sequence.events if isinstance(event, Message)]


def error_of(body: str) -> MermaidError:
    return mermaid_error(parse, body)


# --- participants ---------------------------------------------------------------------


def test_declared_participants_keep_order_alias_and_kind():
    sequence = parse("participant B as 백엔드\nactor U as 사용자\nparticipant A\n")
    assert [(p.id, p.label, p.kind) for p in sequence.participants] == [
        ("B", "백엔드", "participant"),
        ("U", "사용자", "actor"),
        ("A", "A", "participant"),
    ]
    assert [p.line for p in sequence.participants] == [2, 3, 4]


def test_alias_with_br_emoji_and_hangul_id():
    sequence = parse("participant 개발자 as 👩‍💻 개발자 <br/> (로컬)\n개발자->>개발자: 자기 호출\n")
    (participant,) = sequence.participants
    assert participant.id == "개발자"
    assert participant.label == "👩‍💻 개발자\n(로컬)"


def test_participants_appear_implicitly_in_order_of_first_use():
    sequence = parse("A->>B: 1\nNote over C: n\nactivate D\nparticipant E\nB->>A: 2\n")
    assert [p.id for p in sequence.participants] == ["A", "B", "C", "D", "E"]
    assert [p.label for p in sequence.participants] == ["A", "B", "C", "D", "E"]


def test_declaring_an_already_used_participant_relabels_it_in_place():
    sequence = parse("A->>B: 1\nactor B as 브라우저\n")
    assert [(p.id, p.label, p.kind, p.line) for p in sequence.participants] == [
        ("A", "A", "participant", 2),
        ("B", "브라우저", "actor", 2),
    ]


def test_participant_ids_may_hold_spaces_and_dashes():
    sequence = parse("participant api server as API\nweb-xray->>api server: 요청\n")
    assert [p.id for p in sequence.participants] == ["api server", "web-xray"]
    assert messages(sequence)[0].target == "api server"


def test_create_participant_declares_it_and_destroy_is_ignored():
    sequence = parse("A->>B: 1\ncreate participant C as 새 작업자\nA->>C: 2\ndestroy C\n")
    assert [p.label for p in sequence.participants] == ["A", "B", "새 작업자"]
    assert len(sequence.events) == 2


def test_box_groups_are_accepted_and_drawn_as_plain_participants():
    sequence = parse("box Aqua 내부 망\nparticipant A as 앱\nparticipant B\nend\nA->>B: 호출\n")
    assert [p.label for p in sequence.participants] == ["앱", "B"]
    assert [type(event) for event in sequence.events] == [Message]


# --- messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arrow, line_style, head",
    [
        ("->", "solid", "open"),
        ("-->", "dotted", "open"),
        ("->>", "solid", "arrow"),
        ("-->>", "dotted", "arrow"),
        ("-x", "solid", "cross"),
        ("--x", "dotted", "cross"),
        ("-)", "solid", "async"),
        ("--)", "dotted", "async"),
        ("<<->>", "solid", "arrow"),
        ("<<-->>", "dotted", "arrow"),
    ],
)
@pytest.mark.parametrize("spacing", ["{a}{arrow}{b}", "{a} {arrow} {b}"])
def test_every_arrow_kind(arrow, line_style, head, spacing):
    line = spacing.format(a="Alice", arrow=arrow, b="Bob") + ": 안녕"
    (message,) = messages(parse(line))
    assert (message.source, message.target, message.text) == ("Alice", "Bob", "안녕")
    assert (message.line_style, message.head, message.activate) == (line_style, head, None)


@pytest.mark.parametrize(
    "line, activate, source, target",
    [("A->>+B: 요청", True, "A", "B"), ("B-->>-A: 응답", False, "B", "A"), ("A-x +B: 끊김", True, "A", "B")],
)
def test_activation_shorthand(line, activate, source, target):
    (message,) = messages(parse(line))
    assert (message.source, message.target, message.activate) == (source, target, activate)


@pytest.mark.parametrize(
    "line, text",
    [
        ("A->>B:", ""),
        ("A->>B", ""),
        ("A->>B: 첫 줄<br/>둘째 줄", "첫 줄\n둘째 줄"),
        ("A->>B: GET /v2/: 401 🔒", "GET /v2/: 401 🔒"),
        ("A->>B: wrap: 긴 문장", "긴 문장"),
        ('A->>B: "따옴표"', "따옴표"),
    ],
)
def test_message_text(line, text):
    assert messages(parse(line))[0].text == text


def test_messages_keep_their_source_line():
    sequence = parse("%% 주석\nA->>B: 1\n\nB->>A: 2\n")
    assert [m.line for m in messages(sequence)] == [3, 5]


def test_autonumber_counts_messages_only():
    sequence = parse("autonumber\nA->>B: 1\nNote over A: n\nB-->>A: 2\nloop 반복\nA->>A: 3\nend\n")
    assert sequence.autonumber is True
    assert [m.number for m in messages(sequence)] == [1, 2, 3]


def test_autonumber_start_step_and_off():
    sequence = parse("A->>B: x\nautonumber 10 5\nA->>B: 1\nA->>B: 2\nautonumber off\nA->>B: 3\n")
    assert [m.number for m in messages(sequence)] == [None, 10, 15, None]


def test_without_autonumber_messages_have_no_number():
    sequence = parse("A->>B: 1\n")
    assert sequence.autonumber is False and messages(sequence)[0].number is None


@pytest.mark.parametrize("line", ["title 이미지 배포 흐름", "title: 이미지 배포 흐름"])
def test_title(line):
    assert parse(line + "\nA->>B: 1\n").title == "이미지 배포 흐름"


# --- notes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, participants, position",
    [
        ("Note over A: 메모", ["A"], "over"),
        ("Note over A,B: 메모", ["A", "B"], "over"),
        ("note over A , B : 메모", ["A", "B"], "over"),
        ("Note left of A: 메모", ["A"], "left"),
        ("NOTE right of B: 메모", ["B"], "right"),
    ],
)
def test_notes_of_every_position(line, participants, position):
    (note,) = parse(line).events
    assert isinstance(note, Note)
    assert (note.participants, note.position, note.text, note.line) == (participants, position, "메모", 2)


def test_note_text_keeps_colons_and_breaks():
    (note,) = parse("Note over A,B: 1단계: 인증<br/>2단계: 업로드").events
    assert note.text == "1단계: 인증\n2단계: 업로드"


def test_note_over_three_participants_is_an_error():
    assert error_of("Note over A,B,C: 메모").line == 2


# --- blocks ---------------------------------------------------------------------------


def kinds(sequence) -> list[str]:
    """The block events as short strings, e.g. 'start alt 조건', 'section 아니면', 'end'."""
    names = []
    for event in sequence.events:
        if isinstance(event, BlockStart):
            names.append(f"start {event.kind} {event.label}".strip())
        elif isinstance(event, BlockSection):
            names.append(f"section {event.label}".strip())
        elif isinstance(event, BlockEnd):
            names.append("end")
    return names


@pytest.mark.parametrize("kind", ["opt", "loop", "break"])
def test_simple_blocks(kind):
    sequence = parse(f"{kind} 레이어마다\nA->>B: 1\nend\n")
    assert kinds(sequence) == [f"start {kind} 레이어마다", "end"]
    assert [event.line for event in sequence.events] == [2, 3, 4]


@pytest.mark.parametrize(
    "opener, section",
    [("alt", "else"), ("par", "and"), ("critical", "option")],
)
def test_blocks_with_sections(opener, section):
    sequence = parse(f"{opener} 첫째\nA->>B: 1\n{section} 둘째\nA->>B: 2\n{section}\nA->>B: 3\nend\n")
    assert kinds(sequence) == [f"start {opener} 첫째", "section 둘째", "section", "end"]


def test_par_over_is_read_as_par():
    assert kinds(parse("par_over 동시\nA->>B: 1\nand 또\nB->>A: 2\nend\n")) == ["start par 동시", "section 또", "end"]


@pytest.mark.parametrize("colour", ["rgb(191, 223, 255)", "rgba(0, 0, 255, .1)", "#eef"])
def test_rect_label_holds_its_colour(colour):
    (start, _, _) = parse(f"rect {colour}\nA->>B: 1\nend\n").events
    assert (start.kind, start.label) == ("rect", colour)


def test_blocks_without_labels():
    assert kinds(parse("loop\nA->>B: 1\nend\nrect\nA->>B: 1\nend\n")) == ["start loop", "end", "start rect", "end"]


def test_blocks_nest_to_any_depth():
    body = (
        "loop 레이어마다\nalt 있음\nopt 캐시\nbreak 실패\nA->>B: x\nend\nend\n"
        "else 없음\ncritical 연결\nB->>A: y\noption 시간 초과\nend\nend\nend\n"
    )
    assert kinds(parse(body)) == [
        "start loop 레이어마다", "start alt 있음", "start opt 캐시", "start break 실패", "end", "end",
        "section 없음", "start critical 연결", "section 시간 초과", "end", "end", "end",
    ]


def test_block_keywords_are_case_insensitive():
    assert kinds(parse("ALT 조건\nA->>B: 1\nElse 아니면\nEND\n")) == ["start alt 조건", "section 아니면", "end"]


def test_extra_end_is_an_error_on_its_line():
    error = error_of("A->>B: 1\nend\n")
    assert error.line == 3 and "end" in error.message


def test_unclosed_block_is_an_error_on_its_opening_line():
    error = error_of("loop 바깥\nalt 안쪽\nA->>B: 1\nend\n")
    assert error.line == 2 and "loop" in error.message


def test_unclosed_box_is_an_error():
    assert error_of("box 그룹\nparticipant A\n").line == 2


@pytest.mark.parametrize(
    "body, line",
    [("else 아니면\n", 2), ("loop x\nelse y\nend\n", 3), ("alt x\nand y\nend\n", 3), ("par x\noption y\nend\n", 3)],
)
def test_section_outside_its_block_is_an_error(body, line):
    assert error_of(body).line == line


# --- activations and ignored lines ----------------------------------------------------


def test_activate_and_deactivate_events():
    events = parse("A->>B: 1\nactivate B\nB-->>A: 2\ndeactivate B\n").events
    assert events[1] == Activation("B", True, 3)
    assert events[3] == Activation("B", False, 5)


@pytest.mark.parametrize(
    "line",
    [
        'links A: {"대시보드": "https://example.com"}',
        "link A: 대시보드 @ https://example.com",
        'properties A: {"class": "internal"}',
        'details A: {"x": 1}',
        "destroy A",
        "accTitle: 접근성 제목",
        "accDescr: 접근성 설명",
    ],
)
def test_metadata_lines_are_ignored(line):
    assert parse(f"A->>B: 1\n{line}\n").events == [Message("A", "B", "1", line=2)]


def test_comments_directives_and_front_matter_are_skipped():
    source = "---\ntitle: x\n---\n%%{init: {'theme': 'base'}}%%\nsequenceDiagram\n  %% 설명\n  A->>B: 1\n"
    assert messages(parse_sequence(source))[0].line == 7


# --- errors ---------------------------------------------------------------------------


def test_style_line_is_rejected_with_mermaids_reason():
    error = error_of("A->>B: 1\nstyle A fill:#f9f\n")
    assert error.line == 3
    assert error.message == "'style' is not allowed in a sequence diagram"


@pytest.mark.parametrize("line", ["A->>B->>C: 두 번", "이건 문장입니다", "A =>> B: x", "participant", "Note over A"])
def test_unknown_lines_quote_the_line(line):
    error = error_of(f"A->>B: 1\n{line}\n")
    assert error.line == 3 and repr(line)[1:-1] in error.message


@pytest.mark.parametrize("source", ["", "%% 주석만\n", "graph TB\nA-->B\n", "sequenceDiagram extra\n"])
def test_missing_header_is_an_error(source):
    with pytest.raises(MermaidError):
        parse_sequence(source)


def test_impossible_character_code_stays_as_written():
    (message,) = parse("A->>B: #99999999999999999999;").events
    assert message.text == "#99999999999999999999;"


_FUZZ_WORDS = st.sampled_from(
    ["A", "B", "개발", "->>", "-->>", "-x", "--)", "+", "-", ":", ",", "Note", "over", "left of", "participant",
     "as", "alt", "else", "and", "end", "loop", "rect", "box", "activate", "autonumber", "title", "#1;", "<br/>",
     "\n", " ", "style", "%%", "---", '"', "}", "{"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_sequence_or_a_mermaid_error(body):
    for source in (body, "sequenceDiagram\n" + body):
        parsed_or_none(parse_sequence, source)





# --- every real diagram ---------------------------------------------------------------


_DECLARATION = re.compile(r"^(?:participant|actor)\s+.+?\s+as\s+(.*)$", re.IGNORECASE)
_LABELLED_BLOCK = re.compile(r"^(?:alt|else|opt|loop|par|and|critical|option|break|rect)\s+(.*)$", re.IGNORECASE)


def expected_texts(source: str) -> tuple[set[str], set[str], set[str]]:
    """Participant aliases, message/note texts and block labels as a reader finds them in the source."""
    aliases, texts, labels = set(), set(), set()
    for _, line in source_lines(source)[1:]:
        if _DECLARATION.match(line):
            aliases.add(clean_label(_DECLARATION.match(line).group(1)))
        elif _LABELLED_BLOCK.match(line):
            labels.add(clean_label(_LABELLED_BLOCK.match(line).group(1)))
        elif ":" in line:
            texts.add(clean_label(line.split(":", 1)[1]))
    return aliases, texts, labels


SEQUENCES = course_diagrams("sequenceDiagram")


def test_the_sample_course_has_sequence_diagrams():
    assert SEQUENCES


@pytest.mark.parametrize("where, diagram", SEQUENCES, ids=[where for where, _ in SEQUENCES])
def test_every_course_sequence_diagram_parses_with_all_its_text(where, diagram):
    if any(re.match(r"style\s", line) for _, line in source_lines(diagram.source)):
        with pytest.raises(MermaidError, match="'style' is not allowed"):
            parse_sequence(diagram.source)
        return
    sequence = parse_sequence(diagram.source)
    aliases, texts, labels = expected_texts(diagram.source)
    assert aliases <= {p.label for p in sequence.participants}
    assert texts <= {e.text for e in sequence.events if isinstance(e, (Message, Note))}
    assert labels <= {e.label for e in sequence.events if isinstance(e, (BlockStart, BlockSection))}
    assert sum(isinstance(e, BlockStart) for e in sequence.events) == sum(
        isinstance(e, BlockEnd) for e in sequence.events
    )

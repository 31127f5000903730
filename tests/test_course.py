"""Discovery of weeks, days and sessions, and what day READMEs and sessions say."""

import json
from pathlib import Path

from conftest import CORPUS, SAMPLE_COURSE, requires_corpus

from deckbuild.course import discover, read_session_day
from deckbuild.day_readme import read_day_readme, readme_from_record, readme_record
from deckbuild.discussion import find_discussion
from deckbuild.document import parse_markdown, read_document


def make_tree(root: Path, files: list[str]) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {path.stem}\n", encoding="utf-8")


def test_all_three_naming_schemes_in_numeric_order(tmp_path):
    make_tree(tmp_path, [
        "week_01/day_04/session_10.md", "week_01/day_04/session_02.md", "week_01/day_04/session_01.md",
        "week_2/day10/session_1.md", "week_2/day9/session_1.md",
        "december/kubernetes_advanced/day1_eks_setup/session2.md",
        "december/kubernetes_advanced/day1_eks_setup/session1.md",
        "week_01/day_04/lab_1.md", "week_01/day_04/README.md",
    ])
    course = discover(tmp_path)
    names = [s.relative.as_posix() for s in course.sessions]
    assert names == [
        "december/kubernetes_advanced/day1_eks_setup/session1.md",
        "december/kubernetes_advanced/day1_eks_setup/session2.md",
        "week_01/day_04/session_01.md", "week_01/day_04/session_02.md", "week_01/day_04/session_10.md",
        "week_2/day9/session_1.md", "week_2/day10/session_1.md",
    ]
    first = course.sessions[2]
    assert (first.week, first.day, first.number) == (1, 4, 1)
    assert [s.number for s in course.days[1].sessions] == [1, 2, 10]


def test_session_in_its_own_folder_belongs_to_the_day(tmp_path):
    make_tree(tmp_path, ["week_03_supplement/day1/session1/session1.md"])
    (day,) = discover(tmp_path).days
    assert day.path == tmp_path / "week_03_supplement" / "day1" and day.number == 1


def test_course_without_sessions_warns(tmp_path):
    course = discover(tmp_path)
    assert course.sessions == [] and "no session files" in course.diagnostics[0].message


def test_sample_course_settings_and_day():
    course = discover(SAMPLE_COURSE)
    assert course.language == "ko" and course.theme == "default" and course.title
    assert [s.relative.as_posix() for s in course.sessions] == [f"week_01/day_04/session_0{n}.md" for n in range(1, 9)]
    readme = course.days[0].readme
    assert sorted(readme.session_titles) == list(range(1, 9))
    assert sorted(readme.topics) == list(range(1, 9))
    assert readme.assignment and len(readme.assignment.topics) == 3 and readme.assignment.pages == "A4 1페이지"
    assert readme.goals and readme.keywords


README = '''# Week 1 - Day 4: 제목

## 🎯 학습 목표
- 목표 하나
- 목표 둘

## 📚 세션 구성
### [Session 1: 첫 세션](./session_01.md)
| 세션 | 링크 |
|---|---|
| 2 | [Session 2 (10:00-10:50): 둘째 세션](./session_2.md) |

## 개념 토론 주제
### Session별 토론 주제
1. **Session 1**: "첫 질문"
2. **Session 2**: "둘째 질문"

## 💡 핵심 키워드
- **묶음**: 가, 나

## 📝 이론 과제
다음 중 하나를 선택하여 A4 1페이지로 작성하세요:
1. 주제 가
2. 주제 나
3. 주제 다
'''


def test_readme_facts():
    readme = read_day_readme(parse_markdown(README, Path("README.md")))
    assert readme.title == "Week 1 - Day 4: 제목"
    assert readme.session_titles == {1: "첫 세션", 2: "둘째 세션"}
    assert readme.topics == {1: "첫 질문", 2: "둘째 질문"}
    assert readme.goals == ("목표 하나", "목표 둘")
    assert readme.keywords == ("묶음: 가, 나",)
    assignment = readme.assignment
    assert assignment.topics == ("주제 가", "주제 나", "주제 다") and assignment.pages == "A4 1페이지"
    assert "A4 1페이지" in assignment.lead_in


def test_readme_without_topics_or_assignment():
    readme = read_day_readme(parse_markdown("# Day 1: 제목\n\n## 📝 과제 및 다음 준비사항\n- 복습하기\n", Path("README.md")))
    assert readme.topics == {} and readme.assignment is None


def discussion_of(text: str):
    return find_discussion(parse_markdown(text, Path("session_01.md")))


def test_discussion_topic_heading_with_quoted_question():
    found = discussion_of('# S\n\n## 4. 토론 및 정리 (10분)\n\n### 토론 주제\n"레이어는 왜 중요한가?"\n\n## 💡 핵심 키워드\n- a\n')
    assert found.minutes == 10 and found.questions == ("레이어는 왜 중요한가?",)
    assert all("키워드" not in getattr(b, "title", "") for b in found.blocks)


def test_discussion_pair_form_with_labelled_list():
    found = discussion_of(
        "# S\n\n## 💭 함께 생각해보기\n\n### 🤝 페어 토론 (5분)\n**토론 주제**:\n1. 첫째?\n2. 둘째?\n\n"
        "### 🎯 전체 공유 (5분)\n정리합니다.\n"
    )
    assert found.minutes == 10 and found.questions == ("첫째?", "둘째?")


def test_discussion_h2_with_question_bullets():
    found = discussion_of("# S\n\n## 5. 토론 및 정리 (10분)\n- 무엇이 어려웠나요?\n- 메모\n")
    assert found.questions == ("무엇이 어려웠나요?",)


def test_session_without_discussion():
    assert discussion_of("# S\n\n## 1. 개요 (10분)\n본문\n") is None


@requires_corpus
def test_corpus_day_is_read():
    course = discover(CORPUS)
    assert len(course.sessions) == 8
    day, session = read_session_day(CORPUS, course.sessions[0].path)
    assert len(day.readme.topics) == 8 and session.number == 1


def test_a_readme_kept_as_a_record_says_the_same():
    readmes = sorted(SAMPLE_COURSE.rglob("README.md")) + sorted(CORPUS.rglob("README.md"))
    facts = [read_day_readme(read_document(path)) for path in readmes]
    assert any(readme.assignment for readme in facts) and any(readme.topics for readme in facts)
    for path, readme in zip(readmes, facts):
        assert readme_from_record(path, json.loads(json.dumps(readme_record(readme)))) == readme

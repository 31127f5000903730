"""Every word deckbuild itself puts on a slide, keyed by the course language.

Writers look strings up here instead of writing Korean inline, so an English
course gets English chrome.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "ko": {
        "agenda": "목차",
        "continued": "계속",
        "minutes": "{n}분",
        "total_minutes": "총 {n}분",
        "week_day": "Week {week} · Day {day}",
        "session": "Session {n}",
        "discussion": "토론",
        "discussion_title": "토론 주제",
        "readme_topic": "오늘의 토론 주제",
        "session_questions": "세션 토론 질문",
        "general_prompt": "이번 세션에서 배운 내용 중 실무에 바로 적용할 수 있는 것은 무엇일까요?",
        "diagram_failed": "Mermaid {kind} 다이어그램을 그리지 못해 원본을 보여 줍니다: {reason}",
        "diagram_flowchart": "순서도",
        "diagram_state": "상태 다이어그램",
        "diagram_sequence": "시퀀스 다이어그램",
        "image_missing": "이미지를 찾을 수 없습니다: {src}",
        "notes_minutes": "시간: {n}분",
        "assignment": "이론 과제",
        "name": "이름",
        "student_id": "학번",
        "date": "제출일",
        "choose_topic": "주제 (하나를 고르세요)",
        "own_topic": "주제",
        "answer": "답안",
        "requirement": "분량",
        "handout": "강의 자료",
        "contents": "목차",
        "goals": "학습 목표",
        "notes_space": "생각 정리",
    },
    "en": {
        "agenda": "Agenda",
        "continued": "cont.",
        "minutes": "{n} min",
        "total_minutes": "{n} min total",
        "week_day": "Week {week} · Day {day}",
        "session": "Session {n}",
        "discussion": "Discussion",
        "discussion_title": "Discussion topics",
        "readme_topic": "Today's topic",
        "session_questions": "Session questions",
        "general_prompt": "What from this session could you apply at work right away?",
        "diagram_failed": "Mermaid {kind} diagram shown as source; it could not be drawn: {reason}",
        "diagram_flowchart": "Flowchart",
        "diagram_state": "State diagram",
        "diagram_sequence": "Sequence diagram",
        "image_missing": "Image not found: {src}",
        "notes_minutes": "Time: {n} min",
        "assignment": "Assignment",
        "name": "Name",
        "student_id": "Student ID",
        "date": "Date",
        "choose_topic": "Topic (choose one)",
        "own_topic": "Topic",
        "answer": "Answer",
        "requirement": "Length",
        "handout": "Handout",
        "contents": "Contents",
        "goals": "Goals",
        "notes_space": "Your notes",
    },
}


def text(language: str, key: str, **values: object) -> str:
    """The string for key in language (Korean when the language is unknown), filled in."""
    table = STRINGS.get(language, STRINGS["ko"])
    return table[key].format(**values)

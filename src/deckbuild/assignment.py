"""The one-page A4 assignment sheet: a day's 이론 과제 as a printable, fillable PDF.

The page (handouts/assignment.html.j2 + assignment.css) carries the course
header, name / student number / date fields, the README's lead-in and topics
(a box to tick beside each topic) and a ruled writing area that is also a
multi-line form field. A course also gets a blank sheet with a free topic line.
It is always exactly one page: the topics' type size is chosen here from real
font metrics so the list stays within a budget, and the writing area takes
whatever height is left.
"""

from __future__ import annotations

from pathlib import Path

from .course import CourseSettings, Day, has_assignment, read_day, read_settings
from .i18n import text
from .measure import Measurer, Span
from .pdf import write_pdf
from .templating import TEMPLATES, templates
from .theme import Theme, load_theme
from .timestamps import source_date

FALLBACK_FONTS = '"Noto Sans CJK KR", sans-serif'
LABELS = ("assignment", "name", "student_id", "date", "choose_topic", "own_topic", "answer", "requirement")
TOPIC_SIZES = (10.5, 10, 9.5, 9, 8.5, 8, 7.5)  # points, tried largest first; given to assignment.css as --topic-size
TOPIC_BUDGET = 100 * 72 / 25.4  # points of page height the lead-in and topics may take (100mm)
TOPIC_WIDTH = 178 * 72 / 25.4  # points: A4 minus the 16mm side margins in assignment.css
LINE_HEIGHT = 1.45  # body line height in assignment.css
ITEM_GAP = 1.2 * 72 / 25.4  # space below each topic (1.2mm)


def _css_string(value: str) -> str:
    """value as a quoted CSS string, so a font name cannot end the declaration."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _theme_vars(theme: Theme) -> dict[str, str]:
    """The theme's font and colours as the custom properties assignment.css reads."""
    colors = theme.colors
    return {
        "font": f"{_css_string(theme.fonts.east_asian)}, {FALLBACK_FONTS}",
        "field-font": f"{_css_string(theme.fonts.form)}, sans-serif",
        "title": f"#{colors.title}",
        "text": f"#{colors.text}",
        "muted": f"#{colors.muted}",
        "accent": f"#{colors.accent}",
        "rule": f"#{colors.quote_bar}",
    }


def _topic_size(theme: Theme, lead_in: str, topics: tuple[str, ...]) -> float:
    """The largest type size at which the lead-in and topics fit TOPIC_BUDGET (else the smallest)."""
    measurer = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono, safety=1.0)
    for size in TOPIC_SIZES:
        marker = 0.85 * size + 2.2 * 72 / 25.4  # the tick box and its gap
        lines = len(measurer.wrap([Span(lead_in)], TOPIC_WIDTH, size)) if lead_in else 0
        lines += sum(len(measurer.wrap([Span(f"{n}. {t}")], TOPIC_WIDTH - marker, size)) for n, t in enumerate(topics, 1))
        if lines * size * LINE_HEIGHT + len(topics) * ITEM_GAP <= TOPIC_BUDGET:
            return size
    return TOPIC_SIZES[-1]


def assignment_html(settings: CourseSettings, theme: Theme, day: Day | None) -> str:
    """The sheet's HTML for a day with an assignment, or the course's blank sheet when day is None.

    Raises ValueError for a day without an assignment: such a day has no sheet.
    """
    language = settings.language
    assignment = day.readme.assignment if has_assignment(day) else None
    if day is not None and assignment is None:
        reason = "has no README.md" if day.readme is None else "has a README that states no assignment"
        raise ValueError(f"{day.path} {reason}, so it has no assignment sheet")
    week_day = ""
    if day is not None and day.week is not None and day.number is not None:
        week_day = text(language, "week_day", week=day.week, day=day.number)
    topic_size = _topic_size(theme, assignment.lead_in, assignment.topics) if assignment else TOPIC_SIZES[0]
    return templates().get_template("assignment.html.j2").render(
        language=language,
        course=settings,
        week_day=week_day,
        day_title=day.readme.title if day is not None else "",
        assignment=assignment,
        topic_size=topic_size,
        theme_vars=_theme_vars(theme),
        labels={key: text(language, key) for key in LABELS},
        created=source_date().isoformat() + "Z",
    )


def build_assignment(course_root: str, day_dir: str, target: str) -> None:
    """doit action: write the assignment sheet of the day in day_dir ("" for the blank sheet) to target."""
    root = Path(course_root)
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    day = read_day(root, Path(day_dir), []) if day_dir else None
    write_pdf(assignment_html(settings, theme, day), TEMPLATES, root, Path(target), forms=True, tags=True)

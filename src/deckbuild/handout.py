"""A day's sessions → one printable A4 PDF handout (cover, contents, every session in
full, discussion questions with room to write), through Jinja2 and WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .course import Day, day_session_files, read_day, read_settings
from .diagnostics import Diagnostic, Severity, write_report
from .diagrams.cache import SceneCache
from .discussion import find_discussion
from .document import Heading, read_document
from .html_writer import Anchors, HtmlWriter, code_css
from .i18n import text as ui_text
from .pdf import write_pdf
from .templating import TEMPLATES, templates
from .theme import load_theme
from .timestamps import source_date


@dataclass
class SessionPage:
    """What the template needs of one session."""

    anchor: str
    title: str
    minutes: int
    sections: list[tuple[str, str]]  # (anchor, title) of its H2s, for the contents
    html: Markup
    topic: str
    questions: tuple[str, ...]


def handout_html(root: Path, day: Day, scenes: SceneCache) -> str:
    """The handout of one day (or of the sessions day holds) as an HTML document."""
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    anchors = Anchors()
    writer = HtmlWriter(theme, settings.language, scenes, anchors, root)
    pages = []
    for session in day.sessions:
        document = read_document(session.path)
        blocks = [b for b in document.blocks if not (isinstance(b, Heading) and b.level == 1)]
        anchor = anchors.make(f"session-{session.number}")
        writer.headings.clear()
        html = writer.blocks(blocks, 1, session.path)
        sections = [(anchor, title) for level, anchor, title in writer.headings if level == 2]
        discussion = find_discussion(document)
        pages.append(SessionPage(
            anchor=anchor,
            title=document.title,
            minutes=sum(h.minutes or 0 for h in document.headings(2)),
            sections=sections,
            html=Markup(html),
            topic=day.readme.topics.get(session.number, "") if day.readme else "",
            questions=discussion.questions if discussion else (),
        ))
    readme = day.readme
    week_day = ui_text(settings.language, "week_day", week=day.week, day=day.number) if day.week is not None and day.number is not None else ""
    return templates().get_template("handout.html.j2").render(
        language=settings.language,
        strings=lambda key, **values: ui_text(settings.language, key, **values),
        course=settings,
        week_day=week_day,
        day_title=readme.title if readme else day.path.name,
        goals=readme.goals if readme else (),
        sessions=pages,
        theme=theme,
        code_css=Markup(code_css(theme.pygments_style)),
        date=source_date().strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def build_handout(
    course_root: str, day_dir: str, target: str, scene_dir: str = "", scene_salt: str = "", report: str = "",
    session_path: str = "",
) -> None:
    """The doit action: write the handout of the day in day_dir (or of one session of it) to target."""
    root = Path(course_root)
    day_path = Path(day_dir)
    day = read_day(root, day_path, [Path(session_path)] if session_path else day_session_files(day_path))
    scenes = SceneCache(Path(scene_dir) if scene_dir else None, scene_salt)
    refused = write_pdf(handout_html(root, day, scenes), TEMPLATES, root, Path(target))
    if report:
        problems = [Diagnostic(day_path, 0, Severity.WARNING, f"not included in the handout: {url}") for url in refused]
        write_report(Path(report), problems)

"""A day's sessions → one printable A4 PDF handout (cover, contents, every session in full,
discussion questions with room to write), through Jinja2 and WeasyPrint.

Each session is rendered on its own into a cached part (`build_handout_part`),
so editing one session renders one part again. The handout itself
(`build_handout`) renders only its front (cover, and contents with the parts'
page numbers) and a stamp for every page after the cover (its running header
and page number), and assembles them with the parts (pdf_assembly). Front and
parts are tagged PDFs whose structure trees the assembly merges; the stamps
are untagged and laid over the pages as artifacts.
"""

from __future__ import annotations

import math
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .course import CourseSettings, Day, Session, day_session_files, read_day, read_session_day, read_settings
from .diagnostics import Diagnostic, Severity, write_report
from .diagrams.cache import SceneCache
from .discussion import find_discussion
from .document import Heading, read_document
from .files import write_atomically
from .html_writer import Anchors, HtmlWriter, code_css
from .i18n import text as ui_text
from .kept import KeptRender
from .pdf_assembly import CONTENTS_LINK, Part, assemble, contents_entries, open_part
from .templating import TEMPLATES, templates
from .theme import Theme, load_theme
from .timestamps import source_date

CONTENTS_PER_PAGE = 40  # about how many contents entries an A4 page holds (a first guess, checked by laying it out)


@dataclass
class SessionPage:
    """What the part template needs of one session."""

    anchor: str
    title: str
    minutes: int
    html: Markup
    topic: str
    questions: tuple[str, ...]


def _page_values(settings: CourseSettings, theme: Theme, day: Day) -> dict:
    """What every handout document of a day shows besides its body: language, course, week and day, theme."""
    week_day = ui_text(settings.language, "week_day", week=day.week, day=day.number) if day.week is not None and day.number is not None else ""
    return {
        "language": settings.language,
        "strings": lambda key, **values: ui_text(settings.language, key, **values),
        "course": settings,
        "week_day": week_day,
        "running_header": " · ".join(text for text in (settings.title, week_day) if text),
        "day_title": day.readme.title if day.readme else day.path.name,
        "theme": theme,
        "code_css": Markup(code_css(theme.pygments_style)),
        "date": source_date().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def part_html(root: Path, day: Day, session: Session, scenes: SceneCache) -> str:
    """One session of a day's handout as an HTML document of its own.

    Heading ids start with the session's number, so they stay unique across the day's parts.
    """
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    anchors = Anchors(prefix=f"s{session.number}-")
    writer = HtmlWriter(theme, settings.language, scenes, anchors, root)
    document = read_document(session.path)
    blocks = [b for b in document.blocks if not (isinstance(b, Heading) and b.level == 1)]
    discussion = find_discussion(document)
    page = SessionPage(
        anchor=f"session-{session.number}",
        title=document.title,
        minutes=sum(h.minutes or 0 for h in document.headings(2)),
        html=Markup(writer.blocks(blocks, 1, session.path)),
        topic=day.readme.topics.get(session.number, "") if day.readme else "",
        questions=discussion.questions if discussion else (),
    )
    return templates().get_template("handout_part.html.j2").render(session=page, **_page_values(settings, theme, day))


def front_html(root: Path, day: Day, parts: list[Part], front_pages: int) -> str:
    """The cover and contents of a handout whose parts follow front_pages pages of front."""
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    contents = []
    for number, (mark, page, depth) in enumerate(contents_entries(parts, front_pages + 1)):
        entry = {"title": mark.title, "page": page, "link": f"{CONTENTS_LINK}{number}", "children": []}
        if depth == 0:
            contents.append(entry)
        elif depth == 1 and contents:
            contents[-1]["children"].append(entry)
    return templates().get_template("handout_front.html.j2").render(
        goals=day.readme.goals if day.readme else (), contents=contents, **_page_values(settings, theme, day))


@dataclass(frozen=True)
class Stamp:
    """What is laid over one page: its number and the title of the session it shows (none on the front)."""

    number: int
    session: str


def stamps_html(root: Path, day: Day, parts: list[Part], front_pages: int) -> str:
    """A page per handout page after the cover showing only its running header and "n / N", to be laid over it."""
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    stamps = [Stamp(number, "") for number in range(2, front_pages + 1)]
    for part in parts:
        title = part.marks[0].title if part.marks else ""
        for _ in range(part.pages):
            stamps.append(Stamp(len(stamps) + 2, title))
    return templates().get_template("handout_stamps.html.j2").render(
        stamps=stamps, total=len(stamps) + 1, **_page_values(settings, theme, day))


def build_handout_part(
    course_root: str, session_path: str, target: str, scene_dir: str = "", scene_salt: str = "", report: str = ""
) -> None:
    """The doit action: one session's part of its day's handout, to target (a cached PDF)."""
    from .pdf import Rendered  # WeasyPrint, loaded by the tasks that lay pages out

    root = Path(course_root)
    day, session = read_session_day(root, Path(session_path))
    rendered = Rendered(part_html(root, day, session, SceneCache(Path(scene_dir) if scene_dir else None, scene_salt)),
                        TEMPLATES, root)
    write_atomically(Path(target), rendered.pdf(outlines=False, tags=True))
    if report:
        problems = [Diagnostic(session.path, 0, Severity.WARNING, f"not included in the handout: {url}")
                    for url in rendered.fetcher.refused]
        write_report(Path(report), problems)


def build_handout(course_root: str, day_dir: str, parts: str, target: str, kept: str, session_path: str = "") -> None:
    """The doit action: the handout of the day in day_dir (or of one session of it) from its parts
    (their paths, one a line, in session order), to target; its front and stamps are kept in the folder kept.

    The contents' page numbers depend on how many pages the front itself takes:
    it is laid out for the length of the kept front (or a guess from the number
    of entries), and again when that was wrong.
    """
    root = Path(course_root)
    day_path = Path(day_dir)
    day = read_day(root, day_path, [Path(session_path)] if session_path else day_session_files(day_path))
    with ExitStack() as opened:
        read = [opened.enter_context(open_part(Path(path))) for path in parts.splitlines()]
        kept_front = KeptRender(Path(kept), "front")
        front_pages = kept_front.pages() or 1 + math.ceil(len(contents_entries(read, 0)) / CONTENTS_PER_PAGE)
        for _ in range(3):
            front, pages = _render(front_html(root, day, read, front_pages), root, kept_front)
            if pages == front_pages:
                break
            front_pages = pages
        else:
            raise RuntimeError(f"the contents of {day_path} do not settle on a page count")
        stamps, _ = _render(stamps_html(root, day, read, front_pages), root, KeptRender(Path(kept), "stamps"), tags=False)
        assemble(front, stamps, read, Path(target), Path(kept) / "fonts")


def _render(html: str, root: Path, kept: KeptRender, tags: bool = True) -> tuple[bytes, int]:
    """(PDF, page count) of handout pages for the assembly (no glyph outlines), kept or laid out."""
    found = kept.get(html, tags)
    if found is None:
        from .pdf import Rendered

        rendered = Rendered(html, TEMPLATES, root)
        found = rendered.pdf(outlines=False, tags=tags), len(rendered.document.pages)
        kept.put(html, tags, *found)
    return found

"""One session file, or one Marp deck, → one .pptx: read, plan, write. This is what a deck task runs."""

from __future__ import annotations

from pathlib import Path

from .course import read_session_day, read_settings
from .diagrams.cache import SceneCache
from .diagnostics import Diagnostic, Severity, write_report
from .document import read_document
from .marp import read_marp
from .marp_plan import MarpPlanner
from .plan import Planner
from .template import DeckTemplate, TemplateError, load_template
from .pptx_writer import write_deck
from .theme import load_theme


def build_deck(
    course_root: str, session_path: str, target: str, scene_dir: str = "", scene_salt: str = "", report: str = ""
) -> None:
    """Build the deck for session_path (inside course_root) at target.

    Diagram scenes are cached in scene_dir; what the planner noticed (dense
    diagrams, diagrams that could not be drawn) is written to the report file,
    so every later build can show it without planning again.
    """
    root = Path(course_root)
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    day, session = read_session_day(root, Path(session_path))
    document = read_document(session.path)
    scenes = SceneCache(Path(scene_dir) if scene_dir else None, scene_salt)
    template, problems = _template(root, settings.deck_template, theme)
    planner = Planner(theme, settings.language, scenes, root, template)
    plan = planner.plan(document, settings.title, day, session, settings.deck_footer)
    write_deck(plan, theme, Path(target), author=settings.organisation, template=template)
    if report:
        write_report(Path(report), problems + list(plan.diagnostics))


def build_marp_deck(course_root: str, deck_path: str, target: str, scene_dir: str = "", scene_salt: str = "",
                    report: str = "") -> None:
    """Build the Marp deck at deck_path (inside course_root) at target, on the course's theme (and
    template); what the planner noticed goes to the report file, as for session decks."""
    root = Path(course_root)
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    deck = read_marp(Path(deck_path))
    scenes = SceneCache(Path(scene_dir) if scene_dir else None, scene_salt)
    template, problems = _template(root, settings.deck_template, theme)
    plan = MarpPlanner(theme, settings.language, deck, scenes, root, template).plan()
    write_deck(plan, theme, Path(target), author=settings.organisation, template=template)
    if report:
        write_report(Path(report), problems + list(plan.diagnostics))


def _template(root: Path, name: str, theme) -> tuple[DeckTemplate | None, list[Diagnostic]]:
    """The course's own template (None for our master) and what loading it noticed."""
    if not name:
        return None, []
    path = root / name
    try:
        template = load_template(path, theme)
    except TemplateError as error:
        return None, [Diagnostic(path, 0, Severity.ERROR, f"{error}; decks use deckbuild's own master")]
    return template, list(template.diagnostics)

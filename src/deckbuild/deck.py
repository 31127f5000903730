"""One session file, or one Marp deck, → one .pptx: read, plan, write. This is what a deck task
runs; the slide PDF task (slides_pdf.py) plans the same way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .course import CourseSettings, read_session_day, read_settings
from .diagrams.cache import SceneCache
from .diagnostics import Diagnostic, Severity, write_report
from .document import read_document
from .plan import DeckPlan, Planner
from .template import DeckTemplate, TemplateError, load_template
from .pptx_writer import write_deck
from .theme import Theme, load_theme


@dataclass(frozen=True)
class PlannedDeck:
    """A session's deck as planned, with what writing it needs: theme, course settings, the school's template."""

    plan: DeckPlan
    theme: Theme
    settings: CourseSettings
    template: DeckTemplate | None
    problems: list[Diagnostic]  # what loading the template noticed


def plan_deck(course_root: str, session_path: str, scene_dir: str = "", scene_salt: str = "") -> PlannedDeck:
    """Plan the deck of session_path (inside course_root); diagram scenes come from the cache in scene_dir.
    The .pptx and the slide PDF are written from this same plan."""
    root = Path(course_root)
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    day, session = read_session_day(root, Path(session_path))
    document = read_document(session.path)
    scenes = SceneCache(Path(scene_dir) if scene_dir else None, scene_salt)
    template, problems = _template(root, settings.deck_template, theme)
    planner = Planner(theme, settings.language, scenes, root, template)
    plan = planner.plan(document, settings.title, day, session, settings.deck_footer)
    return PlannedDeck(plan, theme, settings, template, problems)


def build_deck(
    course_root: str, session_path: str, target: str, scene_dir: str = "", scene_salt: str = "", report: str = ""
) -> None:
    """Build the deck for session_path (inside course_root) at target.

    Diagram scenes are cached in scene_dir; what the planner noticed (dense
    diagrams, diagrams that could not be drawn) is written to the report file,
    so every later build can show it without planning again.
    """
    planned = plan_deck(course_root, session_path, scene_dir, scene_salt)
    write_deck(planned.plan, planned.theme, Path(target), author=planned.settings.organisation, template=planned.template)
    if report:
        write_report(Path(report), planned.problems + list(planned.plan.diagnostics))


def plan_marp_deck(course_root: str, deck_path: str, scene_dir: str = "", scene_salt: str = "") -> PlannedDeck:
    """Plan the Marp deck at deck_path (inside course_root) on the course's theme (and template); the
    .pptx and the slide PDF are written from this same plan."""
    from .marp import read_marp  # the Marp reader and planner load only in processes that build Marp decks
    from .marp_plan import MarpPlanner

    root = Path(course_root)
    settings = read_settings(root)
    theme = load_theme(settings.theme, root)
    deck = read_marp(Path(deck_path))
    scenes = SceneCache(Path(scene_dir) if scene_dir else None, scene_salt)
    template, problems = _template(root, settings.deck_template, theme)
    plan = MarpPlanner(theme, settings.language, deck, scenes, root, template).plan()
    return PlannedDeck(plan, theme, settings, template, problems)


def build_marp_deck(course_root: str, deck_path: str, target: str, scene_dir: str = "", scene_salt: str = "",
                    report: str = "") -> None:
    """Build the Marp deck at deck_path (inside course_root) at target; what the planner noticed goes
    to the report file, as for session decks."""
    planned = plan_marp_deck(course_root, deck_path, scene_dir, scene_salt)
    write_deck(planned.plan, planned.theme, Path(target), author=planned.settings.organisation, template=planned.template)
    if report:
        write_report(Path(report), planned.problems + list(planned.plan.diagnostics))


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

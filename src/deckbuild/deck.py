"""One session file → one .pptx: read, plan, write. This is what a deck task runs."""

from __future__ import annotations

from pathlib import Path

from .course import read_session_day, read_settings
from .diagrams.cache import SceneCache
from .diagnostics import write_report
from .document import read_document
from .plan import Planner
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
    plan = Planner(theme, settings.language, scenes, root).plan(document, settings.title, day, session, settings.deck_footer)
    write_deck(plan, theme, Path(target), author=settings.organisation)
    if report:
        write_report(Path(report), list(plan.diagnostics))

"""How a course's decks are composed, measured from what a person sees on the slides.

    .venv/bin/python benchmarks/composition.py COURSE [--decks BUILD_DIR/decks] [--json] [--verbose]

Without --decks the course's decks are built into a temporary folder first. Every
figure is read back from the .pptx files with python-pptx (never from the planner),
so the same report compares decks written before and after a planner change:

- slides per session and in total;
- near-empty slides: content slides (not the title slide, the agenda or the closing
  discussion slides) with no visual and under 60 characters of body text;
- stranded lead-ins: a near-empty slide followed by a slide of the same section that
  holds a visual and no body text of its own (the lead-in belongs on that slide);
- one-stray-line slides: content slides whose body is one short line and nothing else;
- diagram text sizes as shown on the slide (native diagrams and charts);
- words on slides: the share of a session's words (from its markdown) that some slide shows.

Choices: body characters are counted with whitespace removed; every text frame that is
not the title or a visual (captions included) is body text; a diagram's text size is the
median of its runs' sizes, a chart's the median of the sizes its XML sets (10 pt if none);
the 10th percentile is the nearest-rank one; words are compared as distinct words,
case-sensitively, and notes never count as shown.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import re
import statistics
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pptx import Presentation
from pptx.enum.dml import MSO_FILL
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.shapes.picture import Picture

CONTINUED = " (계속)"
AGENDA = "목차"
DISCUSSION = "토론"
NEAR_EMPTY_CHARS = 60
SMALL_TEXT_PT = 12.0
CHART_DEFAULT_PT = 10.0  # PowerPoint's size for chart text that sets none
TOP_MISSING = 20

# Shape names the writer gives content shapes by kind; the first word decides.
NON_DIAGRAM_NAMES = ("Code", "Table", "Picture", "Chart")
VISUAL_NAMES = (*NON_DIAGRAM_NAMES, "Diagram")
TEXT_NAMES = ("Body", "Lead", "Caption")

WORD = re.compile(r"[가-힣]{2,}|[A-Za-z]{2,}")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([^`\s]*)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
EMPHASIS = re.compile(r"\*+|~~")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}


# --- reading a slide ---------------------------------------------------------------------


@dataclass
class SlideView:
    """One slide as a reader sees it: its title, its body text, how many visuals it holds,
    every word of visible text, and the typical text size of each diagram or chart on it."""

    title: str
    body: list[str]  # the body's non-empty lines (paragraphs and line breaks), in order
    visuals: int
    text: str  # all visible text: title, body, code, tables, diagram and chart texts
    diagram_sizes: list[float]
    role: str = "content"  # title, agenda, content or discussion

    @property
    def section(self) -> str:
        """The title without its continuation mark: slides of one section share it."""
        return self.title.removesuffix(CONTINUED)

    @property
    def body_chars(self) -> int:
        """Body characters with all whitespace removed, so spacing and line breaks do not count."""
        return sum(len(re.sub(r"\s+", "", line)) for line in self.body)

    @property
    def near_empty(self) -> bool:
        """A content slide with no visual and under NEAR_EMPTY_CHARS body characters."""
        return self.role == "content" and not self.visuals and self.body_chars < NEAR_EMPTY_CHARS

    @property
    def stray_line(self) -> bool:
        """A content slide holding nothing but one short line of body text."""
        return self.near_empty and len(self.body) == 1

    @property
    def visual_only(self) -> bool:
        """A slide with a visual and no body text of its own."""
        return self.visuals > 0 and not self.body


FURNITURE = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)  # not the slide's content


def shape_kind(shape) -> str:
    """What a shape is to a reader: "visual", "body", or "none" (decoration, empty shapes).
    A writer's name by kind (Code, Body, …) wins; otherwise the shape's type decides: pictures,
    groups (native diagrams), charts and tables are visuals, and so is an autoshape with text
    on a solid fill (how code boxes are drawn); other text frames are body text."""
    if shape.is_placeholder and shape.placeholder_format.type in FURNITURE:
        return "none"
    first = shape.name.split(" ")[0]
    if first in VISUAL_NAMES:
        return "visual"
    if first in TEXT_NAMES:
        return "body"
    if isinstance(shape, (Picture, GroupShape)):
        return "visual"
    if isinstance(shape, GraphicFrame):
        return "visual" if shape.has_chart or shape.has_table else "none"
    if not shape.has_text_frame or not shape.text_frame.text.strip():
        return "none"
    if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and shape.fill.type == MSO_FILL.SOLID:
        return "visual"
    return "body"


def is_diagram(shape) -> bool:
    """A group shape (a native diagram) that the writer has not named as another kind of visual."""
    return isinstance(shape, GroupShape) and shape.name.split(" ")[0] not in NON_DIAGRAM_NAMES


def lines_of(text: str) -> list[str]:
    """Non-empty lines of a text frame's text (python-pptx writes a line break as a vertical tab)."""
    return [line for line in re.split(r"[\n\v]", text) if line.strip()]


def shape_texts(shape) -> list[str]:
    """Every visible text in a shape: its text frame, table cells, group members, chart texts."""
    if isinstance(shape, GroupShape):
        return [text for member in shape.shapes for text in shape_texts(member)]
    if isinstance(shape, GraphicFrame):
        if shape.has_table:
            return [cell.text for row in shape.table.rows for cell in row.cells]
        return chart_texts(shape) if shape.has_chart else []
    return [shape.text_frame.text] if shape.has_text_frame else []


def chart_texts(frame) -> list[str]:
    """A chart's title and labels (a:t) and its category and series names (cached strings)."""
    nodes = frame.chart._chartSpace.xpath(".//a:t | .//c:cat//c:v | .//c:tx//c:v")
    return [node.text or "" for node in nodes]


def group_scale(group) -> float:
    """How much a group stretches its members: the width of its extent over its child extent."""
    ext = group._element.find("p:grpSpPr/a:xfrm/a:ext", NS)
    child = group._element.find("p:grpSpPr/a:xfrm/a:chExt", NS)
    if ext is None or child is None or not int(child.get("cx")):
        return 1.0
    return int(ext.get("cx")) / int(child.get("cx"))


def run_sizes(group, scale: float = 1.0) -> list[float]:
    """Point sizes of the runs in a group as drawn on the slide (nested groups scale again)."""
    scale *= group_scale(group)
    sizes = []
    for member in group.shapes:
        if isinstance(member, GroupShape):
            sizes += run_sizes(member, scale)
        else:
            sizes += [int(sz) / 100 * scale for sz in member._element.xpath(".//a:rPr/@sz")]
    return sizes


def chart_size(frame) -> float:
    """A chart's typical text size: the median of the sizes its XML sets (c:txPr a:defRPr and
    the runs of rich titles), or PowerPoint's CHART_DEFAULT_PT when it sets none."""
    space = frame.chart._chartSpace
    sizes = [int(node.get("sz")) / 100 for node in space.iter(f"{{{NS['a']}}}defRPr", f"{{{NS['a']}}}rPr") if node.get("sz")]
    return statistics.median(sizes) if sizes else CHART_DEFAULT_PT


def diagram_sizes(shapes) -> list[float]:
    """Typical text size of each diagram (group: the median of its runs) and chart on a slide."""
    found = []
    for shape in shapes:
        if is_diagram(shape):
            sizes = run_sizes(shape)
            if sizes:
                found.append(statistics.median(sizes))
        elif isinstance(shape, GraphicFrame) and shape.has_chart:
            found.append(chart_size(shape))
    return found


def read_slide(slide) -> SlideView:
    """A slide as a SlideView (its role is set later, from its place in the deck)."""
    title_shape = slide.shapes.title
    title = title_shape.text_frame.text.strip() if title_shape is not None else ""
    body, visuals, texts = [], 0, [title]
    for shape in slide.shapes:
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        kind = shape_kind(shape)
        visuals += kind == "visual"
        if kind == "body":
            body += lines_of(shape.text_frame.text)
        texts += shape_texts(shape)
    return SlideView(title, body, visuals, "\n".join(texts), diagram_sizes(slide.shapes))


def read_deck(presentation) -> list[SlideView]:
    """A deck's slides, each with its role: the first is the title slide, 목차 (and its
    continuations) the agenda, and the run of slides at the end with 토론 in their title
    the discussion; everything else is content."""
    views = [read_slide(slide) for slide in presentation.slides]
    for view in views:
        if view.section == AGENDA:
            view.role = "agenda"
    if views:
        views[0].role = "title"
    for view in reversed(views[1:]):
        if DISCUSSION not in view.title:
            break
        view.role = "discussion"
    return views


def stranded_lead_ins(views: list[SlideView]) -> int:
    """Near-empty slides directly followed by a visual-only slide of the same section."""
    return sum(
        1 for before, after in zip(views, views[1:])
        if before.near_empty and after.visual_only and after.section == before.section
    )


# --- words ---------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Words of two or more Hangul syllables or Latin letters. A token mixing scripts or digits
    splits at each change ("Docker를" gives "Docker", "EC2" gives "EC"); case is kept."""
    return WORD.findall(text)


def prose_text(line: str) -> str:
    """A prose line as a slide shows it: links and images as their text, raw HTML tags and
    emphasis marks (`*`, `~~`, the backticks of inline code) gone, inline code kept as it is.
    Dropping the marks keeps `**레이어**라는` one word, as it reads on the slide."""
    shown, last = [], 0
    for match in INLINE_CODE.finditer(line):
        shown += [prose_markup(line[last:match.start()]), match.group(2)]
        last = match.end()
    return "".join(shown + [prose_markup(line[last:])])


def prose_markup(text: str) -> str:
    """Text outside inline code without link targets, HTML tags and emphasis marks."""
    return EMPHASIS.sub("", HTML_TAG.sub(" ", LINK.sub(r"\1", text)))


def source_words(markdown: str) -> Counter:
    """How often each word occurs in a session's markdown, outside Mermaid blocks, fence lines
    (their language names are markup), link targets and raw HTML tags. Code inside other
    fences counts as it is: slides show it."""
    counts: Counter = Counter()
    fence = None  # (marker, is_mermaid) while inside a fenced block
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if fence is None and match:
            fence = (match.group(1), match.group(2).lower() == "mermaid")
        elif fence is not None and match and match.group(1).startswith(fence[0]) and not match.group(2):
            fence = None
        elif fence is not None:
            counts.update([] if fence[1] else words(line))
        else:
            counts.update(words(prose_text(line)))
    return counts


# --- reports -------------------------------------------------------------------------------


@dataclass
class SessionReport:
    """The measures for one session's deck."""

    session: str
    slides: int
    near_empty: int
    stranded: int
    stray_lines: int
    diagram_sizes: list[float]
    words: int  # distinct words in the session's markdown
    words_shown: float  # share of those distinct words that some slide shows
    missing: list[str] = field(default_factory=list)  # the most frequent words no slide shows


def session_report(name: str, presentation, markdown: str) -> SessionReport:
    """Measure one deck against the markdown it was built from."""
    views = read_deck(presentation)
    counts = source_words(markdown)
    shown = set(words("\n".join(view.text for view in views)))
    missing = [word for word, _ in counts.most_common() if word not in shown]
    return SessionReport(
        session=name,
        slides=len(views),
        near_empty=sum(view.near_empty for view in views),
        stranded=stranded_lead_ins(views),
        stray_lines=sum(view.stray_line for view in views),
        diagram_sizes=[size for view in views for size in view.diagram_sizes],
        words=len(counts),
        words_shown=1 - len(missing) / len(counts) if counts else 1.0,
        missing=missing[:TOP_MISSING],
    )


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least share of values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def size_distribution(sizes: list[float]) -> dict:
    """Count, share under SMALL_TEXT_PT, median, minimum and 10th percentile of diagram text sizes."""
    if not sizes:
        return {"count": 0, "under_12pt": 0, "share_under_12pt": 0.0, "median": None, "min": None, "p10": None}
    small = sum(size < SMALL_TEXT_PT for size in sizes)
    return {"count": len(sizes), "under_12pt": small, "share_under_12pt": small / len(sizes),
            "median": statistics.median(sizes), "min": min(sizes), "p10": percentile(sizes, 0.1)}


def totals(sessions: list[SessionReport]) -> dict:
    """The course's figures: counts summed with their share of all slides, the diagram text size
    distribution, and the average and worst share of words shown."""
    slides = sum(s.slides for s in sessions)

    def counted(name: str) -> dict:
        count = sum(getattr(s, name) for s in sessions)
        return {"count": count, "share": count / slides if slides else 0.0}

    worst = min(sessions, key=lambda s: s.words_shown, default=None)
    return {
        "sessions": len(sessions),
        "slides": slides,
        "near_empty": counted("near_empty"),
        "stranded": counted("stranded"),
        "stray_lines": counted("stray_lines"),
        "diagram_sizes": size_distribution([size for s in sessions for size in s.diagram_sizes]),
        "words_shown_average": statistics.fmean(s.words_shown for s in sessions) if sessions else 1.0,
        "words_shown_worst": {"session": worst.session, "share": worst.words_shown} if worst else None,
    }


def course_report(course: Path, decks: Path) -> list[SessionReport]:
    """A SessionReport for every session of course, read from its deck in decks."""
    from deckbuild.course import discover

    reports = []
    for session in discover(course).sessions:
        deck = decks / session.relative.with_suffix(".pptx")
        markdown = session.path.read_text(encoding="utf-8-sig")
        reports.append(session_report(session.relative.with_suffix("").as_posix(), Presentation(str(deck)), markdown))
    return reports


def build_decks(course: Path, out: Path) -> Path:
    """Build the course's decks alone into out (progress output swallowed); returns the decks folder."""
    from deckbuild.cli import DEFAULT_JOBS
    from deckbuild.runner import build_course

    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        result = build_course(course, out, jobs=DEFAULT_JOBS, only=("decks",))
    if result.status:
        raise SystemExit(f"building the decks of {course} failed")
    return out / "decks"


# --- printing ------------------------------------------------------------------------------


def size_text(distribution: dict) -> str:
    """The diagram text size distribution in one line."""
    if not distribution["count"]:
        return "no diagrams or charts"
    return (f"{distribution['count']} diagrams and charts, {distribution['under_12pt']} "
            f"({distribution['share_under_12pt']:.0%}) under {SMALL_TEXT_PT:g} pt, "
            f"median {distribution['median']:.1f} pt, min {distribution['min']:.1f} pt, "
            f"10th percentile {distribution['p10']:.1f} pt")


ROW = "  {:<28} {:>6} {:>10} {:>8} {:>5} {:>8} {:>5} {:>11}"
COUNTS = (("near_empty", "near-empty slides"), ("stranded", "stranded lead-ins"), ("stray_lines", "one-stray-line slides"))


def table_row(name: str, counts: tuple[int, ...], sizes: list[float], shown: float) -> str:
    """One line of the table: slides, near-empty, stranded, stray lines, diagrams, how many
    diagrams have small text, and the share of words shown."""
    small = sum(size < SMALL_TEXT_PT for size in sizes)
    return ROW.format(name, *counts, len(sizes), small, f"{shown:.1%}")


def print_report(course: Path, sessions: list[SessionReport], verbose: bool) -> None:
    """A row per session, then the course's totals (and the missing words with verbose)."""
    print(f"{course}: {len(sessions)} sessions")
    print(ROW.format("session", "slides", "near-empty", "stranded", "stray", "diagrams", "<12pt", "words shown"))
    for s in sessions:
        print(table_row(s.session, (s.slides, s.near_empty, s.stranded, s.stray_lines), s.diagram_sizes, s.words_shown))
    total = totals(sessions)
    all_sizes = [size for s in sessions for size in s.diagram_sizes]
    summed = (total["slides"], *(total[name]["count"] for name, _ in COUNTS))
    print(table_row("total (words: average)", summed, all_sizes, total["words_shown_average"]))
    for name, label in COUNTS:
        print(f"  {label}: {total[name]['count']} ({total[name]['share']:.1%} of slides)")
    print(f"  diagram text: {size_text(total['diagram_sizes'])}")
    if total["words_shown_worst"]:
        worst = total["words_shown_worst"]
        print(f"  words shown: average {total['words_shown_average']:.1%}, worst {worst['share']:.1%} ({worst['session']})")
    if verbose:
        for s in sessions:
            print(f"  missing from {s.session}: {' '.join(s.missing) or '-'}")


def main(argv: list[str] | None = None) -> None:
    """Read the arguments, build the decks when no folder is given, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("--decks", type=Path, help="the decks folder of a build (default: build the decks now)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--verbose", action="store_true", help=f"list the {TOP_MISSING} most frequent words each deck misses")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        decks = args.decks or build_decks(args.course, Path(folder))
        sessions = course_report(args.course, decks)
    if args.json:
        rows = [{k: v for k, v in asdict(s).items() if args.verbose or k != "missing"} for s in sessions]
        document = {"course": str(args.course), "sessions": rows, "totals": totals(sessions)}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print_report(args.course, sessions, args.verbose)


if __name__ == "__main__":
    main()

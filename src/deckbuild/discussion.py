"""A session's own discussion section, in the forms real sessions write it.

Recognised (corpus census §2.5): a `토론 주제` heading followed by a quoted
question or a list; an H2 such as `N. 토론 및 정리 (N분)` or `그룹 토론: …`;
and `💭 함께 생각해보기` holding a `**토론 주제**:` paragraph with a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from .day_readme import unquote
from .document import Block, Document, Heading, ListBlock, Paragraph, plain_text

DISCUSSION_WORDS = ("토론", "함께 생각해보기", "Discussion", "discussion")
TOPIC_LABEL = "토론 주제"


@dataclass(frozen=True)
class SessionDiscussion:
    """The discussion section of a session: where it is, its minutes and its questions."""

    heading: Heading
    blocks: tuple[Block, ...]
    minutes: int | None
    questions: tuple[str, ...]


def find_discussion(document: Document) -> SessionDiscussion | None:
    """The session's discussion section, or None when it has none.

    The last H2 about discussion wins; without one, the first deeper heading about it.
    """
    headings = [h for h in document.headings() if h.level >= 2 and any(w in h.title for w in DISCUSSION_WORDS)]
    if not headings:
        return None
    top = [h for h in headings if h.level == 2]
    heading = top[-1] if top else headings[0]
    blocks = document.section(heading)
    minutes = heading.minutes
    if minutes is None:
        inner = [b.minutes for b in blocks if isinstance(b, Heading) and b.minutes and b.level == heading.level + 1]
        minutes = sum(inner) or None
    return SessionDiscussion(heading, blocks, minutes, _questions(blocks))


def _list_texts(block: ListBlock) -> list[str]:
    texts = []
    for item in block.items:
        for child in item.blocks:
            if isinstance(child, Paragraph):
                texts.append(unquote(plain_text(child.runs)))
            elif isinstance(child, ListBlock):
                texts.extend(_list_texts(child))
    return texts


def _questions(blocks: tuple[Block, ...]) -> tuple[str, ...]:
    """Questions in a discussion section: labelled lists first, then a 토론 주제 heading, then any question."""
    labelled: list[str] = []
    under_topic: list[str] = []
    anything: list[str] = []
    in_topic_heading = False
    after_label = False
    for block in blocks:
        if isinstance(block, Heading):
            in_topic_heading = TOPIC_LABEL in block.title
            after_label = False
            continue
        if isinstance(block, Paragraph):
            text = plain_text(block.runs).strip()
            label, _, rest = text.partition(":")
            if block.runs[0].bold and TOPIC_LABEL in label:
                after_label = True
                if rest.strip():
                    labelled.append(unquote(rest))
                continue
            after_label = False
            if in_topic_heading:
                under_topic.append(unquote(text))
            elif text.endswith("?") or text.endswith('?"'):
                anything.append(unquote(text))
        elif isinstance(block, ListBlock):
            items = _list_texts(block)
            if after_label:
                labelled.extend(items)
            elif in_topic_heading:
                under_topic.extend(items)
            else:
                anything.extend(item for item in items if item.rstrip("\"'”").endswith("?"))
            after_label = False
    return tuple(labelled or under_topic or anything)

"""gitGraph: the parser (commits, branches, checkout, merge, cherry-pick, errors) and the
layout as a reader sees it (lanes, commits in order, lines to parents, every label drawn)."""

from __future__ import annotations

import pytest
from conftest import course_diagrams
from deck_reading import squash
from diagram_testing import MEASURE, STYLE, mermaid_error, missing, parsed_or_none, scene_text
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.gitgraph_layout import GitGraphLayout, branch_order
from deckbuild.diagrams.mermaid.gitgraph import parse_gitgraph
from deckbuild.diagrams.model import MermaidError


def parse(body: str, header: str = "gitGraph"):
    """parse_gitgraph on body with the header line added."""
    return parse_gitgraph(f"{header}\n{body}")


def error_of(body: str) -> MermaidError:
    return mermaid_error(parse, body)


def history(graph) -> list[tuple[str, str, list[str]]]:
    return [(c.id, c.branch, c.parents) for c in graph.commits]


# --- headers and commits ------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, direction",
    [("gitGraph", "LR"), ("gitGraph:", "LR"), ("gitGraph LR:", "LR"), ("gitGraph TB:", "TB"), ("gitGraph BT:", "BT")],
)
def test_headers_and_directions(header, direction):
    graph = parse("commit\n", header)
    assert graph.direction == direction
    assert [b.name for b in graph.branches] == ["main"]


def test_commit_attributes_in_any_order():
    graph = parse('commit id: "초기" tag: "v0.1" type: HIGHLIGHT\ncommit type: REVERSE msg: "되돌림" id: \'둘째\'\n')
    first, second = graph.commits
    assert (first.id, first.tags, first.type, first.custom_id, first.line) == ("초기", ["v0.1"], "HIGHLIGHT", True, 2)
    assert (second.id, second.type, second.parents) == ("둘째", "REVERSE", ["초기"])


def test_several_tags_on_one_commit():
    assert parse('commit tag: "v1" tag: "stable"\n').commits[0].tags == ["v1", "stable"]


def test_generated_ids_are_stable_and_not_shown():
    source = "commit\ncommit\nbranch dev\ncommit\n"
    first, again = parse(source), parse(source)
    assert [c.id for c in first.commits] == [c.id for c in again.commits]
    assert [c.id.split("-")[0] for c in first.commits] == ["0", "1", "2"]
    assert not any(c.custom_id for c in first.commits)
    assert first.texts() == ["main", "dev"]


def test_ids_with_spaces_and_escaped_quotes():
    assert parse('commit id: "로그인 \\"API\\""\n').commits[0].id == '로그인 "API"'


# --- branches, checkout, merge, cherry-pick ---------------------------------------------


def test_branch_forks_from_the_current_head_and_checks_out():
    graph = parse('commit id: "a"\nbranch develop\ncommit id: "b"\ncheckout main\ncommit id: "c"\n')
    assert history(graph) == [("a", "main", []), ("b", "develop", ["a"]), ("c", "main", ["a"])]
    assert graph.branches[1].name == "develop" and graph.branches[1].parent_commit == "a"


def test_switch_quoted_names_and_order():
    graph = parse('commit\nbranch "release/1.0" order: 3\nbranch feature-x\nswitch main\ncommit id: "m"\n')
    assert [(b.name, b.order) for b in graph.branches] == [("main", None), ("release/1.0", 3), ("feature-x", None)]
    assert graph.commits[-1].branch == "main"


def test_branch_order_follows_mermaid():
    graph = parse("commit\nbranch b1 order: 1\nbranch b2\nbranch b3 order: 0\nbranch b4\n")
    assert [b.name for b in branch_order(graph)] == ["main", "b3", "b2", "b4", "b1"]


def test_merge_joins_both_heads_and_carries_tag_id_and_type():
    graph = parse('commit id: "a"\nbranch dev\ncommit id: "b"\ncheckout main\nmerge dev tag: "v1.0.0" id: "m" type: REVERSE\n')
    merge = graph.commits[-1]
    assert (merge.id, merge.branch, merge.parents, merge.tags, merge.kind, merge.type) == (
        "m", "main", ["a", "b"], ["v1.0.0"], "merge", "REVERSE")
    assert graph.texts() == ["main", "dev", "a", "b", "m", "v1.0.0"]


def test_cherry_pick_copies_a_commit_with_a_default_tag():
    graph = parse('commit id: "a"\nbranch dev\ncommit id: "fix"\ncheckout main\ncherry-pick id: "fix"\n')
    pick = graph.commits[-1]
    assert (pick.kind, pick.branch, pick.parents, pick.tags) == ("cherry-pick", "main", ["a", "fix"], ["cherry-pick:fix"])


def test_cherry_pick_of_a_merge_needs_its_parent():
    body = 'commit id: "a"\nbranch dev\ncommit id: "b"\ncheckout main\ncommit id: "c"\nmerge dev id: "m"\ncheckout dev\n'
    graph = parse(body + 'cherry-pick id: "m" parent: "c" tag: "골라옴"\n')
    assert (graph.commits[-1].tags, graph.commits[-1].parents) == (["골라옴"], ["b", "m"])
    assert parse(body + 'cherry-pick id: "m" parent: "c"\n').commits[-1].tags == ["cherry-pick:m|parent:c"]
    assert "parent" in error_of(body + 'cherry-pick id: "m"\n').message


def test_title_and_accessibility_lines():
    graph = parse("title 릴리스\naccTitle: 제목\naccDescr: 설명\ncommit\n")
    assert graph.title == "릴리스" and len(graph.commits) == 1


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("commit\ncheckout nowhere\n", 3, "does not exist"),
        ("commit\nbranch main\n", 3, "already exists"),
        ("commit\nbranch dev\nbranch dev\n", 4, "already exists"),
        ("commit\nmerge main\n", 3, "into itself"),
        ("commit\nbranch dev\ncheckout main\nmerge dev\n", 5, "same commit"),
        ("branch dev\ncommit\ncheckout main\nmerge dev\n", 5, "no commits"),
        ("commit\nbranch dev\ncheckout main\nmerge ghost\n", 5, "does not exist"),
        ('commit id: "a"\ncommit id: "a"\n', 3, "twice"),
        ('commit id: ""\n', 2, "empty"),
        ("commit type: BIG\n", 2, "NORMAL"),
        ('commit colour: "red"\n', 2, "colour"),
        ('commit\ncherry-pick id: "zz"\n', 3, "no commit"),
        ('commit id: "a"\ncherry-pick id: "a"\n', 3, "already on"),
        ("commit\ncherry-pick\n", 3, "needs the id"),
        ("comit\n", 2, "cannot read"),
    ],
)
def test_errors_name_the_line(body, line, words):
    error = error_of(body)
    assert error.line == line and words in error.message


@pytest.mark.parametrize("source", ["", "gitgraph\ncommit\n", "gitGraph RL:\ncommit\n", "graph TD\nA-->B\n"])
def test_bad_headers_are_errors(source):
    with pytest.raises(MermaidError):
        parse_gitgraph(source)


_FUZZ_WORDS = st.sampled_from(
    ["commit", "branch", "checkout", "switch", "merge", "cherry-pick", "main", "dev", "id:", "tag:", "type:",
     "order:", "parent:", "msg:", '"a"', '"v1"', "HIGHLIGHT", "REVERSE", "1", "\n", " ", ":", '"', "%%", "LR"]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=40).map("".join)))
def test_any_input_gives_a_graph_or_a_mermaid_error(body):
    for source in (body, "gitGraph\n" + body):
        parsed_or_none(parse_gitgraph, source)


# --- layout -------------------------------------------------------------------------------


RELEASES = """gitGraph
    commit id: "초기 구조"
    commit id: "로그인 API"
    branch develop
    checkout develop
    commit id: "결제 모듈"
    branch release/1.0
    commit id: "RC 수정" type: REVERSE
    checkout main
    merge release/1.0 tag: "v1.0.0"
    checkout develop
    merge main
    commit id: "쿠폰" type: HIGHLIGHT
    commit
    branch hotfix
    commit id: "보안 패치"
    checkout main
    merge hotfix tag: "v1.0.1"
    checkout develop
    cherry-pick id: "보안 패치"
    checkout main
    merge develop tag: "v1.1.0"
"""


def scene_of(source: str):
    return GitGraphLayout(MEASURE, STYLE).scene(parse_gitgraph(source))


def test_every_text_is_in_the_scene():
    scene = scene_of(RELEASES)
    texts = parse_gitgraph(RELEASES).texts()
    assert "v1.0.0" in texts and "hotfix" in texts and "cherry-pick:보안패치" in [squash(t) for t in texts]
    assert not missing(texts, scene_text(scene))
    assert scene.kind == "gitgraph"


def test_commits_run_left_to_right_in_order_on_their_lanes():
    graph = parse_gitgraph(RELEASES)
    scene = scene_of(RELEASES)
    shapes = {shape.id: shape for shape in scene.shapes}
    dots = [shapes[f"commit:{c.id}"] for c in graph.commits]
    xs = [dot.centre[0] for dot in dots]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    lanes = {}
    for commit, dot in zip(graph.commits, dots):
        lanes.setdefault(commit.branch, set()).add(round(dot.centre[1], 3))
    assert all(len(ys) == 1 for ys in lanes.values())
    order = [b.name for b in branch_order(graph)]
    ys = [lanes[name].pop() for name in order if name in lanes]
    assert ys == sorted(ys)
    for name in order:  # each lane starts with its name, left of its commits
        label = shapes[f"branch:{name}"]
        assert label.text == name and label.x + label.width < min(xs)


def test_commit_marks_by_type():
    graph = parse_gitgraph(RELEASES)
    shapes = {shape.id: shape for shape in scene_of(RELEASES).shapes}
    kinds = {c.id: shapes[f"commit:{c.id}"] for c in graph.commits}
    assert kinds["RC 수정"].kind == "cross_circle" and kinds["쿠폰"].kind == "rect"
    merge = next(c for c in graph.commits if c.tags == ["v1.0.0"])
    assert kinds[merge.id].kind == "circle" and kinds[merge.id].fill == "FFFFFF"
    pick = next(c for c in graph.commits if c.kind == "cherry-pick")
    assert kinds[pick.id].dashed


def test_labels_do_not_overlap_and_sit_by_their_commits():
    graph = parse_gitgraph(RELEASES)
    scene = scene_of(RELEASES)
    shapes = {shape.id: shape for shape in scene.shapes}
    texts = [s for s in scene.shapes if s.id.startswith(("id:", "tag:", "branch:"))]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            apart = (a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y)
            assert apart, (a.text, b.text)
    for commit in graph.commits:
        dot = shapes[f"commit:{commit.id}"]
        if commit.custom_id:
            label = shapes[f"id:{commit.id}"]
            assert label.y >= dot.y + dot.height and abs(label.centre[0] - dot.centre[0]) < 1
        for index, _ in enumerate(commit.tags):
            tag = shapes[f"tag:{commit.id}:{index}"]
            assert tag.y + tag.height <= dot.y


def test_lines_join_every_commit_to_its_parents():
    graph = parse_gitgraph(RELEASES)
    scene = scene_of(RELEASES)
    ends = {(c.source, c.target): c for c in scene.connectors}
    for commit in graph.commits:
        for parent in commit.parents:
            line = ends[(f"commit:{parent}", f"commit:{commit.id}")]
            assert (line.source_site, line.target_site, line.head) == ("right", "left", "none")
    pick = next(c for c in graph.commits if c.kind == "cherry-pick")
    assert ends[("commit:보안 패치", f"commit:{pick.id}")].dashed
    fork = ends[("commit:로그인 API", "commit:결제 모듈")]
    assert fork.route == "elbow"
    along = ends[("commit:초기 구조", "commit:로그인 API")]
    assert along.route == "straight" and along.start[1] == along.end[1]


@pytest.mark.parametrize("header", ["gitGraph TB:", "gitGraph BT:"])
def test_top_to_bottom_and_bottom_to_top(header):
    source = RELEASES.replace("gitGraph", header, 1)
    graph = parse_gitgraph(source)
    scene = scene_of(source)
    shapes = {shape.id: shape for shape in scene.shapes}
    ys = [shapes[f"commit:{c.id}"].centre[1] for c in graph.commits]
    assert ys == (sorted(ys) if header.endswith("TB:") else sorted(ys, reverse=True))
    assert not missing(graph.texts(), scene_text(scene))
    lanes = [shapes[f"branch:{b.name}"].centre[0] for b in branch_order(graph)]
    assert lanes == sorted(lanes)


def test_scene_is_compact():
    scene = scene_of(RELEASES)
    assert 1 < scene.width / scene.height < 4


def test_the_colon_header_is_a_keyword_of_its_own():
    scene = build_scene('gitGraph:\ncommit id: "하나"\n', "gitGraph:", MEASURE, STYLE)
    assert "하나" in scene.texts() and "main" in scene.texts()


def test_a_graph_without_commits_is_an_error():
    with pytest.raises(MermaidError):
        scene_of("gitGraph\nbranch dev\n")


# --- every real diagram ---------------------------------------------------------------


GITGRAPHS = course_diagrams("gitGraph")


def test_the_sample_course_has_a_git_graph():
    assert GITGRAPHS


@pytest.mark.parametrize("where, diagram", GITGRAPHS, ids=[where for where, _ in GITGRAPHS])
def test_every_course_git_graph_is_drawn_with_all_its_text(where, diagram):
    scene = build_scene(diagram.source, "gitGraph", MEASURE, STYLE)
    assert not missing(parse_gitgraph(diagram.source).texts(), scene_text(scene))

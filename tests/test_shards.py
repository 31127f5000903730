"""Scale-out: shard builds in separate folders (as separate CI jobs make them), assembled into the
release bundle without rebuilding, give the bundle one unsharded publish gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckbuild.cli import main
from deckbuild.publish import ShardError, publish_from
from deckbuild.runner import build_course

README = """# Week 1 - Day {day}: 나눠 짓는 과정

### [Session 1: 첫 세션](./session_01.md)
### [Session 2: 둘째 세션](./session_02.md)

## 📝 이론 과제
다음 주제 중 하나를 골라 A4 1페이지 분량으로 정리하세요:
1. 레이어와 캐시의 관계
"""

SESSION = "# Session {n}: 주제 {n}\n\n## 1. 개요 (10분)\n\n{day}일차 {n}번째 세션의 본문입니다.\n"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """Two days of two sessions; only day 1 sets an assignment."""
    root = tmp_path_factory.mktemp("shards") / "course"
    for day in (1, 2):
        folder = root / "week_01" / f"day_0{day}"
        folder.mkdir(parents=True)
        readme = README.format(day=day)
        (folder / "README.md").write_text(readme if day == 1 else readme.split("## 📝")[0], encoding="utf-8")
        for n in (1, 2):
            (folder / f"session_0{n}.md").write_text(SESSION.format(n=n, day=day), encoding="utf-8")
    (root / "course.toml").write_text('title = "나눠 짓는 과정"\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def shards(course, tmp_path_factory) -> list[Path]:
    """Three shard builds, each into its own folder."""
    folders = []
    for index in (1, 2, 3):
        out = tmp_path_factory.mktemp(f"shard{index}")
        assert build_course(course, out, shard=(index, 3)).status == 0
        folders.append(out)
    return folders


def test_three_shards_assembled_give_the_unsharded_bundle(course, shards, tmp_path):
    built = [p.relative_to(folder) for folder in shards for kind in ("decks", "notes", "handouts", "assignments")
             for p in (folder / kind).rglob("*") if p.is_file()]
    # four decks, their slide PDFs and notes handouts, two handouts, day 1's sheet and the blank one; each once
    assert len(built) == len(set(built)) == 4 * 3 + 2 + 2
    # a notes handout is built in the shard that builds the slide PDF it is made from
    assert all((folder / "decks" / p.relative_to("notes")).is_file()
               for folder in shards for p in (q.relative_to(folder) for q in (folder / "notes").rglob("*.pdf")))
    publish_from(course, shards, tmp_path / "assembled")
    assert build_course(course, tmp_path / "build", dist=tmp_path / "published").status == 0
    assembled = (tmp_path / "assembled" / "SHA256SUMS").read_text(encoding="utf-8")
    assert assembled == (tmp_path / "published" / "SHA256SUMS").read_text(encoding="utf-8")
    assert "decks/week_01/day_02/session_02.pptx" in assembled


def test_a_missing_shard_output_is_named(course, shards, tmp_path, capsys):
    copies = []
    for index, folder in enumerate(shards):
        copies.append(tmp_path / f"shard{index}")
        shutil.copytree(folder, copies[-1])
    (lost,) = [folder / "handouts" / "week_01" / "day_02.pdf" for folder in copies if (folder / "handouts" / "week_01" / "day_02.pdf").is_file()]
    lost.unlink()
    with pytest.raises(ShardError, match="^missing from every shard folder: handouts/week_01/day_02.pdf$"):
        publish_from(course, copies, tmp_path / "dist")
    assert not (tmp_path / "dist").exists()
    arguments = ["publish", str(course), "-o", str(tmp_path / "dist"), "--from", *map(str, copies)]
    assert main(arguments) == 1
    error = capsys.readouterr().err
    assert error == "deckbuild: error: missing from every shard folder: handouts/week_01/day_02.pdf\n"
    assert main([*arguments, str(tmp_path / "nowhere")]) == 1
    assert "no such shard folder" in capsys.readouterr().err


def test_an_output_in_two_shard_folders_is_named(course, shards, tmp_path):
    with pytest.raises(ShardError, match="in more than one shard folder: "):
        publish_from(course, [*shards, shards[0]], tmp_path / "dist")

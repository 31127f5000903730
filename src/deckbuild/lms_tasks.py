"""The doit graph of `deckbuild export markdown`: a task per markdown file, per diagram picture
and per picture or linked file copied, after the scene tasks the build uses.

Each file's task depends on the file and the scenes of its diagrams, each picture's
on its scene, so an export with nothing changed runs nothing and an edited
session rewrites its own file and the pictures of the diagrams that changed.
doit's state and the scene cache live in the export's `.deckbuild/` folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from doit.tools import config_changed

from . import lms
from .course import STATE_DIR, find_markdown_files
from .files import write_atomically
from .tasks import Graph, file_errors_fail

LMS_TASKS = ("lms_markdown", "lms_diagram", "lms_file")


@file_errors_fail
def lms_action(job: str, **arguments) -> None:
    """doit action: the export step lms.<job>, failing its task with one line naming a file that
    cannot be read or written."""
    getattr(lms, job)(**arguments)


def prune_stale(out_dir: Path, targets: list[Path]) -> None:
    """Remove what an earlier export wrote that this one no longer makes (the old picture of an
    edited diagram, a deleted session's file and its warnings), so the folder holds exactly the
    course's export; files deckbuild did not write are never touched. The list is kept in the
    state folder."""
    record = out_dir / STATE_DIR / "lms-files.json"
    current = sorted(str(target.relative_to(out_dir)) for target in targets)
    try:
        earlier = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = []
    for stale in set(earlier) - set(current):
        path = out_dir / stale
        if path.resolve().is_relative_to(out_dir.resolve()):
            path.unlink(missing_ok=True)
    if earlier != current:
        write_atomically(record, json.dumps(current, ensure_ascii=False, indent=0))


class LmsExport:
    """The export's tasks for one course, output folder, picture format and base URL."""

    def __init__(self, course_root: Path, out_dir: Path, image_format: str, base_url: str) -> None:
        self.graph = Graph(course_root, out_dir)
        self.course_root, self.out_dir = course_root, out_dir
        self.image_format, self.base_url = image_format, base_url
        # The theme lays the diagrams out: without it (its error is reported) nothing is exported.
        found = find_markdown_files(course_root) if self.graph.theme else []
        self.markdown = [path for path in found if self.graph.scan_file(path).readable]
        self.graph.cache.save()
        self.settings = {**self.graph.settings, "format": image_format, "base_url": base_url}

    def _action(self, job: str, **arguments) -> dict:
        return {"job": job, "course_root": self.course_root, "scene_dir": self.graph.scenes.folder,
                "scene_salt": self.graph.fingerprint, "image_format": self.image_format, **arguments}

    def file_tasks(self) -> list[dict]:
        """A task per markdown file: depends on the file and the scenes of its diagrams."""
        tasks = []
        for path in self.markdown:
            relative = path.relative_to(self.course_root)
            scenes = [self.graph.scene_file(source) for _, source in self.graph.scan_file(path).diagrams]
            arguments = self._action("export_markdown", source=path, out_dir=self.out_dir, base_url=self.base_url,
                                     report=self.graph.report_path("lms", relative))
            tasks.append(self.graph.make_task(relative.as_posix(), lms_action, arguments, [path, *scenes],
                                              self.out_dir / relative, f"markdown for the LMS: {relative}", self.settings))
        return tasks

    def picture_tasks(self) -> list[dict]:
        """A task per distinct diagram that can be drawn (a block whose scene keeps an error gets
        none: its markdown keeps the code): depends on the scene."""
        tasks, drawn = [], set()
        for path in self.markdown:
            for _, source in self.graph.scan_file(path).diagrams:
                picture, scene = lms.diagram_file(source, self.image_format), self.graph.scene_file(source)
                if picture in drawn or self.graph.scenes.holds_error(scene):
                    continue
                drawn.add(picture)
                arguments = self._action("export_diagram", source=source, target=self.out_dir / picture)
                tasks.append(self.graph.make_task(picture.name, lms_action, arguments, [scene], self.out_dir / picture,
                                                  f"picture of a diagram in {path.relative_to(self.course_root)}",
                                                  {**self.settings, "base_url": ""}))
        return tasks

    def copy_tasks(self) -> list[dict]:
        """A task per picture or linked file of the course the markdown shows or links to."""
        tasks, copied = [], set()
        inside = self.course_root.resolve()
        for path in self.markdown:
            scan = self.graph.scan_file(path)
            for file in (*scan.images, *scan.linked):
                if file in copied or not file.is_relative_to(inside):
                    continue
                copied.add(file)
                target = self.out_dir / file.relative_to(inside)
                tasks.append({"name": target.relative_to(self.out_dir).as_posix(), "file_dep": [str(file)],
                              "targets": [str(target)], "clean": True,
                              "actions": [(lms_action, (), {"job": "copy_file", "source": str(file), "target": str(target)})],
                              "doc": f"{file.name}, shown or linked in {path.relative_to(self.course_root)}"})
        return tasks


def lms_namespace(course_root: Path, out_dir: Path, image_format: str, base_url: str) -> tuple[dict, Graph]:
    """A dodo-file namespace exporting course_root's markdown into out_dir, and its Graph. What an
    earlier export wrote and this one no longer makes is removed first."""
    export = LmsExport(course_root, out_dir, image_format, base_url)
    scenes = list(export.graph.scene_tasks(export.markdown))
    files, diagrams, copies = export.file_tasks(), export.picture_tasks(), export.copy_tasks()
    reports = [export.graph.report_path("lms", path.relative_to(course_root)) for path in export.markdown]
    prune_stale(out_dir, [*(Path(target) for task in (*files, *diagrams, *copies) for target in task["targets"]), *reports])

    def task_scene():
        """A laid-out Mermaid diagram."""
        yield from scenes

    def task_lms_markdown():
        """A markdown file of the course with its diagrams as image links."""
        yield from files

    def task_lms_diagram():
        """The picture of a Mermaid diagram."""
        yield from diagrams

    def task_lms_file():
        """A picture or linked file of the course, copied."""
        yield from copies

    namespace = {
        "task_scene": task_scene,
        "task_lms_markdown": task_lms_markdown,
        "task_lms_diagram": task_lms_diagram,
        "task_lms_file": task_lms_file,
        "DOIT_CONFIG": {"dep_file": str(out_dir / STATE_DIR / "doit.json"), "backend": "json",
                        "default_tasks": list(LMS_TASKS), "verbosity": 1},
    }
    return namespace, export.graph

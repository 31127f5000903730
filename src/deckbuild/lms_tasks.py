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
    edited diagram, a deleted session's file), so the folder holds exactly the course's export;
    files deckbuild did not write are never touched. The list is kept in the state folder."""
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


def lms_namespace(course_root: Path, out_dir: Path, image_format: str, base_url: str) -> tuple[dict, Graph]:
    """A dodo-file namespace exporting course_root's markdown into out_dir, and its Graph."""
    graph = Graph(course_root, out_dir)
    markdown = [path for path in find_markdown_files(course_root) if graph.scan_file(path).readable]
    graph.cache.save()
    settings = {**graph.settings, "format": image_format, "base_url": base_url}
    scenes = list(graph.scene_tasks(markdown)) if graph.theme else []
    files: list[dict] = []
    diagrams: list[dict] = []
    copies: list[dict] = []
    drawn: set[str] = set()
    copied: set[Path] = set()
    scene_arguments = {"course_root": course_root, "scene_dir": graph.scenes.folder, "scene_salt": graph.fingerprint}
    for path in markdown if graph.theme else []:
        scan = graph.scan_file(path)
        relative = path.relative_to(course_root)
        sources = [source for _, source in scan.diagrams]
        arguments = {"job": "export_markdown", "source": path, "out_dir": out_dir, "image_format": image_format,
                     "base_url": base_url,
                     "report": graph.report_path("lms", relative), **scene_arguments}
        files.append(graph.make_task(relative.as_posix(), lms_action, arguments, [path, *map(graph.scene_file, sources)],
                                 out_dir / relative, f"markdown for the LMS: {relative}", settings))
        for source in sources:
            picture = lms.diagram_file(source, image_format)
            scene = graph.scene_file(source)
            if picture.name in drawn or graph.scenes.holds_error(scene):
                continue
            drawn.add(picture.name)
            arguments = {"job": "export_diagram", "source": source, "target": out_dir / picture, "image_format": image_format,
                         **scene_arguments}
            diagrams.append(graph.make_task(picture.name, lms_action, arguments, [scene], out_dir / picture,
                                        f"picture of a diagram in {relative}", {**settings, "base_url": ""}))
        for file in (*scan.images, *scan.linked):
            if file in copied or not file.is_relative_to(course_root.resolve()):
                continue
            copied.add(file)
            target = out_dir / file.relative_to(course_root.resolve())
            copies.append({"name": target.relative_to(out_dir).as_posix(), "file_dep": [str(file)], "targets": [str(target)],
                           "actions": [(lms_action, (), {"job": "copy_file", "source": str(file), "target": str(target)})],
                           "clean": True, "doc": f"{file.name}, shown or linked in {relative}"})

    prune_stale(out_dir, [Path(target) for task in (*files, *diagrams, *copies) for target in task["targets"]])

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
    return namespace, graph

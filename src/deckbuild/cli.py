"""The `deckbuild` command: build, check and clean a course through the doit graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from doit.cmd_base import ModuleTaskLoader
from doit.doit_cmd import DoitMain

from . import __version__
from .course import discover
from .diagnostics import Diagnostic, Severity, worst
from .scan import scan_session
from .tasks import make_namespace


def _print_diagnostics(diagnostics: list[Diagnostic], stream=sys.stderr) -> None:
    for diagnostic in sorted(set(diagnostics), key=lambda d: (str(d.file), d.line, d.message)):
        print(diagnostic.format(), file=stream)


def _run_doit(course: Path, out: Path, arguments: list[str]) -> tuple[int, list[Diagnostic]]:
    namespace, graph = make_namespace(course, out)
    loader = ModuleTaskLoader(namespace)
    status = DoitMain(loader).run(arguments)
    return status, graph.diagnostics


def command_build(args: argparse.Namespace) -> int:
    arguments = ["run", "--continue"]
    if args.jobs > 1:
        arguments += ["-n", str(args.jobs), "-P", "process"]
    status, diagnostics = _run_doit(args.course, args.output, arguments)
    _print_diagnostics(diagnostics)
    if worst(diagnostics) == Severity.ERROR:
        return 1
    return 1 if status else 0


def command_check(args: argparse.Namespace) -> int:
    course = discover(args.course)
    diagnostics = list(course.diagnostics)
    for session in course.sessions:
        diagnostics.extend(scan_session(session.path).diagnostics)
    _print_diagnostics(diagnostics, sys.stdout)
    counts = {severity: sum(d.severity == severity for d in set(diagnostics)) for severity in Severity}
    print(f"{len(course.sessions)} sessions: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings")
    return 1 if worst(diagnostics) == Severity.ERROR else 0


def command_clean(args: argparse.Namespace) -> int:
    status, _ = _run_doit(args.course, args.output, ["clean"])
    return 1 if status else 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="deckbuild", description="Build decks from a course written in markdown.")
    main.add_argument("--version", action="version", version=f"deckbuild {__version__}")
    commands = main.add_subparsers(dest="command", required=True)

    def course_command(name: str, help_text: str, output: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("course", nargs="?", type=Path, default=Path("slides"), help="course folder (default: slides)")
        if output:
            sub.add_argument("-o", "--output", type=Path, default=Path("build"), help="output folder (default: build)")
        return sub

    build = course_command("build", "build what changed")
    build.add_argument("-n", "--jobs", type=int, default=1, help="tasks to run in parallel")
    build.set_defaults(handler=command_build)
    course_command("check", "list problems in the course", output=False).set_defaults(handler=command_check)
    course_command("clean", "remove built outputs").set_defaults(handler=command_clean)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

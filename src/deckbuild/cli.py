"""The `deckbuild` command: build, watch, check, publish and clean a course."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .course import STATE_DIR, discover, find_marp_decks, read_settings
from .diagnostics import Diagnostic, Severity, worst
from .interrupt import catch_ctrl_c, say_interrupted, stop_if_interrupted
from .invocation import bundle_problem, course_problem, folder_problem, output_problem
from .scan import readme_problems, scan_session
from .lms import IMAGE_FORMATS
from .runner import OUTPUT_KINDS, BuildResult, build_course, export_course_markdown, run_doit


# Builds are CPU-bound and their tasks independent, so by default every processor works.
DEFAULT_JOBS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _print_diagnostics(diagnostics: list[Diagnostic], stream=None) -> None:
    stream = stream or sys.stderr
    for diagnostic in sorted(set(diagnostics), key=lambda d: (str(d.file), d.line, d.message)):
        print(diagnostic.format(), file=stream)


def shard_option(text: str) -> tuple[int, int]:
    """`--shard 2/4` → (2, 4); argparse reports anything else."""
    try:
        index, _, count = text.partition("/")
        shard = int(index), int(count)
    except ValueError:
        shard = (0, 0)
    if not 1 <= shard[0] <= shard[1]:
        raise argparse.ArgumentTypeError(f"takes I/N with 1 <= I <= N, not {text}")
    return shard


def only_option(text: str) -> tuple[str, ...]:
    """`--only decks,handouts` → ('decks', 'handouts'); argparse reports unknown kinds."""
    only = tuple(kind.strip() for kind in text.split(","))
    unknown = [repr(kind) for kind in only if kind not in OUTPUT_KINDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"takes {', '.join(OUTPUT_KINDS)} (comma-separated), not {', '.join(unknown)}")
    return only


def jobs_option(text: str) -> int:
    """`-n 4` → 4; argparse reports anything but a whole number of at least 1."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"takes a whole number of tasks, 1 or more, not {text!r}")
    return jobs


def _summarise(result: BuildResult, strict: bool) -> int:
    """Print a build's diagnostics and summary line; the exit status it deserves."""
    _print_diagnostics(result.diagnostics)
    unique = set(result.diagnostics)
    errors = sum(d.severity == Severity.ERROR for d in unique)
    warnings = sum(d.severity == Severity.WARNING for d in unique)
    built = len(set(result.record.ran) - set(result.record.failed))
    print(
        f"deckbuild: {built} built, {len(result.record.up_to_date)} up to date, "
        f"{len(result.record.failed)} failed, {warnings} warnings, {errors} errors in {result.seconds:.1f} s",
        file=sys.stderr,
    )
    return 1 if result.status or errors or (strict and warnings) else 0


def command_build(args: argparse.Namespace) -> int:
    return _summarise(build_course(args.course, args.output, args.jobs, args.only, args.shard,
                                   fetch_remote=args.fetch_remote), args.strict)


def command_watch(args: argparse.Namespace) -> int:
    """Build, then rebuild on every change until interrupted."""
    from .watch import watch_course  # the file watcher loads only for this command

    def report(result: BuildResult, changed: set[str]) -> None:
        if changed:
            print(f"deckbuild: changed {', '.join(sorted(changed))}", file=sys.stderr)
        _summarise(result, strict=False)
        if result.record.ran:
            print(f"deckbuild: rebuilt {', '.join(result.record.ran)}", file=sys.stderr)
        print(f"deckbuild: watching {args.course} (Ctrl-C to stop)", file=sys.stderr, flush=True)

    watch_course(args.course, args.output, report, args.jobs, args.only, fetch_remote=args.fetch_remote)
    return 0


def course_diagnostics(course_root: Path) -> tuple[int, list[Diagnostic]]:
    """Every problem `check` knows for a course: layout, sessions, day READMEs, Marp decks; and the
    session count."""
    course = discover(course_root)
    diagnostics = list(course.diagnostics)
    for day in course.days:
        diagnostics.extend(readme_problems(day, course_root))
        for session in day.sessions:
            diagnostics.extend(scan_session(session.path, course_root).diagnostics)
    for deck in find_marp_decks(course_root, read_settings(course_root).decks):
        diagnostics.extend(scan_session(deck, course_root, is_session=False, marp=True).diagnostics)
    return len(course.sessions), sorted(set(diagnostics), key=lambda d: (str(d.file), d.line, d.message))


def command_check(args: argparse.Namespace) -> int:
    sessions, diagnostics = course_diagnostics(args.course)
    counts = {severity: sum(d.severity == severity for d in diagnostics) for severity in Severity}
    if args.format == "json":
        summary = {"sessions": sessions, "errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING],
                   "notes": counts[Severity.INFO]}
        json.dump({"diagnostics": [d.as_json() for d in diagnostics], "summary": summary}, sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
    else:
        _print_diagnostics(diagnostics, sys.stdout)
        print(f"{sessions} sessions: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
              f"{counts[Severity.INFO]} notes")
    failing = Severity.WARNING if args.strict else Severity.ERROR
    return 1 if diagnostics and worst(diagnostics) >= failing else 0


def command_publish(args: argparse.Namespace) -> int:
    """Build everything, then bundle it into the dist folder (both only when something changed);
    with --from, bundle what shard builds made, building nothing."""
    if args.shards:
        from .publish import ShardError, publish_from

        missing = [str(folder) for folder in args.shards if not folder.is_dir()]
        try:
            if missing:
                raise ShardError(f"no such shard folder: {', '.join(missing)}")
            artifacts = publish_from(args.course, args.shards, args.output)
        except ShardError as error:
            print(f"deckbuild: error: {error}", file=sys.stderr)
            return 1
        print(f"deckbuild: release bundle of {len(artifacts)} outputs from {len(args.shards)} shard folders in {args.output}",
              file=sys.stderr)
        return 0
    result = build_course(args.course, args.build_dir, args.jobs, dist=args.output, fetch_remote=args.fetch_remote)
    status = _summarise(result, args.strict)
    if status == 0 and (args.output / "SHA256SUMS").is_file():
        print(f"deckbuild: release bundle in {args.output}", file=sys.stderr)
    return status


def command_export_markdown(args: argparse.Namespace) -> int:
    """Write the course's markdown for an LMS (only what changed)."""
    status = _summarise(export_course_markdown(args.course, args.output, args.jobs, args.image_format, args.image_base_url),
                        strict=False)
    if status == 0:
        print(f"deckbuild: markdown with diagrams as {args.image_format.upper()} pictures in {args.output}", file=sys.stderr)
    return status


def command_clean(args: argparse.Namespace) -> int:
    if not (args.output / STATE_DIR).is_dir():
        print(f"deckbuild: nothing to clean: {args.output} holds no build", file=sys.stderr)
        return 0
    return 1 if run_doit(args.course, args.output, ["clean"]).status else 0


def invocation_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the folders a command was given, before anything is read or written."""
    problem = course_problem(args.course)
    if problem or args.command == "check":
        return problem
    if args.command == "clean":
        return folder_problem(args.output, "output folder", "-o")
    if args.command == "publish":
        return (output_problem(args.build_dir, args.course, "build folder", "--build-dir")
                or bundle_problem(args.output, args.build_dir, args.course))
    return output_problem(args.output, args.course)


def _build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-n", "--jobs", type=jobs_option, default=DEFAULT_JOBS,
                         help=f"tasks to run in parallel (default: the {DEFAULT_JOBS} processors this machine offers)")
    command.add_argument("--fetch-remote", action="store_true",
                         help="download http(s) pictures once into the build's cache (default: a placeholder)")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="deckbuild", description="Build decks from a course written in markdown.")
    main.add_argument("--version", action="version", version=f"deckbuild {__version__}")
    commands = main.add_subparsers(dest="command", required=True)

    def course_command(name: str, help_text: str, handler, output: str = "build", under=commands) -> argparse.ArgumentParser:
        sub = under.add_parser(name, help=help_text)
        sub.add_argument("course", nargs="?", type=Path, default=Path("slides"), help="course folder (default: slides)")
        if output:
            sub.add_argument("-o", "--output", type=Path, default=Path(output), help=f"output folder (default: {output})")
        sub.set_defaults(handler=handler, command_parser=sub)
        return sub

    build = course_command("build", "build what changed", command_build)
    _build_options(build)
    build.add_argument("--only", type=only_option, default=(),
                       help="build only these outputs: decks, slides, notes, handouts, assignments (comma-separated)")
    build.add_argument("--shard", type=shard_option,
                       help="build only part I of N (e.g. 2/4) for a CI matrix; the parts are disjoint")
    build.add_argument("--strict", action="store_true", help="fail when there are warnings, not only errors")
    watcher = course_command("watch", "build, then rebuild whenever a course file changes", command_watch)
    _build_options(watcher)
    watcher.add_argument("--only", type=only_option, default=(),
                         help="build only these outputs: decks, slides, notes, handouts, assignments (comma-separated)")
    check = course_command("check", "list problems in the course", command_check, output="")
    check.add_argument("--format", choices=("text", "json"), default="text", help="text lines or one JSON document")
    check.add_argument("--strict", action="store_true", help="fail when there are warnings, not only errors")
    release = course_command("publish", "build everything and bundle it for a release", command_publish, output="")
    release.add_argument("-o", "--output", type=Path, default=Path("dist"), help="bundle folder (default: dist)")
    release.add_argument("--build-dir", type=Path, default=Path("build"), help="build folder (default: build)")
    _build_options(release)
    release.add_argument("--strict", action="store_true", help="fail when there are warnings, not only errors")
    release.add_argument("--from", dest="shards", type=Path, nargs="+", metavar="DIR",
                         help="bundle the outputs of shard builds (build --shard I/N -o DIR) without building")
    course_command("clean", "remove built outputs", command_clean)
    export = commands.add_parser("export", help="write the course in another format")
    formats = export.add_subparsers(dest="export_format", metavar="FORMAT", required=True)
    lms = course_command("markdown", "every markdown file, Mermaid diagrams as pictures (for an LMS)", command_export_markdown,
                         output="lms", under=formats)
    lms.add_argument("--format", dest="image_format", choices=IMAGE_FORMATS, default="svg",
                     help="diagram pictures as SVG (default) or PNG")
    lms.add_argument("--image-base-url", default="", metavar="URL",
                     help="image links point at URL/<path in the export> (pictures served from a repository or CDN)")
    lms.add_argument("-n", "--jobs", type=jobs_option, default=DEFAULT_JOBS,
                     help=f"tasks to run in parallel (default: the {DEFAULT_JOBS} processors this machine offers)")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run one command. A mistaken command line is a usage error (exit 2) before anything is
    written; a file that cannot be read or written, or Ctrl-C, ends in one line, not a traceback."""
    args = parser().parse_args(argv)
    problem = invocation_problem(args)
    if problem:
        args.command_parser.error(problem)
    catch_ctrl_c()
    try:
        status = args.handler(args)
        stop_if_interrupted()
        return status
    except OSError as error:
        print(f"deckbuild: {error.filename}: {error.strerror}" if error.filename else f"deckbuild: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return say_interrupted()


if __name__ == "__main__":
    sys.exit(main())

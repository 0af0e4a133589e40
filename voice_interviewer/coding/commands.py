"""The `code-check` and `coding` subcommands. The main CLI registers them with
``commands.add_subcommands(sub)``; each handler returns the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import checker, spec

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser("code-check", help="run your solution to a coding problem against its hidden tests")
    p.add_argument("problem_id", metavar="PROBLEM_ID", help="see `coding list`")
    p.add_argument("file", metavar="FILE.py", type=Path, help="your solution: a Python file defining the function")
    p.add_argument("--no-scale", action="store_true", help="skip the scaling test")
    p.set_defaults(func=cmd_code_check)

    p = subparsers.add_parser("coding", help="the live coding problems: list, show, validate")
    p.add_argument("action", choices=["list", "show", "validate"])
    p.add_argument("problem_id", nargs="?", metavar="ID", help="for show")
    p.set_defaults(func=cmd_coding)


def _problem_or_none(problem_id: str):
    try:
        return spec.get_problem(problem_id)
    except spec.ProblemError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_code_check(args: argparse.Namespace) -> int:
    problem = _problem_or_none(args.problem_id)
    if problem is None:
        return EXIT_BAD_INPUT
    path: Path = args.file
    if path.suffix != ".py":
        print(f"error: {path} is not a Python file; save your solution as a .py file", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not path.is_file():
        print(f"error: {path} not found; write your solution there first", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {path} ({exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = checker.check(problem, source, with_scale=not args.no_scale)
    print(format_result(result))
    return EXIT_OK if result.all_passed else EXIT_FAILED


def format_result(result: checker.CheckResult) -> str:
    lines = [f"{result.problem_id}: {result.passed} passed, {result.failed} failed"]
    if result.kind != "ok":
        lines.append(f"  {result.message}")
    for shown in result.failures_shown():
        lines.append(f"  - {shown}")
    if result.scaling:
        s = result.scaling
        sizes = ", ".join(f"n={p.n:,}: {_seconds(p)}" for p in s.points)
        lines.append(f"scaling: {s.verdict}")
        lines.append(f"  {sizes}")
    if result.output:
        more = f" (of {result.output_chars:,} characters)" if result.output_chars > len(result.output) else ""
        lines.append(f"your code printed{more}:\n{result.output[:2000]}")
    lines.append(f"interviewer: {checker.spoken_summary(result)}")
    return "\n".join(lines)


def _seconds(point: checker.ScalePoint) -> str:
    if point.status == "ok":
        return f"{point.seconds * 1000:.1f} ms"
    if point.status == "projected" and point.seconds:
        return f"skipped (projected {point.seconds:.0f} s)"
    return point.status.replace("_", " ")


def cmd_coding(args: argparse.Namespace) -> int:
    try:
        problems = spec.load_problems()
    except spec.ProblemError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.action == "list":
        for p in problems:
            print(f"{p.id:26} {p.difficulty:7} {p.title}  [{', '.join(p.tags)}]")
        return EXIT_OK
    if args.action == "show":
        if not args.problem_id:
            print("error: coding show needs a problem id; see `coding list`", file=sys.stderr)
            return EXIT_BAD_INPUT
        problem = _problem_or_none(args.problem_id)
        if problem is None:
            return EXIT_BAD_INPUT
        print(spec.render_statement(problem))
        return EXIT_OK
    return validate(problems)


def validate(problems) -> int:
    if not problems:
        print(f"error: no coding problems found under {spec.PROBLEMS_DIR}; add one (docs/coding-round.md)",
              file=sys.stderr)
        return EXIT_FAILED
    bad = 0
    for report in checker.check_all(problems):
        if report.ok:
            naive = report.naive.scaling.verdict if report.naive and report.naive.scaling else "no naive solution"
            print(f"ok   {report.problem_id}: reference {report.reference.scaling.verdict}; naive {naive}")
        else:
            bad += 1
            print(f"FAIL {report.problem_id}:")
            for error in report.errors:
                print(f"       {error}")
    print(f"{len(problems) - bad} of {len(problems)} problems valid")
    return EXIT_OK if bad == 0 else EXIT_FAILED

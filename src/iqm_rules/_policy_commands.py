"""The ``iqm-rules policy``, ``test`` and ``what-if`` commands: thin edges over the library.

Exit status: 0 success; 1 lint found problems, a case failed or (for what-if) nothing else;
2 bad usage or unreadable input, one line on standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from iqm_rules._dates import parse_date
from iqm_rules.cases import coverage, run_cases
from iqm_rules.errors import IQMRulesError
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import load_history
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.policy_files import (
    WrittenBook,
    default_policy_text,
    differences,
    form_of,
    parse,
    read_policy_file,
    settings,
    value_text,
)
from iqm_rules.policy_lint import lint, lint_history
from iqm_rules.whatif import compare, csv_text, json_text, jsonl_lines, summarise, text

__all__ = ["COMMANDS", "run"]

COMMANDS = ("policy", "test", "what-if")


class _Usage(Exception):
    """Bad usage: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(f"{message} (see {self.prog} --help)")


def _day(text_: str) -> date:
    try:
        day = parse_date(text_)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if day is None:
        raise argparse.ArgumentTypeError(f"{text_!r} is not a date written YYYY-MM-DD")
    return day


def _parser() -> _Parser:
    parser = _Parser(prog="iqm-rules")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    policy = commands.add_parser("policy", help="show, compare and check policy files")
    actions = policy.add_subparsers(dest="action", required=True, parser_class=_Parser)
    show = actions.add_parser("show", help="the parameters in force and which policy set each")
    show.add_argument("file", nargs="?", metavar="FILE")
    show.add_argument("--default", action="store_true", help="print the shipped default file")
    show.add_argument("--on", type=_day, metavar="DATE", help="default: the latest policy")
    diff = actions.add_parser("diff", help="the parameters that differ between two files")
    diff.add_argument("a", metavar="A")
    diff.add_argument("b", metavar="B")
    diff.add_argument("--on", type=_day, metavar="DATE")
    check = actions.add_parser("lint", help="problems in a policy file, each with its path")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--history", metavar="FILE|IN.jsonl")
    test = commands.add_parser("test", help="run rule case files or directories")
    test.add_argument("paths", nargs="+", metavar="CASES")
    test.add_argument("--coverage", action="store_true")
    whatif = commands.add_parser("what-if", help="the schools a policy change would affect")
    whatif.add_argument("input", metavar="IN.jsonl|DIR")
    whatif.add_argument("--policy", required=True, metavar="NEW")
    whatif.add_argument("--base", metavar="OLD")
    whatif.add_argument("--as-of", type=_day, metavar="DATE")
    form = whatif.add_mutually_exclusive_group()
    for flag in ("--json", "--jsonl", "--csv"):
        form.add_argument(flag, action="store_true")
    return parser


def _book(file: str) -> WrittenBook:
    try:
        return read_policy_file(file)
    except IQMRulesError as error:
        raise IQMRulesError(f"{file}: {error}") from None


def _latest(policy: Policy | PolicyBook) -> date:
    if isinstance(policy, Policy):
        return policy.effective_from
    return max(p.effective_from for p in policy.policies)


def _show(args: argparse.Namespace) -> int:
    if args.default:
        sys.stdout.write(default_policy_text())
        return 0
    if args.file is None:
        raise _Usage("policy show needs FILE or --default")
    written = _book(args.file)
    on = args.on or _latest(written.book)
    rows = settings(written, on)
    print(f"in force on {on.isoformat()}: {rows[0].in_force}")
    width = max(len(r.name) for r in rows)
    for row in rows:
        how = (
            "default"
            if row.set_by is None
            else "set here"
            if row.set_by == row.in_force
            else f"inherited from {row.set_by}"
        )
        print(f"  {row.name.ljust(width)} = {value_text(row.value)}  ({how})")
    return 0


def _diff(args: argparse.Namespace) -> int:
    a, b = _book(args.a).book, _book(args.b).book
    on = args.on or max(_latest(a), _latest(b))
    left, right = a.in_force(on), b.in_force(on)
    names = differences(a, b, on)
    for name in names:
        shown = f"{value_text(left.parameter(name))} -> {value_text(right.parameter(name))}"
        print(f"{name}: {shown}")
    if not names:
        print(f"no parameter differs on {on.isoformat()}")
    return 0


def _histories(path: str) -> Iterator[tuple[str, SchoolHistory]]:
    source = Path(path)
    if source.is_dir():
        for file in sorted(source.glob("*.json")):
            yield f"{file}: ", load_history(file)
        return
    if source.suffix == ".jsonl":
        with source.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        yield f"{path}:{number}: ", load_history(line)
                    except IQMRulesError as error:
                        raise IQMRulesError(f"{path}:{number}: {error}") from None
        return
    yield f"{path}: ", load_history(source)


def _lint(args: argparse.Namespace) -> int:
    try:
        document = parse(Path(args.file).read_text("utf-8-sig"), form_of(args.file))
    except IQMRulesError as error:
        raise IQMRulesError(f"{args.file}: {error}") from None
    problems = list(lint(document))
    if args.history:
        problems += lint_history(document, _histories(args.history))
    for problem in problems:
        print(f"{args.file}: {problem}")
    return 1 if problems else 0


def _test(args: argparse.Namespace) -> int:
    results = run_cases(args.paths)
    for result in results:
        for mismatch in result.mismatches:
            print(f"FAIL {result.name}: {mismatch}")
    if args.coverage:
        seen = coverage(results)
        for label, have, never in (
            ("rules passing", seen.passing, seen.never_passing),
            ("rules failing", seen.failing, seen.never_failing),
            ("outcomes", [o.value for o in seen.outcomes], [o.value for o in seen.never_outcomes]),
            ("award states", [s.value for s in seen.states], [s.value for s in seen.never_states]),
            ("changes", [c.value for c in seen.changes], [c.value for c in seen.never_changes]),
        ):
            print(f"{label}: {', '.join(have) or '-'}; never: {', '.join(never) or '-'}")
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _whatif(args: argparse.Namespace) -> int:
    proposed = _book(args.policy).book
    base = _book(args.base).book if args.base else DEFAULT_POLICY
    as_of = args.as_of or date.today()
    changes = list(compare((h for _, h in _histories(args.input)), as_of, base, proposed))
    if args.jsonl:
        for line in jsonl_lines(changes):
            print(line)
    elif args.csv:
        sys.stdout.write(csv_text(changes))
    elif args.json:
        sys.stdout.write(json_text(changes, summarise(changes)))
    else:
        sys.stdout.write(text(changes, summarise(changes)))
    return 0


def run(argv: Sequence[str]) -> int:
    """Run one of :data:`COMMANDS`; errors are one line on standard error, exit status 2."""
    try:
        args = _parser().parse_args(argv)
        if args.command == "test":
            return _test(args)
        if args.command == "what-if":
            return _whatif(args)
        return {"show": _show, "diff": _diff, "lint": _lint}[args.action](args)
    except (_Usage, IQMRulesError, OSError) as error:
        print(f"iqm-rules: {error}", file=sys.stderr)
        return 2

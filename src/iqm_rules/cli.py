"""The ``iqm-rules`` command: status, decisions, timelines, the rulebook and batch runs.

A thin edge over the library: it reads files, writes text or JSON, and is the one place that
reads the clock (``--as-of`` defaults to today). Every command that reads a history takes a
``FILE`` (``-`` for standard input) or ``--example NAME`` (a bundled example).

Exit status: 0 success; 1 a recorded outcome disagrees with the rules, or a batch line failed;
2 bad usage or unreadable input. Errors are one line on standard error, never a traceback:

>>> main(["decide", "--example", "first-award", "--assessment", "nope"])
2
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import multiprocessing
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from types import FrameType
from typing import IO, Any, NoReturn, TextIO

from iqm_rules._dates import parse_date
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment
from iqm_rules.audit import Disagreement, audit, disagreements
from iqm_rules.awards import Award
from iqm_rules.decision import Decision, Finding
from iqm_rules.errors import IQMRulesError
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import (
    SCHEMAS,
    dump_decision,
    dump_history,
    dump_status,
    example_text,
    examples,
    load_history,
    load_policy,
    schema,
)
from iqm_rules.lifecycle import Change, StatusReport, status, timeline
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.rules import PARAMETERS, rules

__all__ = ["main"]

PROG = "iqm-rules"
_EXIT_DISAGREE = 1
_EXIT_USAGE = 2
_EXIT_INTERRUPTED = 130
_EXIT_TERMINATED = 143


class _Failure(Exception):
    """Bad usage or unreadable input: reported as one line, exit status 2."""


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like ``KeyboardInterrupt`` so that temporary files go."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors become :class:`_Failure` (no exit, no usage dump)."""

    def error(self, message: str) -> NoReturn:
        raise _Failure(f"{message} (see {self.prog} --help)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``iqm-rules`` with ``argv`` (default: the process arguments); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        code = run(args)
        sys.stdout.flush()
        return code
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    except (_Failure, IQMRulesError) as error:
        _complain(str(error))
        return _EXIT_USAGE
    except KeyboardInterrupt:
        _complain("interrupted")
        return _EXIT_INTERRUPTED
    except _Terminated:
        _complain("terminated")
        return _EXIT_TERMINATED
    except BrokenPipeError:
        _silence_stdout()
        _complain("output closed before everything was written")
        return _EXIT_DISAGREE


def _complain(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a reader closed the pipe, send what is left to /dev/null (no error at exit)."""
    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _today() -> date:
    """The only clock read of ``iqm_rules``: the default of ``--as-of``."""
    return date.today()


# --- Arguments ---------------------------------------------------------------------------------


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Inclusion Quality Mark award eligibility and renewals, rule by rule.",
        epilog=(
            "Exit status: 0 success; 1 a recorded outcome disagrees with the rules, or a batch "
            "line failed; 2 bad usage or unreadable input. Try: "
            f"{PROG} status --example flagship-journey"
        ),
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    sub = _command(commands, "status", _status, "what a school holds on a date (LC-5)")
    _history_source(sub)
    _as_of(sub)
    sub.add_argument("--json", action="store_true", help="print iqm-rules/status@1 JSON")

    sub = _command(commands, "decide", _decide, "one assessment's decision, rule by rule")
    _history_source(sub)
    sub.add_argument("--assessment", required=True, metavar="ID", help="the assessment's id")
    sub.add_argument("--json", action="store_true", help="print iqm-rules/decision@1 JSON")

    sub = _command(commands, "timeline", _timeline, "the school's journey, one change a line")
    _history_source(sub)

    sub = _command(commands, "rules", _rules, "the rulebook, from the rule registry")
    sub.add_argument("--markdown", action="store_true", help="print a Markdown page")
    _policy_option(sub)
    sub.add_argument(
        "--as-of",
        type=_a_date,
        metavar="DATE",
        help="with --policy, the policy in force on DATE (default: today)",
    )

    sub = _command(commands, "schema", _schema, "the JSON Schema of a format")
    sub.add_argument("name", choices=SCHEMAS)

    sub = _command(commands, "example", _example, "list the bundled examples, or print one")
    sub.add_argument("name", nargs="?", metavar="NAME", help="the example to print")

    sub = _command(
        commands, "audit", _audit, "recorded outcomes that disagree with the rules (exit 1)"
    )
    _history_source(sub)

    sub = _command(
        commands,
        "batch",
        _batch,
        "one history a line in (JSON Lines), one status a line out",
        epilog=(
            "A line that cannot be read or decided is reported on standard error with its line "
            "number and produces no output line; the others are still processed and the exit "
            "status is 1. Blank lines are skipped. With -o, the output appears under its name "
            "only once the run is complete."
        ),
    )
    sub.add_argument(
        "input", nargs="?", metavar="IN.jsonl", help="histories, one a line; - for stdin"
    )
    sub.add_argument(
        "--example", metavar="NAME", help="a bundled example, as one line, instead of IN.jsonl"
    )
    _as_of(sub)
    _policy_option(sub)
    sub.add_argument("-o", "--output", metavar="OUT.jsonl", help="output file (default: stdout)")
    sub.add_argument(
        "--jobs", type=_positive, default=1, metavar="N", help="worker processes (default: 1)"
    )
    return parser


def _command(
    commands: Any,
    name: str,
    run: Callable[[argparse.Namespace], int],
    summary: str,
    epilog: str | None = None,
) -> _Parser:
    sub: _Parser = commands.add_parser(name, help=summary, description=summary, epilog=epilog)
    sub.set_defaults(run=run)
    return sub


def _history_source(sub: _Parser) -> None:
    sub.add_argument("file", nargs="?", metavar="FILE", help="a history document; - for stdin")
    sub.add_argument("--example", metavar="NAME", help="a bundled example instead of FILE")
    _policy_option(sub)


def _policy_option(sub: _Parser) -> None:
    sub.add_argument(
        "--policy",
        metavar="FILE",
        help="an iqm-rules/policy@1 document (default: policy iqm-2025.1 on every date)",
    )


def _as_of(sub: _Parser) -> None:
    sub.add_argument("--as-of", type=_a_date, metavar="DATE", help="YYYY-MM-DD (default: today)")


def _a_date(text: str) -> date:
    """A ``YYYY-MM-DD`` calendar date, for ``--as-of``."""
    try:
        day = parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a calendar date") from None
    if day is None:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, got {text!r}")
    return day


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 1, got {text!r}")
    return int(text)


# --- Reading histories -------------------------------------------------------------------------


def _history(args: argparse.Namespace) -> SchoolHistory:
    """The history named by ``FILE`` or ``--example``; exit status 2 if it cannot be read."""
    name: str | None = args.example
    file: str | None = args.file
    if name is not None and file is not None:
        raise _Failure(f"give FILE or --example, not both (got {file!r} and {name!r})")
    source: str | bytes
    if name is not None:
        if name not in examples():
            raise _Failure(f"--example: no example {name!r}; the examples are {_examples()}")
        source = example_text(name)
    elif file is None:
        raise _Failure("give a history FILE, - for standard input, or --example NAME")
    elif file == "-":
        source = sys.stdin.buffer.read()
    else:
        source = _read(file)
    return load_history(source)


def _policy(args: argparse.Namespace) -> Policy | PolicyBook:
    """The policy book named by ``--policy``, or the default policy on every date."""
    return _chosen_policy(_policy_text(args))


def _policy_text(args: argparse.Namespace) -> tuple[str, str] | None:
    """The ``--policy`` file's name and text, if one was given."""
    file: str | None = args.policy
    if file is None:
        return None
    return file, _read(file).decode("utf-8", errors="replace")


def _chosen_policy(given: tuple[str, str] | None) -> Policy | PolicyBook:
    return DEFAULT_POLICY if given is None else _policy_from(given[1], given[0])


@functools.cache
def _policy_from(text: str, file: str) -> PolicyBook:
    """The book in ``text``, read once per process (batch workers each read it once)."""
    try:
        return load_policy(text)
    except IQMRulesError as error:
        raise _Failure(f"--policy {file}: {error}") from None


def _read(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise _Failure(f"cannot read {file}: {error.strerror or error}") from None


def _examples() -> str:
    return ", ".join(examples())


# --- status, decide, timeline, audit -------------------------------------------------------------


def _status(args: argparse.Namespace) -> int:
    history = _history(args)
    as_of: date = args.as_of or _today()
    report = status(history, as_of, _policy(args))
    found = disagreements(history, report.decisions)
    if args.json:
        _write(dump_status(report))
        _disagreements_to_stderr(found)
    else:
        _write(_status_text(history, report, found))
    return _EXIT_DISAGREE if found else 0


def _decide(args: argparse.Namespace) -> int:
    history = _history(args)
    wanted: str = args.assessment
    try:
        assessment = history.assessment(wanted)
    except KeyError:
        ids = [event.id for event in history.events if isinstance(event, Assessment)]
        raise _Failure(
            f"--assessment: no assessment {wanted!r} in this history; "
            f"the assessments are {', '.join(ids) or 'none'}"
        ) from None
    report = status(history, assessment.held_on, _policy(args))
    decision = next(d for d in report.decisions if d.assessment_id == wanted)
    found = disagreements(history, (decision,))
    if args.json:
        _write(dump_decision(decision))
        _disagreements_to_stderr(found)
    else:
        _write(_decision_text(history, assessment, decision, found))
    return _EXIT_DISAGREE if found else 0


def _timeline(args: argparse.Namespace) -> int:
    history = _history(args)
    _write(_timeline_text(history, timeline(history, _policy(args))))
    return 0


def _audit(args: argparse.Namespace) -> int:
    history = _history(args)
    found = audit(history, _policy(args))
    compared = sum(
        1
        for event in history.events
        if isinstance(event, Assessment) and event.recorded_outcome is not None
    )
    lines = [_school(history)]
    if found:
        lines.append(_audit_heading(found, compared))
        lines += _disagreement_lines(found)
    elif compared:
        lines.append(f"every recorded outcome agrees with the rules ({_n(compared, 'compared')})")
    else:
        lines.append("no assessment has a recorded outcome: nothing to compare")
    _write("\n".join(lines))
    return _EXIT_DISAGREE if found else 0


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _disagreements_to_stderr(found: Sequence[Disagreement]) -> None:
    for item in found:
        print(f"{PROG}: disagreement: {item.describe()}", file=sys.stderr)


# --- Text reports --------------------------------------------------------------------------------


def _school(history: SchoolHistory) -> str:
    school = history.school
    return f"{school.id} ({school.name})" if school.name else school.id


def _level(level: Award | None) -> str:
    return level.value if level is not None else "none"


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else "-"


def _n(number: int, what: str) -> str:
    return f"{number} {what}"


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def _finding_line(finding: Finding) -> list[str]:
    mark = "✓" if finding.passed else "✗"
    return [f"{mark} {finding.rule}", finding.level.value, finding.message]


def _status_text(
    history: SchoolHistory, report: StatusReport, found: Sequence[Disagreement]
) -> str:
    lines = [
        f"School    {_school(history)}",
        f"As of     {report.as_of.isoformat()}",
        f"Policy    {report.policy_id}",
        f"Level     {_level(report.level)}",
        "",
        "Awards",
    ]
    rows = [["award", "state", "since", "due", "lapses on", "ended on"]]
    rows += [
        [
            a.award.value,
            a.state.value,
            _day(a.since),
            _day(a.due),
            _day(a.lapses_on),
            _day(a.ended_on),
        ]
        for a in report.awards
    ]
    lines += _table(rows)
    lines.append("")
    if report.flagship_eligible_from is not None:
        lines.append(
            f"Flagship eligible from {report.flagship_eligible_from.isoformat()} (LC-7, FS-4)"
        )
    else:
        lines.append("Flagship eligible from: - (centre_of_excellence not held, LC-7)")
    lines += ["", f"Decisions ({len(report.decisions)} applied up to {report.as_of.isoformat()})"]
    kinds = {e.id: e.kind for e in history.events if isinstance(e, Assessment)}
    for decision in report.decisions:
        lines.append(
            f"  {decision.held_on.isoformat()}  {decision.assessment_id}  "
            f"{kinds[decision.assessment_id].value}, seeks {decision.level_sought.value}: "
            f"{decision.outcome.value}, awarded {_level(decision.awarded_level)}"
        )
        if decision.failing:
            lines += _table([_finding_line(f) for f in decision.failing], indent="      ")
    if not report.decisions:
        lines.append("  none")
    applied = {d.assessment_id for d in report.decisions}
    compared = sum(
        1
        for e in history.events
        if isinstance(e, Assessment) and e.recorded_outcome is not None and e.id in applied
    )
    lines.append("")
    if found:
        lines.append(_audit_heading(found, compared))
        lines += _disagreement_lines(found)
    elif compared:
        lines.append(f"Audit: every recorded outcome agrees with the rules ({compared} compared)")
    return "\n".join(lines)


def _audit_heading(found: Sequence[Disagreement], compared: int) -> str:
    return (
        f"Audit: {len(found)} of {compared} recorded outcomes "
        f"{'disagrees' if len(found) == 1 else 'disagree'} with the rules"
    )


def _disagreement_lines(found: Sequence[Disagreement]) -> list[str]:
    lines: list[str] = []
    for item in found:
        lines.append(f"  {item.describe()}")
        if item.failing:
            lines += _table([_finding_line(f) for f in item.failing], indent="      ")
    return lines


def _decision_text(
    history: SchoolHistory,
    assessment: Assessment,
    decision: Decision,
    found: Sequence[Disagreement],
) -> str:
    lines = [
        f"Assessment {decision.assessment_id} of {_school(history)}",
        f"Held on   {decision.held_on.isoformat()} ({assessment.kind.value})",
        f"Seeks     {decision.level_sought.value}",
        f"Policy    {decision.policy_id}",
        f"Outcome   {decision.outcome.value}: awarded {_level(decision.awarded_level)}",
        "",
        "Findings",
    ]
    lines += _table([_finding_line(f) for f in decision.findings])
    if decision.ignored_evidence:
        lines += ["", f"Ignored evidence (not recent): {', '.join(decision.ignored_evidence)}"]
    shortfalls = decision.shortfalls()
    lines += ["", f"Shortfalls for {decision.level_sought.value}"]
    if shortfalls:
        lines += _table([[s.rule, s.level.value, s.action] for s in shortfalls])
    else:
        lines.append("  none: every rule up to the level sought passes")
    if found:
        lines += ["", _audit_heading(found, 1), *_disagreement_lines(found)]
    return "\n".join(lines)


def _timeline_text(history: SchoolHistory, changes: Sequence[Change]) -> str:
    lines = [f"Timeline of {_school(history)}"]
    if not changes:
        return "\n".join([*lines, "  no changes"])
    rows = [["date", "award", "change", "rule", "event", "detail"]]
    for change in changes:
        event = change.assessment_id or (
            f"events[{change.event_index}]" if change.event_index is not None else ""
        )
        rows.append(
            [
                change.on.isoformat(),
                change.award.value,
                change.kind.value,
                change.rule,
                event or "-",
                change.detail,
            ]
        )
    return "\n".join(lines + _table(rows))


# --- rules, schema, example ----------------------------------------------------------------------


def _value(value: object) -> str:
    """A policy parameter's value, as JSON words: ``inclusive_school 3, ...``."""
    if isinstance(value, Term):
        return value.value
    if isinstance(value, Mapping):
        return ", ".join(f"{_value(k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, frozenset | set | tuple):
        return ", ".join(sorted(_value(member) for member in value)) or "none"
    return str(value)


def _rules(args: argparse.Namespace) -> int:
    chosen = _policy(args)
    policy = chosen if isinstance(chosen, Policy) else chosen.in_force(args.as_of or _today())
    _write(_rules_markdown(policy) if args.markdown else _rules_text(policy))
    return 0


def _rules_text(policy: Policy) -> str:
    lines = [f"Rules under policy {policy.id}", ""]
    rows = [["rule", "level", "title", "parameters"]]
    for entry in rules():
        params = "; ".join(f"{p} = {_value(policy.parameter(p))}" for p in entry.parameters)
        rows.append([entry.id, entry.level.value, entry.title, params or "-"])
    lines += _table(rows)
    return "\n".join(lines)


def _rules_markdown(policy: Policy) -> str:
    """The rulebook page ``docs/rules.md``: generated from the registry, never written twice."""
    lines = [
        "# The rules",
        "",
        f"Generated from the rule registry by `{PROG} rules --markdown`; do not edit by hand.",
        f"Parameter values are those of policy `{policy.id}` (RULEBOOK §2).",
        "",
        "| rule | level | title | parameters |",
        "| --- | --- | --- | --- |",
    ]
    for entry in rules():
        params = "; ".join(f"`{p}` = {_value(policy.parameter(p))}" for p in entry.parameters)
        lines.append(f"| {entry.id} | {entry.level.value} | {entry.title} | {params or '—'} |")
    for entry in rules():
        lines += [
            "",
            f"## {entry.id}: {entry.title}",
            "",
            f"- **Level:** {entry.level.value}",
            f"- **Passes when:** {entry.text}",
        ]
        if entry.parameters:
            lines.append("- **Parameters:**")
            lines += [
                f"  - `{p}` = {_value(policy.parameter(p))}: {PARAMETERS[p].description}"
                for p in entry.parameters
            ]
        lines.append(f"- **Source:** {entry.source}")
    lines += [
        "",
        "## Policy parameters",
        "",
        f"| parameter | value in `{policy.id}` | meaning | used by |",
        "| --- | --- | --- | --- |",
    ]
    for name, parameter in PARAMETERS.items():
        lines.append(
            f"| `{name}` | {_value(policy.parameter(name))} | {parameter.description} "
            f"| {', '.join(parameter.used_by)} |"
        )
    return "\n".join(lines)


def _schema(args: argparse.Namespace) -> int:
    _write(json.dumps(schema(args.name), indent=2, ensure_ascii=False))
    return 0


def _example(args: argparse.Namespace) -> int:
    name: str | None = args.name
    if name is None:
        _write("\n".join(examples()))
        return 0
    if name not in examples():
        raise _Failure(f"no example {name!r}; the examples are {_examples()}")
    _write(example_text(name))
    return 0


# --- batch ---------------------------------------------------------------------------------------

_CHUNK = 16
"""Lines sent to a worker at a time with ``--jobs``."""

_IN_FLIGHT_PER_JOB = 8 * _CHUNK
"""Lines read ahead per worker: what bounds memory however long the input is."""

_Result = tuple[int, int, str | None, str | None]
"""A batch line's number, its size in bytes, and its status JSON or its error."""


def _batch(args: argparse.Namespace) -> int:
    as_of: date = args.as_of or _today()
    jobs: int = args.jobs
    policy = _policy_text(args)
    _chosen_policy(policy)
    with (
        _opened(args.input, args.example) as source,
        _sigterm_unwinds(),
        _progress(source) as progress,
        _replaced(args.output) as out,
    ):
        failed, total = _run_batch(source, out, as_of, policy, jobs, progress)
    if failed:
        progress.say(f"{PROG}: {failed} of {_n(total, 'lines')} failed; they have no output line")
    return _EXIT_DISAGREE if failed else 0


@contextmanager
def _opened(name: str | None, example: str | None) -> Iterator[IO[bytes]]:
    """The batch input: a file, standard input, or a bundled example as a one-line input."""
    if example is not None:
        if name is not None:
            raise _Failure(f"give IN.jsonl or --example, not both (got {name!r} and {example!r})")
        if example not in examples():
            raise _Failure(f"--example: no example {example!r}; the examples are {_examples()}")
        yield io.BytesIO(dump_history(load_history(example_text(example))).encode() + b"\n")
        return
    if name is None:
        raise _Failure("give IN.jsonl, - for standard input, or --example NAME")
    if name == "-":
        yield sys.stdin.buffer
        return
    try:
        source = open(name, "rb")  # noqa: SIM115
    except OSError as error:
        raise _Failure(f"cannot read {name}: {error.strerror or error}") from None
    with source:
        yield source


@contextmanager
def _replaced(target: str | None) -> Iterator[TextIO]:
    """Standard output, or a temporary file beside ``target`` moved onto it only on success.

    Any exception, ``KeyboardInterrupt`` or SIGTERM (see :func:`_sigterm_unwinds`) on the way
    removes the temporary file: ``target`` is never left half written.
    """
    if target is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as error:
        raise _Failure(f"cannot write {target}: {error.strerror or error}") from None
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with open(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (read by setting it, so set it straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While running, SIGTERM raises :class:`_Terminated` so that clean-ups run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Progress:
    """A progress bar on standard error when it is a terminal and ``tqdm`` is installed."""

    def __init__(self, bar: Any | None) -> None:
        self._bar = bar

    def advance(self, size: int) -> None:
        if self._bar is not None:
            self._bar.update(size)

    def say(self, message: str) -> None:
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)


@contextmanager
def _progress(source: IO[bytes]) -> Iterator[_Progress]:
    if not sys.stderr.isatty():
        yield _Progress(None)
        return
    try:
        from tqdm import tqdm
    except ImportError:
        yield _Progress(None)
        return
    bar = tqdm(total=_size(source), unit="B", unit_scale=True, desc=PROG, file=sys.stderr)
    try:
        yield _Progress(bar)
    finally:
        bar.close()


def _size(source: IO[bytes]) -> int | None:
    try:
        info = os.fstat(source.fileno())
    except (OSError, io.UnsupportedOperation):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _run_batch(
    source: IO[bytes],
    out: TextIO,
    as_of: date,
    policy: tuple[str, str] | None,
    jobs: int,
    progress: _Progress,
) -> tuple[int, int]:
    """Write one status line per good input line, in input order; return (failed, total)."""
    work = functools.partial(_status_line, as_of, policy)
    failed = total = 0

    def record(results: Iterable[_Result], done: Callable[[], object]) -> None:
        nonlocal failed, total
        for number, size, output, problem in results:
            total += 1
            if output is not None:
                out.write(output)
                out.write("\n")
            else:
                failed += 1
                progress.say(f"line {number}: {problem}")
            progress.advance(size)
            done()

    lines = _numbered(source)
    if jobs == 1:
        record(map(work, lines), lambda: None)
        return failed, total
    slots = threading.BoundedSemaphore(jobs * _IN_FLIGHT_PER_JOB)
    stop = threading.Event()
    with multiprocessing.Pool(jobs, initializer=_worker_started) as pool:
        try:
            record(pool.imap(work, _throttled(lines, slots, stop), chunksize=_CHUNK), slots.release)
        finally:
            stop.set()
    return failed, total


def _numbered(source: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based line numbers, read one at a time."""
    for number, line in enumerate(source, start=1):
        if line.strip():
            yield number, line


def _throttled(
    lines: Iterator[tuple[int, bytes]], slots: threading.BoundedSemaphore, stop: threading.Event
) -> Iterator[tuple[int, bytes]]:
    """``lines``, each only once a slot is free: the pool's feeder cannot read ahead unbounded.

    Runs in the pool's feeder thread; gives up when ``stop`` is set so the pool can shut down.
    """
    for line in lines:
        while not slots.acquire(timeout=0.05):
            if stop.is_set():
                return
        if stop.is_set():
            return
        yield line


def _worker_started() -> None:
    """In a worker: Ctrl-C is the parent's to handle; SIGTERM (from the pool) just ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _status_line(as_of: date, policy: tuple[str, str] | None, item: tuple[int, bytes]) -> _Result:
    """The status JSON of one batch line, or what is wrong with it."""
    number, line = item
    try:
        report = status(load_history(line), as_of, _chosen_policy(policy))
        return number, len(line), dump_status(report), None
    except IQMRulesError as error:
        return number, len(line), None, str(error)
    except Exception as error:  # one bad line must not stop the others
        return number, len(line), None, f"cannot decide: {type(error).__name__}: {error}"

"""Rule cases as data: files that pin what the rules must decide, checked by a runner.

A case file (TOML, or JSON with the same keys) holds ``[[cases]]`` and, optionally, named
inline histories under ``[histories.NAME]``. Each case names a history (inline, the name of one
of those, a path relative to the case file, or ``{example = "NAME"}``), an optional policy
(inline overrides of the defaults, a book with ``policies``, or a path to a policy file) and what
it expects (``[cases.expect]``):

- ``status``: on given dates, the ``level``, ``flagship_eligible_from``, ``policy_id`` and, per
  award under ``awards.NAME``, its ``state``, ``since``, ``due``, ``lapses_on`` and ``ended_on``;
- ``decisions``: for an ``assessment`` id, its ``awarded_level``, ``outcome``, the exact set of
  ``failing`` rules and of ``ignored_evidence``;
- ``timeline``: changes (``on``, ``award``, ``kind``, optionally ``rule``) that must appear;
- ``error``: the ``path`` (and optionally text the message ``contains``) a bad history gives.

``"none"`` (or JSON ``null``) stands for an empty value. Only what a case states is checked.
Inline histories are interchange documents (RULEBOOK §6) with three conveniences for hand
writing: ``format`` and an event's ``type`` may be left out, ``judgements`` may give the others
with ``"*"``, and ``evidence`` may hold ``"complete"``, which adds (after the items written) two
items per element, each supporting every principle, in the four voices, collected on ``held_on``.

:func:`run_cases` gives one :class:`CaseResult` per case; each :class:`Mismatch` says where in
the case file the expectation was written (``cases/fs4.toml: cases[2].expect.status[0].level``).
:func:`coverage` says which rules, outcomes, states and change kinds the cases saw, and which
they never did. Reading the files (their data, histories, policies, directories) is
:mod:`iqm_rules.auditing.case_files`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

from attrs import field, frozen

from iqm_rules._terms import Term
from iqm_rules.auditing.case_files import (
    CaseError,
    case_files,
    case_history,
    case_policy,
    items,
    read,
    table,
)
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Outcome
from iqm_rules.decisions.rules import rules
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import structure
from iqm_rules.lifecycle.replay import AwardState, Change, ChangeKind, Replay, StatusReport, replay

__all__ = [
    "CaseResult",
    "Coverage",
    "Mismatch",
    "Seen",
    "coverage",
    "coverage_of",
    "run_case_file",
    "run_cases",
]

NONE: Final = "none"

_CASE_KEYS: Final = frozenset({"name", "description", "history", "policy", "expect"})
_EXPECT_KEYS: Final = frozenset({"status", "decisions", "timeline", "error"})
_STATUS_KEYS: Final = frozenset({"on", "level", "flagship_eligible_from", "policy_id", "awards"})
_AWARD_KEYS: Final = frozenset({"state", "since", "due", "lapses_on", "ended_on"})
_DECISION_KEYS: Final = frozenset(
    {"assessment", "awarded_level", "outcome", "failing", "ignored_evidence", "policy_id"}
)
_TIMELINE_KEYS: Final = frozenset({"on", "award", "kind", "rule", "assessment"})
_ERROR_KEYS: Final = frozenset({"path", "contains"})


@frozen
class Mismatch:
    """One expectation not met: where it is written, what it said and what the rules gave."""

    where: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.where}: expected {self.expected}, got {self.actual}"


@frozen
class Seen:
    """What one case's history made happen, for :func:`coverage`."""

    passing: frozenset[str] = frozenset()
    failing: frozenset[str] = frozenset()
    outcomes: frozenset[Outcome] = frozenset()
    states: frozenset[AwardState] = frozenset()
    changes: frozenset[ChangeKind] = frozenset()


def _mismatches(found: Iterable[Mismatch]) -> tuple[Mismatch, ...]:
    return tuple(found)


@frozen
class CaseResult:
    """The result of one case: ``passed`` when it has no mismatch."""

    file: str
    index: int
    name: str
    mismatches: tuple[Mismatch, ...] = field(converter=_mismatches)
    seen: Seen = Seen()

    @property
    def passed(self) -> bool:
        """Whether every expectation of the case was met."""
        return not self.mismatches


@frozen
class Coverage:
    """What a set of cases saw, and what it never did (each in rulebook or vocabulary order)."""

    passing: tuple[str, ...]
    failing: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    states: tuple[AwardState, ...]
    changes: tuple[ChangeKind, ...]
    never_passing: tuple[str, ...]
    never_failing: tuple[str, ...]
    never_outcomes: tuple[Outcome, ...]
    never_states: tuple[AwardState, ...]
    never_changes: tuple[ChangeKind, ...]


# Comparing


def _shown(value: object) -> str:
    """A value as the case file would write it."""
    if value is None:
        return NONE
    if isinstance(value, Term):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(sorted(_shown(v) for v in value)) + "]"
    return str(value)


def _expected(value: object, kind: Callable[[object], object] | None, where: str) -> str:
    """An expected value, checked against its kind, as shown text."""
    if value is None or value == NONE:
        return NONE
    if kind is None:
        return _shown(value)
    try:
        return _shown(kind(value))
    except InvalidRecord as error:
        raise CaseError(where, error.problem) from None


def _of(cls: type) -> Callable[[object], object]:
    return lambda value: structure(value, cls)


def _strings(value: object) -> object:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidRecord("", f"must be a list of text, got {value!r}")
    return value


def _rule_ids(value: object) -> object:
    known = {r.id for r in rules()}
    for item in _strings(value):  # type: ignore[attr-defined]
        if item not in known:
            raise InvalidRecord("", f"unknown rule {item!r}; rules: {', '.join(sorted(known))}")
    return value


def _check(
    found: list[Mismatch],
    where: str,
    written: Mapping[str, Any],
    key: str,
    kind: Callable[[object], object] | None,
    actual: object,
) -> None:
    if key not in written:
        return
    expected = _expected(written[key], kind, f"{where}.{key}")
    shown = _shown(actual)
    if expected != shown:
        found.append(Mismatch(f"{where}.{key}", expected, shown))


def _check_status(found: list[Mismatch], where: str, written: object, run: Replay) -> StatusReport:
    entry = table(written, where, _STATUS_KEYS)
    if "on" not in entry:
        raise CaseError(f"{where}.on", "required key missing: the date of the status")
    on = _expected(entry["on"], _of(date), f"{where}.on")
    report = run.status(date.fromisoformat(on))
    _check(found, where, entry, "level", _of(Award), report.level)
    _check(found, where, entry, "flagship_eligible_from", _of(date), report.flagship_eligible_from)
    _check(found, where, entry, "policy_id", None, report.policy_id)
    awards = table(entry.get("awards", {}), f"{where}.awards", frozenset(a.value for a in Award))
    for name, fields in awards.items():
        here = f"{where}.awards.{name}"
        status = report.award(structure(name, Award))
        fields_written = table(fields, here, _AWARD_KEYS)
        _check(found, here, fields_written, "state", _of(AwardState), status.state)
        for key in ("since", "due", "lapses_on", "ended_on"):
            _check(found, here, fields_written, key, _of(date), getattr(status, key))
    return report


def _check_decision(
    found: list[Mismatch], where: str, written: object, decisions: Mapping[str, Decision]
) -> None:
    entry = table(written, where, _DECISION_KEYS)
    assessment = entry.get("assessment")
    if not isinstance(assessment, str):
        raise CaseError(f"{where}.assessment", "required: the id of an assessment of the history")
    decision = decisions.get(assessment)
    if decision is None:
        raise CaseError(f"{where}.assessment", f"no assessment {assessment!r} in the history")
    _check(found, where, entry, "awarded_level", _of(Award), decision.awarded_level)
    _check(found, where, entry, "outcome", _of(Outcome), decision.outcome)
    _check(found, where, entry, "policy_id", None, decision.policy_id)
    _check(found, where, entry, "failing", _rule_ids, [f.rule for f in decision.failing])
    _check(found, where, entry, "ignored_evidence", _strings, decision.ignored_evidence)


def _change_text(change: Change) -> str:
    return f"{change.on.isoformat()} {change.award.value} {change.kind.value} ({change.rule})"


def _check_timeline(
    found: list[Mismatch], where: str, written: object, changes: Sequence[Change]
) -> None:
    entry = table(written, where, _TIMELINE_KEYS)
    for key in ("on", "award", "kind"):
        if key not in entry:
            raise CaseError(f"{where}.{key}", "required key missing")
    on = _expected(entry["on"], _of(date), f"{where}.on")
    award = _expected(entry["award"], _of(Award), f"{where}.award")
    kind = _expected(entry["kind"], _of(ChangeKind), f"{where}.kind")
    wanted = {"on": on, "award": award, "kind": kind}
    if "rule" in entry:
        wanted["rule"] = str(entry["rule"])
    if "assessment" in entry:
        wanted["assessment"] = str(entry["assessment"])
    for change in changes:
        have = {
            "on": change.on.isoformat(),
            "award": change.award.value,
            "kind": change.kind.value,
            "rule": change.rule,
            "assessment": _shown(change.assessment_id),
        }
        if all(have[k] == v for k, v in wanted.items()):
            return
    same_day = [_change_text(c) for c in changes if c.on.isoformat() == on]
    found.append(
        Mismatch(
            where,
            " ".join(wanted.values()),
            "on that day: " + ("; ".join(same_day) if same_day else "no change"),
        )
    )


def _seen(run: Replay, reports: Iterable[StatusReport]) -> Seen:
    decisions = run.status(date.max).decisions
    findings = [f for d in decisions for f in d.findings]
    states = {s.state for r in reports for s in r.awards}
    states |= {s.state for c in run.changes for s in run.status(c.on).awards}
    return Seen(
        passing=frozenset(f.rule for f in findings if f.passed),
        failing=frozenset(f.rule for f in findings if not f.passed),
        outcomes=frozenset(d.outcome for d in decisions),
        states=frozenset(states),
        changes=frozenset(c.kind for c in run.changes),
    )


def _run(
    case: Mapping[str, Any], where: str, base: Path, named: Mapping[str, Any]
) -> tuple[list[Mismatch], Seen]:
    expect = table(case.get("expect", {}), f"{where}.expect", _EXPECT_KEYS)
    policy = case_policy(case.get("policy"), f"{where}.policy", base)
    error = expect.get("error")
    found: list[Mismatch] = []
    try:
        history = case_history(case.get("history"), f"{where}.history", base, named)
        run = replay(history, policy) if policy is not None else replay(history)
    except InvalidRecord as raised:
        if error is None:
            return [Mismatch(f"{where}.history", "a valid history", str(raised))], Seen()
        _check_error(found, f"{where}.expect.error", error, raised)
        return found, Seen()
    except (ArithmeticError, ValueError) as crashed:  # a rule crashed: the case shows it
        expected = "a valid history" if error is None else _error_text(error)
        return [Mismatch(f"{where}.history", expected, f"crashed: {crashed!r}")], Seen()
    if error is not None:
        found.append(Mismatch(f"{where}.expect.error", _error_text(error), "no error"))
    reports = [
        _check_status(found, f"{where}.expect.status[{n}]", entry, run)
        for n, entry in enumerate(items(expect.get("status", []), f"{where}.expect.status"))
    ]
    decisions = {d.assessment_id: d for d in run.status(date.max).decisions}
    for n, entry in enumerate(items(expect.get("decisions", []), f"{where}.expect.decisions")):
        _check_decision(found, f"{where}.expect.decisions[{n}]", entry, decisions)
    for n, entry in enumerate(items(expect.get("timeline", []), f"{where}.expect.timeline")):
        _check_timeline(found, f"{where}.expect.timeline[{n}]", entry, run.changes)
    return found, _seen(run, reports)


def _error_text(error: object) -> str:
    if isinstance(error, Mapping):
        return f"an error at {error.get('path')}"
    return f"an error at {error}"


def _check_error(found: list[Mismatch], where: str, error: object, raised: InvalidRecord) -> None:
    entry = table({"path": error} if isinstance(error, str) else error, where, _ERROR_KEYS)
    if "path" not in entry:
        raise CaseError(f"{where}.path", "required: the path the error must name")
    if raised.path != entry["path"]:
        found.append(Mismatch(f"{where}.path", str(entry["path"]), f"{raised.path} ({raised})"))
    contains = entry.get("contains")
    if contains is not None and str(contains) not in raised.problem:
        found.append(Mismatch(f"{where}.contains", str(contains), raised.problem))


def run_case_file(path: str | os.PathLike[str]) -> tuple[CaseResult, ...]:
    """Run every case of one file; a file that cannot be read is one failed result."""
    name = str(path)
    file = Path(path)
    try:
        document = table(read(file), "", frozenset({"cases", "histories"}))
        cases = items(document.get("cases"), "cases")
        named = table(
            document.get("histories", {}), "histories", frozenset(document.get("histories", {}))
        )
    except (CaseError, InvalidRecord, OSError, UnicodeDecodeError) as error:
        where = getattr(error, "where", getattr(error, "path", ""))
        problem = getattr(error, "problem", str(error))
        return (
            CaseResult(name, 0, file.stem, (Mismatch(f"{name}: {where}", "a case file", problem),)),
        )
    results: list[CaseResult] = []
    for index, case in enumerate(cases):
        where = f"cases[{index}]"
        title = case.get("name", where) if isinstance(case, Mapping) else where
        try:
            table(case, where, _CASE_KEYS)
            found, seen = _run(case, where, file.parent, named)
        except CaseError as error:
            found, seen = [Mismatch(error.where, "a runnable case", error.problem)], Seen()
        mismatches = tuple(Mismatch(f"{name}: {m.where}", m.expected, m.actual) for m in found)
        results.append(CaseResult(name, index, str(title), mismatches, seen))
    return tuple(results)


def run_cases(paths: Iterable[str | os.PathLike[str]]) -> tuple[CaseResult, ...]:
    """Run every case of the files and directories named, in file order."""
    return tuple(result for file in case_files(paths) for result in run_case_file(file))


def coverage(results: Iterable[CaseResult]) -> Coverage:
    """Which rules were seen passing and failing, which outcomes, states and change kinds."""
    return coverage_of(r.seen for r in results)


def coverage_of(seen_by_each: Iterable[Seen]) -> Coverage:
    """The :class:`Coverage` of what each of several runs saw."""
    seen = list(seen_by_each)
    passing = frozenset().union(*(s.passing for s in seen))
    failing = frozenset().union(*(s.failing for s in seen))
    outcomes = frozenset().union(*(s.outcomes for s in seen))
    states = frozenset().union(*(s.states for s in seen))
    changes = frozenset().union(*(s.changes for s in seen))
    ids = [r.id for r in rules()]
    return Coverage(
        passing=tuple(i for i in ids if i in passing),
        failing=tuple(i for i in ids if i in failing),
        outcomes=tuple(o for o in Outcome if o in outcomes),
        states=tuple(s for s in AwardState if s in states),
        changes=tuple(c for c in ChangeKind if c in changes),
        never_passing=tuple(i for i in ids if i not in passing),
        never_failing=tuple(i for i in ids if i not in failing),
        never_outcomes=tuple(o for o in Outcome if o not in outcomes),
        never_states=tuple(s for s in AwardState if s not in states),
        never_changes=tuple(c for c in ChangeKind if c not in changes),
    )

"""Text for people: every report of ``iqm-rules`` as a pure function of its values.

Nothing here reads, writes or decides: each function takes what a command computed and returns
the text it prints, so the texts can be tested (and reused) without running a command.

Text from input (ids, names, reasons, policy values, file names) is shown through
:func:`~iqm_rules._shown.shown`: each line is escaped as it is made, before it is wrapped or
put in a table, so a control character in a file never reaches the terminal raw and a newline in
a name cannot start a line of its own.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, TextIO

from iqm_rules._shown import shown
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, AssessmentKind, Commitment, Judgement
from iqm_rules.auditing.audit import AuditResult, Disagreement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding, Outcome
from iqm_rules.decisions.rules import rules
from iqm_rules.evidence import EvidenceKind
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.next_steps import NextStep, flagship_eligibility, long_date
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.lifecycle.replay import Change, ChangeKind, StatusReport
from iqm_rules.lifecycle.rules import lifecycle_rules
from iqm_rules.policy import Policy
from iqm_rules.principles import Element, Principle

if TYPE_CHECKING:  # at run time, the modules of the less used commands load with them
    from iqm_rules.auditing.cases import CaseResult, Coverage
    from iqm_rules.office.policy_files import Setting
    from iqm_rules.office.rows import Due, Holding

__all__ = [
    "PROG",
    "case_results_text",
    "columns",
    "decision_text",
    "describe",
    "disagreement_line",
    "event_name",
    "flagship_eligibility",
    "policy_diff_text",
    "policy_settings_text",
    "readable",
    "register_text",
    "rules_markdown",
    "rules_text",
    "school",
    "status_text",
    "timeline_text",
    "upcoming_text",
]

PROG = "iqm-rules"


def school(history: SchoolHistory) -> str:
    """The school's id, with its name if it has one, safe on a terminal."""
    named = history.school
    return _named(named.id, named.name)


def _level(level: Award | None) -> str:
    return level.value if level is not None else "none"


def _title(level: Award | None) -> str:
    return level.title if level is not None else "none"


def _kind_title(kind: AssessmentKind) -> str:
    """``full assessment`` or ``annual review``: the kind as a sentence names it."""
    return "full assessment" if kind is AssessmentKind.FULL else "annual review"


def _outcome(decision: Decision) -> str:
    """The outcome in words: granted, granted a lower level, or refused."""
    if decision.awarded_level is None:
        return "refused: nothing was awarded"
    if decision.outcome is Outcome.GRANTED:
        return "granted"
    return f"granted the lower level {decision.awarded_level.title}"


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else "-"


def when(day: date | None) -> str:
    """A date for people, ``-`` when there is none."""
    return "-" if day is None else long_date(day)


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    rows = [[shown(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def columns(out: TextIO | None = None) -> int:
    """The width to wrap text written to ``out`` (default stdout) to: the terminal's, at least
    40, or 80 when not a terminal, so files and pipes get the same text wherever they are made."""
    stream = sys.stdout if out is None else out
    return max(shutil.get_terminal_size().columns, 40) if stream.isatty() else 80


def _wrapped(text: str, first: str = "", rest: str = "") -> str:
    """``text`` shown safe (see :func:`shown`) and wrapped to the terminal's width (see
    :func:`columns`)."""
    return textwrap.fill(shown(text), width=columns(), initial_indent=first, subsequent_indent=rest)


def _short(title: str) -> str:
    """A title without its parenthesised gloss: ``Curriculum``, not ``Curriculum (...)``."""
    return title.split(" (")[0]


_WORDS: Mapping[str, str] = {
    member.value: _short(member.title)
    for kind in (Element, Principle, EvidenceKind, Commitment, Judgement, Award)
    for member in kind
}
"""The title of every value a rule's message may name."""

_LISTED = re.compile(
    r"\b(?:{0})(?:, (?:{0}))*\b".format(
        "|".join(re.escape(v) for v in sorted(_WORDS, key=len, reverse=True))
    )
)


def readable(message: str) -> str:
    """A rule's message with the values of the formats (``parents_carers_guardians``) as their
    titles; a list of them is separated by semicolons, since titles hold commas. A lone
    one-word value (``assessment``) is already a word and stays as it is.

    >>> readable("not embedded: parents_carers_guardians, curriculum (established)")
    'not embedded: Parents, carers and guardians; Curriculum (established)'
    """

    def titled(found: re.Match[str]) -> str:
        values = found[0].split(", ")
        if len(values) == 1 and "_" not in values[0]:
            return values[0]
        return "; ".join(_WORDS[v] for v in values)

    return _LISTED.sub(titled, message)


def _finding_lines(findings: Sequence[Finding], indent: str = "  ") -> list[str]:
    """Each finding as ``✓ EV-1 Inclusive School Award: message``, wrapped."""
    return [
        _wrapped(
            f"{'✓' if f.passed else '✗'} {f.rule} {f.level.title}: {readable(f.message)}",
            indent,
            indent + "    ",
        )
        for f in findings
    ]


# --- status, decide, timeline, audit -------------------------------------------------------------


def status_text(
    history: SchoolHistory,
    report: StatusReport,
    audited: AuditResult,
    steps: Sequence[NextStep] = (),
) -> str:
    """``status``: level, awards, next steps, decisions applied, and their audit."""
    lines = [
        f"School    {school(history)}",
        f"As of     {long_date(report.as_of)}",
        f"Policy    {shown(report.policy_id)}",
        f"Level     {_title(report.level)}",
        "",
        "Awards",
    ]
    for held in report.awards:
        lines.append(f"  {held.award.title}: {held.state.title}")
        dates = [
            f"{name} {long_date(day)}"
            for name, day in (
                ("since", held.since),
                ("due", held.due),
                ("lapses on", held.lapses_on),
                ("ended on", held.ended_on),
            )
            if day is not None
        ]
        if dates:
            lines.append(_wrapped(", ".join(dates), "    ", "    "))
    lines += ["", "Next steps"]
    lines += [_wrapped(step.describe(report.as_of), "  ", "    ") for step in steps]
    eligibility = flagship_eligibility(report)
    if eligibility is not None:
        lines.append(_wrapped(eligibility, "  ", "    "))
    if not steps and eligibility is None:
        lines.append("  none: no award is held")
    lines += ["", f"Decisions ({len(report.decisions)} applied up to {long_date(report.as_of)})"]
    kinds = {e.id: e.kind for e in history.events if isinstance(e, Assessment)}
    for decision in report.decisions:
        lines.append(
            _wrapped(
                f"{long_date(decision.held_on)}, {decision.assessment_id}: "
                f"{_kind_title(kinds[decision.assessment_id])} seeking "
                f"{decision.level_sought.title}; {_outcome(decision)}",
                "  ",
                "    ",
            )
        )
        if decision.failing:
            lines += _finding_lines(decision.failing, indent="      ")
    if not report.decisions:
        lines.append("  none")
    lines.append("")
    if audited.disagreements:
        lines.append(_audit_heading(audited))
        lines += _disagreement_lines(audited.disagreements)
    elif audited.compared:
        lines.append(
            f"Audit: every recorded outcome agrees with the rules ({audited.compared} compared)"
        )
    return "\n".join(lines)


def decision_text(
    history: SchoolHistory, assessment: Assessment, decision: Decision, audited: AuditResult
) -> str:
    """``decide``: one decision, every finding, the shortfalls, and its audit."""
    lines = [
        f"Assessment {shown(decision.assessment_id)} of {school(history)}",
        f"Held on   {long_date(decision.held_on)} ({_kind_title(assessment.kind)})",
        f"Seeks     {decision.level_sought.title}",
        f"Policy    {shown(decision.policy_id)}",
        f"Outcome   {_outcome(decision)}",
        "",
        "Findings",
    ]
    lines += _finding_lines(decision.findings)
    if decision.ignored_evidence:
        ignored = f"Ignored evidence (not recent): {', '.join(decision.ignored_evidence)}"
        lines += ["", _wrapped(ignored, "", "  ")]
    shortfalls = decision.shortfalls()
    lines += ["", f"Shortfalls for {decision.level_sought.title}"]
    if shortfalls:
        lines += [
            _wrapped(f"{s.rule} {s.level.title}: {readable(s.action)}", "  ", "      ")
            for s in shortfalls
        ]
    else:
        lines.append("  none: every rule up to the level sought passes")
    if audited.disagreements:
        lines += ["", _audit_heading(audited), *_disagreement_lines(audited.disagreements)]
    return "\n".join(lines)


_CHANGE_WORDS = {
    ChangeKind.AWARDED: "awarded",
    ChangeKind.RENEWED: "renewed",
    ChangeKind.REVOKED: "revoked",
    ChangeKind.LAPSED: "lapsed",
    ChangeKind.WITHDRAWN: "withdrawn",
    ChangeKind.WINDOW_OPENED: "renewal window opened",
    ChangeKind.OVERDUE: "overdue: the grace period runs",
}
"""Each kind of change as a sentence says it (its ``title`` explains the rule)."""


def event_name(history: SchoolHistory, index: int | None) -> str:
    """The event behind a change as people name it: an assessment by id and date, a
    withdrawal by its date and reason; ``""`` for a change of time passing."""
    if index is None:
        return ""
    event = history.events[index]
    if isinstance(event, Assessment):
        return f"assessment {event.id} of {long_date(event.held_on)}"
    reason = f" ({event.reason})" if event.reason else ""
    return f"the school's withdrawal on {long_date(event.on)}{reason}"


def _change_lines(history: SchoolHistory, change: Change) -> list[str]:
    head = f"{long_date(change.on)}: {change.award.title} {_CHANGE_WORDS[change.kind]}"
    if change.kind is ChangeKind.WITHDRAWN:
        because = event_name(history, change.event_index)
    else:
        source = event_name(history, change.event_index)
        because = f"{source}: {change.detail}" if source else change.detail
    return [_wrapped(f"{head} ({change.rule})", "  ", "    "), _wrapped(because, "    ", "    ")]


def timeline_text(
    history: SchoolHistory, changes: Sequence[Change], as_of: date | None = None
) -> str:
    """``timeline``: each change with the rule and the event behind it; with ``as_of``, what
    has happened, a line for that day, then what is projected if nothing is done."""
    lines = [f"Timeline of {school(history)}"]
    if not changes:
        return "\n".join([*lines, "  no changes"])
    today_shown = as_of is None
    for change in changes:
        if not today_shown and as_of is not None and change.on > as_of:
            lines += ["", f"— {long_date(as_of)}: today; below, what happens if nothing is done —"]
            today_shown = True
        lines += _change_lines(history, change)
    if not today_shown and as_of is not None:
        lines += ["", f"— {long_date(as_of)}: today; nothing is projected —"]
    return "\n".join(lines)


def disagreement_line(item: Disagreement) -> str:
    """One disagreement, as ``status --json`` and ``decide --json`` report it on stderr."""
    return f"{PROG}: disagreement: {shown(describe(item))}"


def describe(item: Disagreement) -> str:
    """A disagreement for people: the assessment by id and date, what was recorded, what the
    rules award, and the failing rules."""
    recorded = _title(item.recorded) if item.recorded is not None else "nothing"
    decided = _title(item.decided) if item.decided is not None else "nothing"
    line = (
        f"assessment {item.assessment_id} of {long_date(item.held_on)}: recorded {recorded}, "
        f"the rules award {decided}"
    )
    if item.failing:
        line += f" (failing: {', '.join(f.rule for f in item.failing)})"
    return line


def _audit_heading(audited: AuditResult) -> str:
    found = audited.disagreeing
    return (
        f"Audit: {found} of {audited.compared} recorded outcomes "
        f"{'disagrees' if found == 1 else 'disagree'} with the rules"
    )


def _disagreement_lines(found: Sequence[Disagreement]) -> list[str]:
    lines: list[str] = []
    for item in found:
        lines.append(_wrapped(describe(item), "  ", "    "))
        if item.failing:
            lines += _finding_lines(item.failing, indent="      ")
    return lines


# --- rules ---------------------------------------------------------------------------------------


def _value(value: object) -> str:
    """A policy parameter's value, as JSON words: ``inclusive_school 3, ...``."""
    if isinstance(value, Term):
        return value.value
    if isinstance(value, Mapping):
        return ", ".join(f"{_value(k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, frozenset | set | tuple):
        return ", ".join(sorted(_value(member) for member in value)) or "none"
    return str(value)


def _parameters(names: Sequence[str], policy: Policy, code: str = "") -> str:
    """``name = value; ...`` of ``names`` under ``policy`` (names in ``code`` marks)."""
    return "; ".join(f"{code}{p}{code} = {_value(policy.parameter(p))}" for p in names)


LIFECYCLE_LEVEL = "status over time"
"""What the level column says of the lifecycle rules of §4 (they apply to every level)."""


def rules_text(policy: Policy) -> str:
    """``rules``: every rule of §3 then of §4: id, level, title and parameter values."""
    lines = [f"Rules under policy {shown(policy.id)}", ""]
    rows = [["rule", "level", "title", "parameters"]]
    for entry in rules():
        rows.append(
            [entry.id, entry.level.value, entry.title, _parameters(entry.parameters, policy) or "-"]
        )
    for cycle in lifecycle_rules():
        rows.append(
            [cycle.id, LIFECYCLE_LEVEL, cycle.title, _parameters(cycle.parameters, policy) or "-"]
        )
    lines += _table(rows)
    return "\n".join(lines) + "\n"


def rules_markdown(policy: Policy) -> str:
    """The rulebook page ``docs/rules.md``: generated from the registry, never written twice."""
    shown_id = shown(policy.id)
    lines = [
        "# The rules",
        "",
        f"Generated from the rule registry by `{PROG} rules --markdown`; do not edit by hand.",
        f"Parameter values are those of policy `{shown_id}` (RULEBOOK §2).",
        "",
        "| rule | level | title | parameters |",
        "| --- | --- | --- | --- |",
    ]
    for entry in rules():
        params = _parameters(entry.parameters, policy, "`")
        lines.append(f"| {entry.id} | {entry.level.value} | {entry.title} | {params or '—'} |")
    for cycle in lifecycle_rules():
        params = _parameters(cycle.parameters, policy, "`")
        lines.append(f"| {cycle.id} | {LIFECYCLE_LEVEL} | {cycle.title} | {params or '—'} |")
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
    for cycle in lifecycle_rules():
        lines += ["", f"## {cycle.id}: {cycle.title}", "", f"- **What happens:** {cycle.text}"]
        if cycle.parameters:
            lines.append("- **Parameters:**")
            lines += [
                f"  - `{p}` = {_value(policy.parameter(p))}: {PARAMETERS[p].description}"
                for p in cycle.parameters
            ]
        lines.append("- **Source:** RULEBOOK §4")
    lines += [
        "",
        "## Policy parameters",
        "",
        f"| parameter | value in `{shown_id}` | meaning | used by |",
        "| --- | --- | --- | --- |",
    ]
    for name, parameter in PARAMETERS.items():
        lines.append(
            f"| `{name}` | {_value(policy.parameter(name))} | {parameter.description} "
            f"| {', '.join(parameter.used_by)} |"
        )
    return "\n".join(lines)


def policy_settings_text(on: date, rows: Sequence[Setting]) -> str:
    """``policy show``: the policy in force on ``on``, each parameter and where it comes from."""
    width = max(len(row.name) for row in rows)
    lines = [f"in force on {on.isoformat()}: {shown(rows[0].in_force)}"]
    for row in rows:
        if row.set_by is None:
            how = "default"
        elif row.set_by == row.in_force:
            how = "set here"
        else:
            how = f"inherited from {row.set_by}"
        lines.append(shown(f"  {row.name.ljust(width)} = {_policy_value(row.value)}  ({how})"))
    return "\n".join(lines)


def policy_diff_text(on: date, left: Policy, right: Policy) -> str:
    """``policy diff``: each parameter whose value differs on ``on``, ``name: left -> right``."""
    from iqm_rules.office.policy_files import differences  # loaded with the policy commands only

    names = differences(left, right, on)
    if not names:
        return shown(f"no parameter differs on {on.isoformat()} ({left.id}, {right.id})")
    return "\n".join(
        shown(f"{name}: {_policy_value(left.parameter(name))} -> ")
        + shown(_policy_value(right.parameter(name)))
        for name in names
    )


def _policy_value(value: object) -> str:
    """A parameter value as a policy file writes it."""
    from iqm_rules.office.policy_files import value_text  # loaded with the policy commands only

    return value_text(value)


def case_results_text(results: Sequence[CaseResult], seen: Coverage | None) -> str:
    """``test``: each mismatch, the coverage if asked for, and ``N passed, M failed`` last."""
    lines = [
        shown(f"FAIL {result.name}: {mismatch}")
        for result in results
        for mismatch in result.mismatches
    ]
    if seen is not None:
        for label, have, never in (
            ("rules passing", seen.passing, seen.never_passing),
            ("rules failing", seen.failing, seen.never_failing),
            ("outcomes", _values(seen.outcomes), _values(seen.never_outcomes)),
            ("award states", _values(seen.states), _values(seen.never_states)),
            ("changes", _values(seen.changes), _values(seen.never_changes)),
        ):
            lines.append(f"{label}: {', '.join(have) or '-'}; never: {', '.join(never) or '-'}")
    failed = sum(not result.passed for result in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines)


def _values(terms: Sequence[Term]) -> list[str]:
    return [term.value for term in terms]


# --- upcoming, register --------------------------------------------------------------------------


def _named(school_id: str, name: str) -> str:
    return shown(f"{school_id} ({name})" if name else school_id)


def upcoming_text(rows: Sequence[Due], as_of: date, within: int, schools: int) -> str:
    """``upcoming``: every date ahead across the schools read, soonest first."""
    until = as_of + timedelta(days=within)
    lines = [
        f"Upcoming from {long_date(as_of)} to {long_date(until)} ({within} days): "
        f"{len(rows)} {'date' if len(rows) == 1 else 'dates'} "
        f"across {schools} {'school' if schools == 1 else 'schools'} read",
    ]
    if not rows:
        return "\n".join([*lines, "  nothing falls due, opens or lapses"])
    table = [["date", "days left", "school", "award", "what happens"]]
    table += [
        [
            long_date(row.on),
            str(row.days_left),
            _named(row.school_id, row.school_name),
            row.award.title,
            row.happens(),
        ]
        for row in rows
    ]
    return "\n".join(lines + _table(table))


def register_text(rows: Sequence[Holding], as_of: date, schools: int) -> str:
    """``register``: one line per school and award held on ``as_of``."""
    holding = len({row.school_id for row in rows})
    lines = [
        f"Register on {long_date(as_of)}: {holding} of {schools} "
        f"{'school' if schools == 1 else 'schools'} read hold an award",
    ]
    if not rows:
        return "\n".join([*lines, "  no award is held"])
    table = [["school", "award", "state", "since", "due", "lapses on"]]
    table += [
        [
            _named(row.school_id, row.school_name),
            row.award.title,
            row.state.title,
            when(row.since),
            when(row.due),
            when(row.lapses_on),
        ]
        for row in rows
    ]
    return "\n".join(lines + _table(table))

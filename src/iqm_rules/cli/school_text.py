"""The texts of one school: ``status``, ``decide``, ``timeline`` and the disagreements an audit
finds, each a pure function of what the command computed (see :mod:`~iqm_rules.cli.text`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from iqm_rules._shown import shown
from iqm_rules.assessment import Assessment, AssessmentKind
from iqm_rules.auditing.audit import AuditResult, Disagreement
from iqm_rules.awards import Award
from iqm_rules.cli.text import PROG, readable, school, wrapped
from iqm_rules.decisions.decision import Decision, Finding, Outcome
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.next_steps import NextStep, flagship_eligibility, long_date
from iqm_rules.lifecycle.replay import Change, ChangeKind, StatusReport

__all__ = [
    "decision_text",
    "describe",
    "disagreement_line",
    "event_name",
    "status_text",
    "timeline_text",
]


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


def _finding_lines(findings: Sequence[Finding], indent: str = "  ") -> list[str]:
    """Each finding as ``✓ EV-1 Inclusive School Award: message``, wrapped."""
    return [
        wrapped(
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
            lines.append(wrapped(", ".join(dates), "    ", "    "))
    lines += ["", "Next steps"]
    lines += [wrapped(step.describe(report.as_of), "  ", "    ") for step in steps]
    eligibility = flagship_eligibility(report)
    if eligibility is not None:
        lines.append(wrapped(eligibility, "  ", "    "))
    if not steps and eligibility is None:
        lines.append("  none: no award is held")
    lines += ["", f"Decisions ({len(report.decisions)} applied up to {long_date(report.as_of)})"]
    kinds = {e.id: e.kind for e in history.events if isinstance(e, Assessment)}
    for decision in report.decisions:
        lines.append(
            wrapped(
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
        lines += ["", wrapped(ignored, "", "  ")]
    shortfalls = decision.shortfalls()
    lines += ["", f"Shortfalls for {decision.level_sought.title}"]
    if shortfalls:
        lines += [
            wrapped(f"{s.rule} {s.level.title}: {readable(s.action)}", "  ", "      ")
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
    return [wrapped(f"{head} ({change.rule})", "  ", "    "), wrapped(because, "    ", "    ")]


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
        lines.append(wrapped(describe(item), "  ", "    "))
        if item.failing:
            lines += _finding_lines(item.failing, indent="      ")
    return lines

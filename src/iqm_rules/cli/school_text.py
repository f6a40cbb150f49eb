"""The texts of one school: ``status``, ``decide``, ``timeline`` and the disagreements an audit
finds, each a pure function of what the command computed and of the reader's
:class:`~iqm_rules.words.Words` (see :mod:`~iqm_rules.cli.text`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from iqm_rules._shown import shown
from iqm_rules.assessment import Assessment
from iqm_rules.auditing.audit import AuditResult, Disagreement
from iqm_rules.awards import Award
from iqm_rules.cli.text import PROG, fields, school, wrapped
from iqm_rules.decisions.decision import Decision, Finding
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.next_steps import NextStep
from iqm_rules.lifecycle.replay import Change, StatusReport
from iqm_rules.office.said import (
    change_said,
    decision_said,
    disagreement_said,
    event_said,
    finding_said,
    flagship_said,
    kind_said,
    level_said,
    next_step_said,
    outcome_said,
    rule_title,
    shortfall_said,
    situation_said,
)
from iqm_rules.words import ENGLISH, Words

__all__ = [
    "decision_text",
    "describe",
    "disagreement_line",
    "event_name",
    "status_text",
    "timeline_text",
]


def _finding_lines(words: Words, findings: Sequence[Finding], indent: str = "  ") -> list[str]:
    """Each finding as ``✓ EV-1 Inclusive School Award: its title``, wrapped."""
    return [wrapped(finding_said(words, f), indent, indent + "    ") for f in findings]


def _award_dates(
    words: Words, since: date | None, due: date | None, lapses: date | None, ended: date | None
) -> str:
    """The dates of an award: an ended one has no due date any more, only when it ended."""
    if ended is not None:
        return words.gettext(
            "since %(since)s, ended on %(ended)s",
            since=words.date(since) if since else "-",
            ended=words.date(ended),
        )
    if since is None or due is None or lapses is None:
        return ""
    return words.gettext(
        "since %(since)s, due %(due)s, lapses on %(lapses)s",
        since=words.date(since),
        due=words.date(due),
        lapses=words.date(lapses),
    )


# --- status, decide, timeline, audit -------------------------------------------------------------


def status_text(
    history: SchoolHistory,
    report: StatusReport,
    audited: AuditResult,
    steps: Sequence[NextStep] = (),
    words: Words = ENGLISH,
) -> str:
    """``status``: level, awards, next steps, decisions applied, and their audit."""
    lines = fields(
        [
            (words.gettext("School"), school(history)),
            (words.gettext("As of"), words.date(report.as_of)),
            (words.gettext("Policy"), shown(report.policy_id)),
            (words.gettext("Level"), level_said(words, report.level)),
        ]
    )
    lines += ["", words.gettext("Awards")]
    for held in report.awards:
        lines.append(
            words.gettext(
                "  %(award)s: %(state)s",
                award=words.title(held.award),
                state=words.title(held.state),
            )
        )
        dates = _award_dates(words, held.since, held.due, held.lapses_on, held.ended_on)
        if dates:
            lines.append(wrapped(dates, "    ", "    "))
    lines += ["", words.gettext("Next steps")]
    lines += [wrapped(next_step_said(words, step, report.as_of), "  ", "    ") for step in steps]
    eligibility = flagship_said(words, report)
    if eligibility is not None:
        lines.append(wrapped(eligibility, "  ", "    "))
    lines += [wrapped(line, "  ", "    ") for line in situation_said(words, report)]
    lines += [
        "",
        words.ngettext(
            "Decisions (%(n)s applied up to %(day)s)",
            "Decisions (%(n)s applied up to %(day)s)",
            len(report.decisions),
            day=words.date(report.as_of),
        ),
    ]
    kinds = {e.id: e.kind for e in history.events if isinstance(e, Assessment)}
    for decision in report.decisions:
        said = decision_said(words, decision, kinds[decision.assessment_id])
        lines.append(wrapped(said, "  ", "    "))
        if decision.failing:
            lines += _finding_lines(words, decision.failing, indent="      ")
    if not report.decisions:
        lines.append("  " + words.gettext("none"))
    lines.append("")
    if audited.disagreements:
        lines.append(_audit_heading(words, audited))
        lines += _disagreement_lines(words, audited.disagreements)
    elif audited.compared:
        lines.append(
            words.ngettext(
                "Audit: the recorded outcome agrees with the rules (%(n)s compared)",
                "Audit: every recorded outcome agrees with the rules (%(n)s compared)",
                audited.compared,
            )
        )
    return "\n".join(lines)


def decision_text(
    history: SchoolHistory,
    assessment: Assessment,
    decision: Decision,
    audited: AuditResult,
    words: Words = ENGLISH,
) -> str:
    """``decide``: one decision, every finding, the shortfalls, and its audit."""
    lines = [
        words.gettext(
            "Assessment %(assessment)s of %(school)s",
            assessment=shown(decision.assessment_id),
            school=school(history),
        ),
        *fields(
            [
                (
                    words.gettext("Held on"),
                    words.gettext(
                        "%(day)s (%(kind)s)",
                        day=words.date(decision.held_on),
                        kind=kind_said(words, assessment.kind),
                    ),
                ),
                (words.gettext("Seeks"), words.title(decision.level_sought)),
                (words.gettext("Policy"), shown(decision.policy_id)),
                (words.gettext("Outcome"), outcome_said(words, decision)),
            ]
        ),
        "",
        words.gettext("Findings"),
    ]
    lines += _finding_lines(words, decision.findings)
    if decision.ignored_evidence:
        ignored = words.gettext(
            "Ignored evidence (not recent): %(ids)s", ids=", ".join(decision.ignored_evidence)
        )
        lines += ["", wrapped(ignored, "", "  ")]
    shortfalls = decision.shortfalls()
    lines += [
        "",
        words.gettext("Shortfalls for %(level)s", level=words.title(decision.level_sought)),
    ]
    for found in shortfalls:
        lines.append(
            wrapped(
                words.gettext(
                    "%(rule)s %(level)s: %(title)s",
                    rule=found.rule,
                    level=words.title(found.level),
                    title=rule_title(words, found.rule),
                ),
                "  ",
                "      ",
            )
        )
        lines += [wrapped(action, "    - ", "      ") for action in shortfall_said(words, found)]
    if not shortfalls:
        lines.append("  " + words.gettext("none: every rule up to the level sought passes"))
    if audited.disagreements:
        lines += [
            "",
            _audit_heading(words, audited),
            *_disagreement_lines(words, audited.disagreements),
        ]
    return "\n".join(lines)


def event_name(history: SchoolHistory, index: int | None, words: Words = ENGLISH) -> str:
    """The event behind a change as people name it: an assessment by id and date, a
    withdrawal by its date and reason; ``""`` for a change of time passing."""
    return event_said(words, history, index)


def _change_lines(words: Words, history: SchoolHistory, change: Change) -> list[str]:
    head, because = change_said(words, history, change)
    return [wrapped(head, "  ", "    "), wrapped(because, "    ", "    ")]


def timeline_text(
    history: SchoolHistory,
    changes: Sequence[Change],
    as_of: date | None = None,
    words: Words = ENGLISH,
) -> str:
    """``timeline``: each change with the rule and the event behind it; with ``as_of``, what
    has happened, a line for that day, then what is projected if nothing is done."""
    lines = [words.gettext("Timeline of %(school)s", school=school(history))]
    if not changes:
        return "\n".join([*lines, "  " + words.gettext("no changes")])
    today_shown = as_of is None
    for change in changes:
        if not today_shown and as_of is not None and change.on > as_of:
            lines += [
                "",
                words.gettext(
                    "— %(day)s: today; below, what happens if nothing is done —",
                    day=words.date(as_of),
                ),
            ]
            today_shown = True
        lines += _change_lines(words, history, change)
    if not today_shown and as_of is not None:
        lines += [
            "",
            words.gettext("— %(day)s: today; nothing is projected —", day=words.date(as_of)),
        ]
    return "\n".join(lines)


def disagreement_line(item: Disagreement, words: Words = ENGLISH) -> str:
    """One disagreement, as ``status --json`` and ``decide --json`` report it on stderr."""
    return words.gettext(
        "%(prog)s: disagreement: %(what)s", prog=PROG, what=shown(describe(item, words))
    )


def describe(item: Disagreement, words: Words = ENGLISH) -> str:
    """A disagreement for people (:func:`~iqm_rules.office.said.disagreement_said`)."""
    return disagreement_said(words, item)


def _level_or_nothing(words: Words, level: Award | None) -> str:
    return words.title(level) if level is not None else words.gettext("nothing")


def _audit_heading(words: Words, audited: AuditResult) -> str:
    return words.ngettext(
        "Audit: %(n)s of %(compared)s recorded outcomes disagrees with the rules",
        "Audit: %(n)s of %(compared)s recorded outcomes disagree with the rules",
        audited.disagreeing,
        compared=audited.compared,
    )


def _disagreement_lines(words: Words, found: Sequence[Disagreement]) -> list[str]:
    lines: list[str] = []
    for item in found:
        lines.append(wrapped(describe(item, words), "  ", "    "))
        if item.failing:
            lines += _finding_lines(words, item.failing, indent="      ")
    return lines

"""What the rules found and what comes next, said for people in their language.

Each function takes a :class:`~iqm_rules.words.Words` (English by default) and the data a
command computed, and returns whole sentences from the catalogs, every term by its title. The
JSON documents keep their own English ``message`` and ``action`` texts and their raw values; the
text outputs and the report page say the same things here; the sentences of findings and
decisions are those of :mod:`iqm_rules.lifecycle.said`, named here too.
"""

from __future__ import annotations

import re
from datetime import date

from iqm_rules.assessment import Assessment
from iqm_rules.auditing.audit import Disagreement
from iqm_rules.awards import Award
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.next_steps import NextStep
from iqm_rules.lifecycle.records import AwardState, Change, ChangeKind
from iqm_rules.lifecycle.replay import StatusReport
from iqm_rules.lifecycle.said import (
    action_lines,
    awarded_said,
    decision_said,
    finding_said,
    kind_said,
    level_said,
    outcome_said,
    rule_title,
    shortfall_said,
)
from iqm_rules.words import Words

__all__ = [
    "action_lines",
    "awarded_said",
    "change_said",
    "decision_said",
    "disagreement_said",
    "event_said",
    "finding_said",
    "flagship_said",
    "kind_said",
    "level_said",
    "next_step_said",
    "outcome_said",
    "rule_title",
    "shortfall_said",
    "situation_said",
]


def disagreement_said(words: Words, item: Disagreement) -> str:
    """A disagreement of an audit for people: the assessment by id and date, what was
    recorded, what the rules award, and the failing rules."""
    values = {
        "assessment": item.assessment_id,
        "day": words.date(item.held_on),
        "recorded": level_said(words, item.recorded, nothing=True),
        "decided": level_said(words, item.decided, nothing=True),
    }
    if item.failing:
        return words.gettext(
            "assessment %(assessment)s of %(day)s: recorded %(recorded)s, the rules award "
            "%(decided)s (failing: %(rules)s)",
            rules=", ".join(f.rule for f in item.failing),
            **values,
        )
    return words.gettext(
        "assessment %(assessment)s of %(day)s: recorded %(recorded)s, the rules award %(decided)s",
        **values,
    )


def next_step_said(words: Words, step: NextStep, as_of: date | None = None) -> str:
    """One held award's renewal in plain words; with ``as_of``, a past date says it was."""
    past = as_of is not None and step.due <= as_of
    opened = as_of is not None and step.window_opens <= as_of
    values = {
        "award": words.title(step.award),
        "what": words.title(step.what),
        "due": words.date(step.due),
        "opens": words.date(step.window_opens),
        "lapses": words.date(step.lapses_on),
    }
    if past:
        text = words.gettext(
            "%(award)s: %(what)s was due by %(due)s; the renewal window opened on %(opens)s; "
            "without it the award lapses on %(lapses)s",
            **values,
        )
    elif opened:
        text = words.gettext(
            "%(award)s: %(what)s due by %(due)s; the renewal window opened on %(opens)s; "
            "without it the award lapses on %(lapses)s",
            **values,
        )
    else:
        text = words.gettext(
            "%(award)s: %(what)s due by %(due)s; the renewal window opens on %(opens)s; "
            "without it the award lapses on %(lapses)s",
            **values,
        )
    if step.also_ends:
        text = words.ngettext(
            "%(step)s, and %(awards)s with it",
            "%(step)s, and %(awards)s with it",
            len(step.also_ends),
            step=text,
            awards=words.titles(step.also_ends),
        )
    return text


def flagship_said(words: Words, report: StatusReport) -> str | None:
    """When Flagship may first be awarded (LC-7, FS-4); ``None`` while it is held or while no
    Centre of Excellence is (:func:`situation_said` says what to do then)."""
    if report.award(Award.FLAGSHIP).state.is_held or report.flagship_eligible_from is None:
        return None
    day = words.date(report.flagship_eligible_from)
    if report.flagship_eligible_from <= report.as_of:
        return words.gettext(
            "Flagship School: eligible since %(day)s if every Flagship rule is met", day=day
        )
    return words.gettext(
        "Flagship School: eligible from %(day)s if every Flagship rule is met", day=day
    )


_ENDED = (AwardState.LAPSED, AwardState.WITHDRAWN, AwardState.REVOKED)


def situation_said(words: Words, report: StatusReport) -> list[str]:
    """What a school may do next beyond renewing what it holds: what to apply for, and when;
    after a refusal, what to fix first; after a lower grant, what the level sought still needs.

    Every situation has an answer: a school that holds nothing is told which assessment to book,
    one that holds Inclusive School Award but not Centre of Excellence what comes next.
    """
    lines: list[str] = []
    last = report.decisions[-1] if report.decisions else None
    held = report.level
    if held is None:
        ended = [a for a in report.awards if a.state in _ENDED and a.ended_on is not None]
        if (
            last is not None
            and last.awarded_level is None
            and last.held_on
            == max([a.ended_on for a in ended if a.ended_on is not None], default=last.held_on)
        ):
            lines.append(
                words.gettext(
                    "Assessment %(assessment)s of %(day)s was refused: fix what it lacked, then "
                    "book a new full assessment for Inclusive School Award",
                    assessment=last.assessment_id,
                    day=words.date(last.held_on),
                )
            )
            lines += [
                words.gettext(
                    "first, %(rule)s (%(title)s): %(action)s",
                    rule=shortfall.rule,
                    title=rule_title(words, shortfall.rule),
                    action=action,
                )
                for shortfall in last.shortfalls()
                if shortfall.level is Award.INCLUSIVE_SCHOOL
                for action in shortfall_said(words, shortfall)
            ]
        elif ended:
            latest = max(ended, key=lambda a: (a.ended_on, a.award.rank))
            lines.append(
                words.gettext(
                    "%(award)s ended on %(day)s (%(state)s): the school may book a full "
                    "assessment for Inclusive School Award at any time; a Centre of Excellence "
                    "assessment may be sought in the same visit if its rules are met",
                    award=words.title(latest.award),
                    day=words.date(latest.ended_on) if latest.ended_on else "",
                    state=words.title(latest.state),
                )
            )
        else:
            lines.append(
                words.gettext(
                    "No award is held: book a full assessment for Inclusive School Award; "
                    "Centre of Excellence may be sought in the same visit if its rules are met"
                )
            )
        return lines
    if (
        last is not None
        and last.awarded_level is not None
        and last.awarded_level < last.level_sought
        and last.awarded_level is held
    ):
        lines.append(
            words.gettext(
                "Assessment %(assessment)s of %(day)s sought %(sought)s and gave %(given)s; "
                "%(sought)s still needs:",
                assessment=last.assessment_id,
                day=words.date(last.held_on),
                sought=words.title(last.level_sought),
                given=words.title(last.awarded_level),
            )
        )
        lines += [
            words.gettext(
                "%(rule)s (%(title)s): %(action)s",
                rule=shortfall.rule,
                title=rule_title(words, shortfall.rule),
                action=action,
            )
            for shortfall in last.shortfalls()
            for action in shortfall_said(words, shortfall)
        ]
    if held is Award.INCLUSIVE_SCHOOL:
        lines.append(
            words.gettext(
                "Centre of Excellence: may be sought at a full assessment while Inclusive "
                "School Award is held"
            )
        )
        lines.append(words.gettext("Flagship School: Centre of Excellence must be held first"))
    return lines


def event_said(words: Words, history: SchoolHistory, index: int | None) -> str:
    """The event behind a change: an assessment by id and date, a withdrawal by its date and
    reason; ``""`` for a change of time passing."""
    if index is None:
        return ""
    event = history.events[index]
    if isinstance(event, Assessment):
        return words.gettext(
            "assessment %(assessment)s of %(day)s",
            assessment=event.id,
            day=words.date(event.held_on),
        )
    if event.reason:
        return words.gettext(
            "the school's withdrawal on %(day)s (%(reason)s)",
            day=words.date(event.on),
            reason=event.reason,
        )
    return words.gettext("the school's withdrawal on %(day)s", day=words.date(event.on))


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _head(words: Words, kind: ChangeKind) -> str:
    # Each kind's message, written out so that the catalog holds every one.
    if kind is ChangeKind.AWARDED:
        return words.gettext("%(day)s: %(award)s awarded (%(rule)s)")
    if kind is ChangeKind.RENEWED:
        return words.gettext("%(day)s: %(award)s renewed (%(rule)s)")
    if kind is ChangeKind.REVOKED:
        return words.gettext("%(day)s: %(award)s revoked (%(rule)s)")
    if kind is ChangeKind.LAPSED:
        return words.gettext("%(day)s: %(award)s lapsed (%(rule)s)")
    if kind is ChangeKind.WITHDRAWN:
        return words.gettext("%(day)s: %(award)s withdrawn (%(rule)s)")
    if kind is ChangeKind.WINDOW_OPENED:
        return words.gettext("%(day)s: %(award)s renewal window opened (%(rule)s)")
    return words.gettext("%(day)s: %(award)s overdue: the grace period runs (%(rule)s)")


def _dates(detail: str) -> list[date]:
    return [date.fromisoformat(found) for found in _ISO.findall(detail)]


def change_said(words: Words, history: SchoolHistory, change: Change) -> tuple[str, str]:
    """A change of the timeline as two sentences: what happened, and why.

    The dates of a change's ``detail`` (the English of ``lifecycle/changes.py`` and
    ``lifecycle/clocks.py``, which the timeline JSON carries) are read back and said anew.
    """
    head = _head(words, change.kind) % {
        "day": words.date(change.on),
        "award": words.title(change.award),
        "rule": change.rule,
    }
    source = event_said(words, history, change.event_index)
    found = _dates(change.detail)
    kind = change.kind
    if kind in (ChangeKind.AWARDED, ChangeKind.RENEWED) and found:
        due = words.date(found[0])
        if "(anchored)" in change.detail:
            why = words.gettext(
                "by %(event)s; due %(due)s, anchored to the old due date", event=source, due=due
            )
        else:
            why = words.gettext(
                "by %(event)s; due %(due)s, counted from the assessment", event=source, due=due
            )
    elif kind is ChangeKind.WINDOW_OPENED and found:
        why = words.gettext("the renewal is due by %(due)s", due=words.date(found[0]))
    elif kind is ChangeKind.OVERDUE and found:
        why = words.gettext(
            "the due date passed; the award lapses on %(day)s unless renewed",
            day=words.date(found[0]),
        )
    elif kind is ChangeKind.LAPSED and change.detail.startswith("capped by"):
        why = words.gettext("the award below it ended then (LC-4)")
    elif kind is ChangeKind.LAPSED and found:
        why = words.gettext("not renewed after it was due on %(due)s", due=words.date(found[0]))
    elif kind is ChangeKind.REVOKED and "refused" in change.detail:
        why = words.gettext("by %(event)s, which was refused", event=source)
    elif kind is ChangeKind.REVOKED:
        why = words.gettext("by %(event)s, which awarded a lower level", event=source)
    else:
        why = source
    return head, why

"""What-if: which schools a policy change would affect, and the rules behind each change.

:func:`compare` replays each history under a ``base`` and a ``proposed`` policy (or book) and
yields one :class:`SchoolChange` per school: its level, every award's state and dates on
``as_of``, and every decision whose outcome or awarded level differs, with the rules whose
finding flipped. :func:`summarise` counts schools per kind of change. The renderers are pure
functions of those records.

>>> from iqm_rules.interchange.examples import example_text
>>> from iqm_rules.interchange import load_history
>>> from iqm_rules.policy import Policy, FlagshipBoundary
>>> strict = Policy(flagship_boundary=FlagshipBoundary.MORE_THAN)
>>> (change,) = compare([load_history(example_text("flagship-journey"))],
...                     date(2025, 9, 1), Policy(), strict)
>>> change.decisions[0].text.split(": ", 1)[0]
'URN-140876 AG-2024-01 2024-07-01'
>>> print(change.decisions[0].text.split(": ", 1)[1])
granted flagship -> granted_lower centre_of_excellence (FS-4 now fails: passes from 2024-07-02)
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date

from attrs import field, frozen

from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange._jsontext import readable_json
from iqm_rules.lifecycle.replay import AwardStatus, StatusReport, replay
from iqm_rules.policy import Policy, PolicyBook

__all__ = [
    "AwardChange",
    "DecisionChange",
    "Flip",
    "SchoolChange",
    "Summary",
    "compare",
    "compare_school",
    "csv_header",
    "csv_rows",
    "csv_text",
    "json_data",
    "json_text",
    "jsonl_line",
    "jsonl_lines",
    "summarise",
]


def _flips(flips: Iterable[Flip]) -> tuple[Flip, ...]:
    return tuple(flips)


def _kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    return tuple(kinds)


def _award_changes(changes: Iterable[AwardChange]) -> tuple[AwardChange, ...]:
    return tuple(changes)


def _decision_changes(changes: Iterable[DecisionChange]) -> tuple[DecisionChange, ...]:
    return tuple(changes)


@frozen
class Flip:
    """A rule whose finding changed: ``now_passes`` and the message under the proposed policy;
    ``missing``, what it then lacks (for plain words; not in the JSON)."""

    rule: str
    now_passes: bool
    message: str
    missing: Missing | None = field(default=None, eq=False)


@frozen
class DecisionChange:
    """One assessment decided differently; ``text`` explains it in one line (with the
    rulebook's values: the JSON's and the CSV's ``detail``). ``sought``, ``awarded_before`` and
    ``awarded_after`` say it in plain words (:mod:`~iqm_rules.auditing.whatif_said`)."""

    assessment_id: str
    held_on: date
    before: str
    after: str
    flips: tuple[Flip, ...] = field(converter=_flips)
    text: str = ""
    sought: Award | None = None
    awarded_before: Award | None = None
    awarded_after: Award | None = None


@frozen
class AwardChange:
    """One award whose state or dates on ``as_of`` differ; ``kinds`` names how."""

    award: Award
    before: AwardStatus
    after: AwardStatus
    kinds: tuple[str, ...] = field(converter=_kinds)


@frozen
class SchoolChange:
    """What the proposed policy changes for one school (nothing, when ``unchanged``);
    ``school_name`` is for people (the JSON and CSV name the school by its id)."""

    school_id: str
    level_before: Award | None
    level_after: Award | None
    awards: tuple[AwardChange, ...] = field(converter=_award_changes)
    decisions: tuple[DecisionChange, ...] = field(converter=_decision_changes)
    error_before: str | None = None
    error_after: str | None = None
    school_name: str = ""

    @property
    def unchanged(self) -> bool:
        """Whether nothing differs."""
        return not self.kinds

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of change, each phrased after "N schools" (``lose flagship``)."""
        found: list[str] = []
        if self.error_before != self.error_after:
            found.append("become invalid" if self.error_after else "become valid")
        if self.level_before != self.level_after:
            if self.level_before is not None:
                found.append(f"lose {self.level_before.value}")
            if self.level_after is not None:
                found.append(f"gain {self.level_after.value}")
        found.extend(kind for change in self.awards for kind in change.kinds)
        if self.decisions:
            found.append("have a decision changed")
        return tuple(dict.fromkeys(found))


@frozen
class Summary:
    """Schools counted per kind of change and per rule responsible; ``unchanged`` schools."""

    schools: int
    unchanged: int
    kinds: tuple[tuple[str, int], ...]
    rules: tuple[tuple[str, int], ...]


def _name(level: Award | None) -> str:
    return "nothing" if level is None else level.value


def _outcome(decision: Decision) -> str:
    return f"{decision.outcome.value} {_name(decision.awarded_level)}"


def _decision_change(school: str, before: Decision, after: Decision) -> DecisionChange | None:
    if (before.outcome, before.awarded_level) == (after.outcome, after.awarded_level):
        return None
    was = {f.rule: f.passed for f in before.findings}
    flips = tuple(
        Flip(f.rule, f.passed, f.message, f.missing)
        for f in after.findings
        if f.rule in was and was[f.rule] != f.passed
    )
    why = "; ".join(
        f"{f.rule} now {'passes' if f.now_passes else 'fails'}"
        + (
            f": {f.message.rsplit(': ', 1)[-1].removeprefix('not met, ')}"
            if not f.now_passes
            else ""
        )
        for f in flips
    )
    line = (
        f"{school} {after.assessment_id} {after.held_on.isoformat()}: "
        f"{_outcome(before)} -> {_outcome(after)}" + (f" ({why})" if why else "")
    )
    return DecisionChange(
        after.assessment_id,
        after.held_on,
        _outcome(before),
        _outcome(after),
        flips,
        line,
        after.level_sought,
        before.awarded_level,
        after.awarded_level,
    )


def _dated(kind: str, award: Award, before: date | None, after: date | None) -> list[str]:
    if before is None or after is None or before == after:
        return []
    return [f"{award.value} {kind} {'earlier' if after < before else 'later'}"]


def _award_change(before: AwardStatus, after: AwardStatus) -> AwardChange | None:
    if before == after:
        return None
    award = before.award
    kinds = []
    if before.state != after.state:
        kinds.append(f"{award.value} {before.state.value} -> {after.state.value}")
    kinds += _dated("due", award, before.due, after.due)
    kinds += _dated("lapse", award, before.lapses_on, after.lapses_on)
    kinds += _dated("end", award, before.ended_on, after.ended_on)
    kinds += _dated("start", award, before.since, after.since)
    if not kinds:
        kinds.append(f"{award.value} dates change")
    return AwardChange(award, before, after, kinds)


def _report(
    history: SchoolHistory, as_of: date, policy: Policy | PolicyBook
) -> tuple[StatusReport | None, tuple[Decision, ...], str | None]:
    try:
        report = replay(history, policy).status(as_of)
    except InvalidRecord as error:
        return None, (), str(error)
    return report, report.decisions, None


def compare_school(
    history: SchoolHistory,
    as_of: date,
    base: Policy | PolicyBook,
    proposed: Policy | PolicyBook,
) -> SchoolChange:
    """What ``proposed`` changes for one school on ``as_of``, against ``base``."""
    school = history.school.id
    old, old_decisions, old_error = _report(history, as_of, base)
    new, new_decisions, new_error = _report(history, as_of, proposed)
    awards: list[AwardChange] = []
    decisions: list[DecisionChange] = []
    if old is not None and new is not None:
        for award in Award:
            change = _award_change(old.award(award), new.award(award))
            if change is not None:
                awards.append(change)
        after = {d.assessment_id: d for d in new_decisions}
        for decision in old_decisions:
            if decision.assessment_id in after:
                found = _decision_change(school, decision, after[decision.assessment_id])
                if found is not None:
                    decisions.append(found)
    return SchoolChange(
        school_id=school,
        level_before=None if old is None else old.level,
        level_after=None if new is None else new.level,
        awards=awards,
        decisions=decisions,
        error_before=old_error,
        error_after=new_error,
        school_name=history.school.name,
    )


def compare(
    histories: Iterable[SchoolHistory],
    as_of: date,
    base: Policy | PolicyBook,
    proposed: Policy | PolicyBook,
) -> Iterator[SchoolChange]:
    """One :class:`SchoolChange` per history, in order, lazily (so inputs can stream)."""
    for history in histories:
        yield compare_school(history, as_of, base, proposed)


def summarise(changes: Iterable[SchoolChange], unchanged_elsewhere: int = 0) -> Summary:
    """Schools per kind of change, schools per rule that flipped, and schools unchanged.

    ``unchanged_elsewhere`` counts unchanged schools not in ``changes`` (a stream need not keep
    them).
    """
    kinds: Counter[str] = Counter()
    responsible: Counter[str] = Counter()
    schools = unchanged = unchanged_elsewhere
    for change in changes:
        schools += 1
        if change.unchanged:
            unchanged += 1
        kinds.update(change.kinds)
        responsible.update({f.rule for d in change.decisions for f in d.flips})
    return Summary(
        schools,
        unchanged,
        tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        tuple(sorted(responsible.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _day(day: date | None) -> str:
    return "-" if day is None else day.isoformat()


def _record(change: SchoolChange) -> dict[str, object]:
    return {
        "school_id": change.school_id,
        "unchanged": change.unchanged,
        "kinds": list(change.kinds),
        "level": {"before": _name(change.level_before), "after": _name(change.level_after)},
        "error": {"before": change.error_before, "after": change.error_after},
        "awards": [
            {
                "award": a.award.value,
                "kinds": list(a.kinds),
                **{
                    when: {
                        "state": s.state.value,
                        **{
                            k: _iso(getattr(s, k))
                            for k in ("since", "due", "lapses_on", "ended_on")
                        },
                    }
                    for when, s in (("before", a.before), ("after", a.after))
                },
            }
            for a in change.awards
        ],
        "decisions": [
            {
                "assessment_id": d.assessment_id,
                "held_on": d.held_on.isoformat(),
                "before": d.before,
                "after": d.after,
                "flips": [
                    {"rule": f.rule, "now_passes": f.now_passes, "message": f.message}
                    for f in d.flips
                ],
                "text": d.text,
            }
            for d in change.decisions
        ],
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _summary_record(summary: Summary) -> dict[str, object]:
    return {
        "schools": summary.schools,
        "unchanged": summary.unchanged,
        "kinds": dict(summary.kinds),
        "rules": dict(summary.rules),
    }


def jsonl_line(change: SchoolChange) -> str:
    """One school's change as one line of JSON (sorted keys)."""
    return readable_json(_record(change))


def jsonl_lines(changes: Iterable[SchoolChange]) -> Iterator[str]:
    """One JSON object per school that changed (sorted keys, one line each)."""
    return (jsonl_line(change) for change in changes if not change.unchanged)


def json_data(changes: Sequence[SchoolChange], summary: Summary) -> dict[str, object]:
    """The JSON data of the report: the changed schools and the summary (schema ``what-if``)."""
    return {
        "schools": [_record(c) for c in changes if not c.unchanged],
        "summary": _summary_record(summary),
    }


def json_text(changes: Sequence[SchoolChange], summary: Summary) -> str:
    """One JSON document for people and programs: :func:`json_data`, indented."""
    return readable_json(json_data(changes, summary), indent=2) + "\n"


CSV_COLUMNS = ("school_id", "what", "before", "after", "rules", "detail")


def _rows(change: SchoolChange) -> Iterator[Mapping[str, str]]:
    if change.level_before != change.level_after:
        yield {
            "what": "level",
            "before": _name(change.level_before),
            "after": _name(change.level_after),
        }
    for a in change.awards:
        yield {
            "what": a.award.value,
            "before": f"{a.before.state.value} due {_day(a.before.due)}",
            "after": f"{a.after.state.value} due {_day(a.after.due)}",
            "detail": "; ".join(a.kinds),
        }
    for d in change.decisions:
        yield {
            "what": f"decision {d.assessment_id} {d.held_on.isoformat()}",
            "before": d.before,
            "after": d.after,
            "rules": " ".join(f.rule for f in d.flips),
            "detail": d.text,
        }
    if change.error_before != change.error_after:
        yield {
            "what": "error",
            "before": change.error_before or "",
            "after": change.error_after or "",
        }


def csv_header() -> str:
    """The header line of :func:`csv_text`."""
    return ",".join(CSV_COLUMNS) + "\n"


def csv_rows(change: SchoolChange) -> str:
    """The CSV rows of one school: one per change (level, award, decision), none if unchanged."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, restval="", lineterminator="\n")
    for row in _rows(change):
        writer.writerow({"school_id": change.school_id, **row})
    return out.getvalue()


def csv_text(changes: Iterable[SchoolChange]) -> str:
    """One CSV row per change (level, award, decision) of every changed school, with a header."""
    return csv_header() + "".join(map(csv_rows, changes))

"""Auditing many schools: one report of every recorded outcome compared with the rules.

:func:`audit_school` audits one history (RULEBOOK §1 ``recorded_outcome``, compared as
:func:`iqm_rules.auditing.audit.audit` does); :func:`summarise` combines the per-school results, and
the inputs that could not be read, into one :class:`AuditReport`. The renderers turn a report into
text, JSON, JSON Lines (one disagreement per line) or CSV; they are pure functions.

Each disagreement carries its explanation. When the body recorded *more* than the rules give, the
failing rules of the levels it recorded beyond the rules' level, with their messages. When it
recorded *less*, that every rule up to the rules' level passed, and which rules above it failed.

>>> from iqm_rules import example_text, load_history
>>> report = summarise([audit_school(load_history(example_text("first-award")))])
>>> report.schools, report.compared, report.disagreed
(1, 1, 0)
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Final

import attrs
from attrs import field, frozen

from iqm_rules._shown import shown
from iqm_rules.auditing.audit import Disagreement, compare, decisions
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.formats import AUDIT_FORMAT
from iqm_rules.lifecycle.said import action_lines, rule_title
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.words import ENGLISH, Words

__all__ = [
    "AuditReport",
    "BadInput",
    "SchoolAudit",
    "SchoolDisagreement",
    "audit_school",
    "disagreement_said",
    "explanation_said",
    "report_csv",
    "report_json",
    "report_jsonl",
    "report_text",
    "summarise",
]


def _findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(findings)


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(names)


def _level(level: Award | None) -> str:
    return level.value if level is not None else "nothing"


@frozen
class SchoolDisagreement:
    """One assessment whose recorded outcome is not the level the rules give, and why.

    ``failing`` holds the rules that explain the difference: when ``recorded`` is above
    ``computed``, the failing rules of the levels in between (up to ``recorded``); when it is
    below, the failing rules above ``computed`` (possibly none). ``passed`` names, when it is
    below, every rule up to ``computed``, which all passed.
    """

    school_id: str
    school_name: str
    location: str
    assessment_id: str
    held_on: date
    sought: Award
    recorded: Award | None
    computed: Award | None
    failing: tuple[Finding, ...] = field(converter=_findings)
    passed: tuple[str, ...] = field(converter=_names, default=())

    @property
    def recorded_more(self) -> bool:
        """Whether the body recorded more than the rules give."""
        if self.recorded is None:
            return False
        return self.computed is None or self.recorded > self.computed

    def explanation(self) -> str:
        """Why the rules give another level, in one English sentence with the rulebook's values:
        the ``explanation`` of the JSON documents (text and CSV say it in plain words, with
        :func:`explanation_said`).

        >>> d = SchoolDisagreement("URN-1", "A School", "x.json", "A1", date(2024, 3, 10),
        ...     Award.FLAGSHIP, Award.CENTRE_OF_EXCELLENCE, Award.INCLUSIVE_SCHOOL,
        ...     [Finding("CE-1", Award.CENTRE_OF_EXCELLENCE, False, "3 of 4 embedded")])
        >>> print(d.explanation())
        recorded centre_of_excellence, the rules give inclusive_school:
        CE-1 fails (3 of 4 embedded)
        """
        head = f"recorded {_level(self.recorded)}, the rules give {_level(self.computed)}"
        fails = "; ".join(f"{f.rule} fails ({f.message})" for f in self.failing)
        if self.recorded_more:
            if self.recorded is not None and self.recorded > self.sought:
                fails = "; ".join(filter(None, (fails, f"{self.sought.value} was sought")))
            return f"{head}: {fails}"
        passed = f"every rule up to {_level(self.computed)} passes ({', '.join(self.passed)})"
        return f"{head}: {passed}" + (f"; above it {fails}" if fails else "")


def _level_said(words: Words, level: Award | None) -> str:
    return words.title(level) if level is not None else words.gettext("nothing")


def _failing_said(words: Words, finding: Finding) -> str:
    """``FS-1 (Every element embedded) is not met: raise to Embedded: Curriculum``."""
    title = rule_title(words, finding.rule)
    if finding.missing is None:
        return words.gettext("%(rule)s (%(title)s) is not met", rule=finding.rule, title=title)
    return words.gettext(
        "%(rule)s (%(title)s) is not met: %(actions)s",
        rule=finding.rule,
        title=title,
        actions=words.listing(action_lines(words, finding.missing)),
    )


def explanation_said(words: Words, found: SchoolDisagreement) -> str:
    """Why the rules give another level, in plain words of ``words``' language: every level and
    rule by its title, and what the failing rules lack (the text report and the CSV's
    ``explanation`` column).

    >>> d = SchoolDisagreement("URN-1", "A School", "x.json", "A1", date(2024, 3, 10),
    ...     Award.FLAGSHIP, Award.CENTRE_OF_EXCELLENCE, Award.INCLUSIVE_SCHOOL,
    ...     [Finding("CE-1", Award.CENTRE_OF_EXCELLENCE, False, "3 of 4 embedded")])
    >>> print(*explanation_said(ENGLISH, d).split(": "), sep=":\\n")
    recorded Centre of Excellence, the rules give Inclusive School Award:
    CE-1 (Enough elements embedded, the required ones among them) is not met
    """
    values = {
        "recorded": _level_said(words, found.recorded),
        "computed": _level_said(words, found.computed),
        "failing": words.listing([_failing_said(words, f) for f in found.failing]),
    }
    if found.recorded_more:
        if found.recorded is not None and found.recorded > found.sought:
            if not found.failing:
                return words.gettext(
                    "recorded %(recorded)s, though %(sought)s was sought; the rules give "
                    "%(computed)s",
                    sought=words.title(found.sought),
                    **values,
                )
            return words.gettext(
                "recorded %(recorded)s, though %(sought)s was sought; the rules give "
                "%(computed)s: %(failing)s",
                sought=words.title(found.sought),
                **values,
            )
        return words.gettext(
            "recorded %(recorded)s, the rules give %(computed)s: %(failing)s", **values
        )
    passed = words.gettext(
        "recorded %(recorded)s, the rules give %(computed)s: every rule up to %(computed)s "
        "passes (%(passed)s)",
        passed=", ".join(found.passed),
        **values,
    )
    if not found.failing:
        return passed
    return words.gettext(
        "%(passed)s; above it, %(failing)s", passed=passed, failing=values["failing"]
    )


@frozen
class BadInput:
    """A file or line that could not be audited: where (``file`` or ``file:line``) and why."""

    location: str
    error: str


@frozen
class SchoolAudit:
    """One school's audit: how many recorded outcomes were compared, and the disagreements."""

    school_id: str
    school_name: str
    compared: int
    disagreements: tuple[SchoolDisagreement, ...]

    def located(self, location: str) -> SchoolAudit:
        """The same audit, its disagreements read at ``location`` (a file, ``file:line``)."""
        found = tuple(attrs.evolve(d, location=location) for d in self.disagreements)
        return attrs.evolve(self, disagreements=found)


def _explained(
    history: SchoolHistory,
    replayed: Iterable[Decision],
    found: Iterable[Disagreement],
    location: str,
) -> Iterator[SchoolDisagreement]:
    """Each disagreement of ``history`` with the rules that explain it (see the class)."""
    by_id = {decision.assessment_id: decision for decision in replayed}
    for disagreement in found:
        decision = by_id[disagreement.assessment_id]
        computed, recorded = disagreement.decided, disagreement.recorded
        rank = computed.rank if computed is not None else -1
        if recorded is not None and recorded.rank > rank:
            failing = [f for f in disagreement.failing if rank < f.level.rank <= recorded.rank]
            passed: list[str] = []
        else:
            failing = [f for f in disagreement.failing if f.level.rank > rank]
            passed = [f.rule for f in decision.findings if f.level.rank <= rank]
        yield SchoolDisagreement(
            history.school.id,
            history.school.name,
            location,
            disagreement.assessment_id,
            disagreement.held_on,
            decision.level_sought,
            recorded,
            computed,
            failing,
            passed,
        )


def audit_school(
    history: SchoolHistory, policy: Policy | PolicyBook = DEFAULT_POLICY, location: str = ""
) -> SchoolAudit:
    """The audit of one school's recorded outcomes; ``location`` says where it was read.

    Compares :func:`iqm_rules.auditing.audit.decisions` (one replay) as
    :func:`iqm_rules.auditing.audit.audit` does, keeping the decisions to explain each disagreement.
    Raises :class:`~iqm_rules.errors.InvalidRecord` for an invalid history.
    """
    replayed = decisions(history, policy)
    result = compare(history, replayed)
    found = tuple(_explained(history, replayed, result.disagreements, location))
    return SchoolAudit(history.school.id, history.school.name, result.compared, found)


def _bad(bad: Iterable[BadInput]) -> tuple[BadInput, ...]:
    return tuple(bad)


def _disagreements(found: Iterable[SchoolDisagreement]) -> tuple[SchoolDisagreement, ...]:
    return tuple(found)


@frozen
class AuditReport:
    """Every school's audit in one: counts, the bad inputs and every disagreement, in input order.

    ``schools`` counts the histories read and audited; ``compared`` the assessments with a
    recorded outcome, of which ``agreed`` agree with the rules and ``disagreed`` do not.
    """

    schools: int
    compared: int
    agreed: int
    disagreed: int
    bad: tuple[BadInput, ...] = field(converter=_bad)
    disagreements: tuple[SchoolDisagreement, ...] = field(converter=_disagreements)

    @property
    def clean(self) -> bool:
        """Whether every compared outcome agreed and every input was read."""
        return not self.disagreed and not self.bad


def summarise(results: Iterable[SchoolAudit | BadInput]) -> AuditReport:
    """One report of per-school audits and bad inputs, in the order given."""
    schools = compared = 0
    bad: list[BadInput] = []
    found: list[SchoolDisagreement] = []
    for result in results:
        if isinstance(result, BadInput):
            bad.append(result)
            continue
        schools += 1
        compared += result.compared
        found += result.disagreements
    return AuditReport(schools, compared, compared - len(found), len(found), bad, found)


# Renderers


def _counts(words: Words, report: AuditReport) -> str:
    values = {
        "schools": words.ngettext("%(n)s school audited", "%(n)s schools audited", report.schools),
        "compared": words.ngettext(
            "%(n)s recorded outcome compared", "%(n)s recorded outcomes compared", report.compared
        ),
        "agreement": words.gettext(
            "%(agreed)s agree, %(disagreed)s disagree",
            agreed=report.agreed,
            disagreed=report.disagreed,
        ),
    }
    if not report.bad:
        return words.gettext("%(schools)s, %(compared)s: %(agreement)s", **values)
    return words.gettext(
        "%(schools)s, %(compared)s: %(agreement)s; %(bad)s",
        bad=words.ngettext(
            "%(n)s input could not be read", "%(n)s inputs could not be read", len(report.bad)
        ),
        **values,
    )


def disagreement_said(words: Words, found: SchoolDisagreement) -> str:
    """One disagreement of the text report: the school, the assessment and why."""
    school = f"{found.school_id} ({found.school_name})" if found.school_name else found.school_id
    return words.gettext(
        "%(school)s: assessment %(assessment)s of %(day)s: %(explanation)s",
        school=school,
        assessment=found.assessment_id,
        day=words.date(found.held_on),
        explanation=explanation_said(words, found),
    )


def report_text(report: AuditReport, width: int = 80, words: Words = ENGLISH) -> str:
    """The report for people in ``words``' language: the counts, then each disagreement (its
    date written out, as ``status`` writes dates) and bad input, each wrapped to ``width``
    columns with the lines after its first indented. Names, ids, locations and errors are shown
    safe on a terminal (:func:`~iqm_rules._shown.shown`); the CSV, like the JSON, holds them
    exactly."""
    lines = [_counts(words, report)]
    lines += [disagreement_said(words, found) for found in report.disagreements]
    lines += [f"{bad.location}: {bad.error}" for bad in report.bad]
    return "".join(_wrapped(shown(line), width) + "\n" for line in lines)


def _wrapped(line: str, width: int) -> str:
    """``line`` in lines of at most ``width`` columns, ids, paths and words kept whole."""
    return textwrap.fill(
        line, width=width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )


def _finding(finding: Finding) -> dict[str, Any]:
    return {"rule": finding.rule, "level": finding.level.value, "message": finding.message}


def disagreement_data(found: SchoolDisagreement) -> dict[str, Any]:
    """The JSON data of one disagreement."""
    return {
        "school_id": found.school_id,
        "school_name": found.school_name,
        "location": found.location,
        "assessment_id": found.assessment_id,
        "held_on": found.held_on.isoformat(),
        "sought": found.sought.value,
        "recorded": found.recorded.value if found.recorded is not None else None,
        "computed": found.computed.value if found.computed is not None else None,
        "failing": [_finding(f) for f in found.failing],
        "passed": list(found.passed),
        "explanation": found.explanation(),
    }


def report_json(report: AuditReport) -> str:
    """The report as one JSON object (``format`` ``iqm-rules/audit-report@1``), on one line."""
    return canonical_json(
        {
            "format": AUDIT_FORMAT,
            "schools": report.schools,
            "compared": report.compared,
            "agreed": report.agreed,
            "disagreed": report.disagreed,
            "bad": [{"location": b.location, "error": b.error} for b in report.bad],
            "disagreements": [disagreement_data(found) for found in report.disagreements],
        }
    )


def report_jsonl(report: AuditReport) -> str:
    """One JSON object per disagreement, one per line (empty text when none disagree)."""
    return "".join(
        canonical_json(disagreement_data(found)) + "\n" for found in report.disagreements
    )


CSV_COLUMNS: Final = (
    "school_id",
    "school_name",
    "location",
    "assessment_id",
    "held_on",
    "sought",
    "recorded",
    "computed",
    "failing_rules",
    "explanation",
)


def csv_row(found: SchoolDisagreement, words: Words = ENGLISH) -> list[str]:
    """One disagreement as a CSV row of :data:`CSV_COLUMNS`: every column but the last holds
    ids and the rulebook's values, for programs; ``explanation`` is for people, in ``words``'
    language (:func:`explanation_said`)."""
    return [
        found.school_id,
        found.school_name,
        found.location,
        found.assessment_id,
        found.held_on.isoformat(),
        found.sought.value,
        _level(found.recorded),
        _level(found.computed),
        " ".join(f.rule for f in found.failing),
        explanation_said(words, found),
    ]


def report_csv(report: AuditReport, words: Words = ENGLISH) -> str:
    """A header row, then one row per disagreement, for a spreadsheet (:func:`csv_row`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(found, words) for found in report.disagreements)
    return out.getvalue()

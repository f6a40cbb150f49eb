"""A planned assessment and the school's readiness for it; evidence logs kept as CSV.

A school preparing a visit has a date, the level it seeks, the evidence and commitments it has
so far and the cluster meetings it attended, but no judgements yet. :func:`load_plan` reads that
from an ``iqm-rules/planned@1`` document, or from a history whose last assessment is the planned
one (its ``judgements`` may be left out); :func:`plan_readiness` runs
:func:`~iqm_rules.decisions.readiness.readiness` with what the school held just before the visit.
:func:`load_evidence_csv` reads the evidence log schools keep in spreadsheets, with errors naming
the file, line and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._dates import parse_date
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, AssessmentKind, Commitment
from iqm_rules.awards import Award
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.readiness import Readiness, readiness
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import Event, School, SchoolHistory, event_date
from iqm_rules.interchange import HISTORY_FORMAT, structure, unstructure
from iqm_rules.interchange._json import canonical, given
from iqm_rules.interchange._jsontext import readable_json
from iqm_rules.interchange.formats import PLANNED_FORMAT, READINESS_FORMAT
from iqm_rules.lifecycle.replay import status
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = [
    "PLANNED_FORMAT",
    "READINESS_FORMAT",
    "Plan",
    "dump_readiness",
    "evidence_json",
    "load_evidence_csv",
    "load_plan",
    "plan_of",
    "plan_readiness",
    "prior_to",
]


@frozen
class Plan:
    """An assessment a school is preparing, and the school's history before it.

    ``events`` are the assessments and withdrawals before ``held_on`` (what the school held
    then is what FS-4 and a review need); the rest is the assessment as planned so far.
    """

    school: School
    held_on: date = field(validator=v.a_date)
    level_sought: Award = field(validator=v.term(Award))
    kind: AssessmentKind = field(default=AssessmentKind.FULL, validator=v.term(AssessmentKind))
    evidence: tuple[EvidenceItem, ...] = field(default=(), converter=v.a_tuple)
    commitments: frozenset[Commitment] = field(
        default=frozenset(), converter=v.frozen_set, validator=v.set_of_terms(Commitment)
    )
    cluster_meetings_attended: int = field(default=0, validator=v.count(0))
    events: tuple[Event, ...] = field(default=(), converter=v.a_tuple)

    @property
    def history(self) -> SchoolHistory:
        """The school's history before the planned assessment."""
        return SchoolHistory(self.school, self.events)


def load_plan(data: Mapping[str, Any]) -> Plan:
    """A plan from a parsed ``iqm-rules/planned@1`` or ``iqm-rules/history@1`` document.

    From a history, the planned assessment is the last by date (the last given, on a tie); its
    ``judgements`` may be left out, and are not read if given.

    >>> plan = load_plan({"format": "iqm-rules/planned@1", "school": {"id": "S", "name": ""},
    ...                   "held_on": "2026-03-01", "level_sought": "inclusive_school"})
    >>> plan.held_on, plan.kind.value, plan.events
    (datetime.date(2026, 3, 1), 'full', ())
    """
    form = data.get("format")
    if form == PLANNED_FORMAT:
        return structure({k: v for k, v in data.items() if k != "format"}, Plan)
    if form != HISTORY_FORMAT:
        raise InvalidRecord(
            "format", f'must be "{PLANNED_FORMAT}" or "{HISTORY_FORMAT}", got {given(form)}'
        )
    events = data.get("events")
    assessments = [
        i
        for i, e in enumerate(events if isinstance(events, list) else [])
        if isinstance(e, dict) and e.get("type") == "assessment"
    ]
    if not assessments:
        raise InvalidRecord("events", "a history read as a plan needs an assessment to plan")
    assert isinstance(events, list)
    filled = [
        {"judgements": dict.fromkeys((e.value for e in Element), "not_evidenced"), **e}
        if i in assessments and isinstance(e, dict)
        else e
        for i, e in enumerate(events)
    ]
    history = structure(
        {"school": data.get("school"), "events": filled, **_extra(data)}, SchoolHistory
    )
    last = max(assessments, key=lambda i: (event_date(history.events[i]), i))  # the planned one
    planned = history.events[last]
    assert isinstance(planned, Assessment)
    return _planned(history, planned, history.events[:last] + history.events[last + 1 :])


def _planned(history: SchoolHistory, planned: Assessment, events: tuple[Event, ...]) -> Plan:
    """The plan of ``planned``, one assessment of ``history``, with the ``events`` around it."""
    return Plan(
        school=history.school,
        held_on=planned.held_on,
        level_sought=planned.level_sought,
        kind=planned.kind,
        evidence=planned.evidence,
        commitments=planned.commitments,
        cluster_meetings_attended=planned.cluster_meetings_attended,
        events=events,
    )


def plan_of(history: SchoolHistory, assessment_id: str) -> Plan:
    """The plan of the assessment ``assessment_id`` of ``history``, as if it had not been judged.

    Its events are those before it: earlier dates, and earlier in the history on its own date
    (§7.1); its judgements and recorded outcome are not read. Raises :class:`InvalidRecord` at
    ``assessment_id`` when the history has no such assessment.

    >>> from iqm_rules.interchange.examples import example_text
    >>> from iqm_rules.interchange import load_history
    >>> plan = plan_of(load_history(example_text("inclusive-to-coe")), "RS-2023-01")
    >>> plan.held_on.isoformat(), plan.level_sought.value, len(plan.events)
    ('2023-06-14', 'centre_of_excellence', 1)
    """
    found = [
        (index, event)
        for index, event in enumerate(history.events)
        if isinstance(event, Assessment) and event.id == assessment_id
    ]
    if not found:
        ids = [e.id for e in history.events if isinstance(e, Assessment)]
        raise InvalidRecord(
            "assessment_id",
            f"no assessment {given(assessment_id)} in this history; "
            f"the assessments are {', '.join(ids) or 'none'}",
        )
    index, planned = found[0]
    assert isinstance(planned, Assessment)
    before = tuple(
        event
        for i, event in enumerate(history.events)
        if (event_date(event), i) < (planned.held_on, index)
    )
    return _planned(history, planned, before)


def _extra(data: Mapping[str, Any]) -> dict[str, Any]:
    """Keys of a history other than its own, so that the reader reports them as unknown."""
    return {k: v for k, v in data.items() if k not in ("format", "school", "events")}


def prior_to(plan: Plan, policy: Policy | PolicyBook = DEFAULT_POLICY) -> Prior:
    """What the school holds just before ``plan.held_on``, from the events before it (§7.1)."""
    report = status(plan.history, plan.held_on, policy)
    held = frozenset(a.award for a in report.awards if a.state.is_held)
    coe = report.awards[Award.CENTRE_OF_EXCELLENCE.rank]
    return Prior(held=held, coe_since=coe.since if coe.state.is_held else None)


def plan_readiness(plan: Plan, policy: Policy | PolicyBook = DEFAULT_POLICY) -> Readiness:
    """How ready the school is for ``plan``, level by level (see
    :mod:`iqm_rules.decisions.readiness`)."""
    return readiness(
        plan.evidence,
        plan.commitments,
        plan.held_on,
        prior_to(plan, policy),
        policy,
        plan.cluster_meetings_attended,
    )


def dump_readiness(plan: Plan, result: Readiness) -> str:
    """The canonical ``iqm-rules/readiness@1`` document: the plan's school and level sought,
    then every level's state, shortfalls and rules awaiting judgement, and every finding."""
    return canonical(
        READINESS_FORMAT,
        {
            "school": unstructure(plan.school),
            "level_sought": plan.level_sought.value,
            **unstructure(result),
        },
    )


# Evidence logs as CSV

_COLUMNS: Final = ("id", "element", "principles", "kind", "collected_on", "summary")
_REQUIRED: Final = _COLUMNS[:5]


def _column(header: str) -> str:
    return "_".join(header.strip().lower().replace("_", " ").split())


def _term_named(kind: type[Term], text: str) -> Term:
    """A vocabulary member by its JSON value or its title, case-insensitively."""
    wanted = " ".join(text.strip().casefold().replace("_", " ").split())
    for member in kind:
        if wanted in (member.value.replace("_", " "), member.title.casefold()):
            return member
    raise ValueError(
        f"{given(text.strip())} is not one of {kind.allowed()} (or their titles: "
        + "; ".join(m.title for m in kind)
        + ")"
    )


def _cell(
    where: str, column: str, row: Mapping[str, str], read: Any, allowed_blank: bool = False
) -> Any:
    text = (row.get(column) or "").strip()
    if not text and not allowed_blank:
        raise InvalidRecord(f"{where}: {column}", "is empty")
    try:
        return read(text)
    except (ValueError, InvalidRecord) as error:
        problem = error.problem if isinstance(error, InvalidRecord) else str(error)
        raise InvalidRecord(f"{where}: {column}", problem) from None


def _day(text: str) -> date:
    day = parse_date(text)
    if day is None:
        raise ValueError(f"must be a date written YYYY-MM-DD, got {given(text)}")
    return day


def _principles(text: str) -> frozenset[Principle]:
    parts = [p for p in text.split(";") if p.strip()]
    return frozenset(_term_named(Principle, p) for p in parts)  # type: ignore[misc]


def load_evidence_csv(text: str | bytes, name: str = "evidence.csv") -> tuple[EvidenceItem, ...]:
    """The evidence items of a CSV evidence log, one a row after a header row.

    Columns: ``id``, ``element``, ``principles`` (separated by ``;``), ``kind``, ``collected on``
    and ``summary`` (may be left out). Headers are read case-insensitively, with spaces or
    underscores; elements, principles and kinds by JSON value (spaces for underscores) or by
    title, case-insensitively.
    Blank rows are skipped. A problem is an :class:`InvalidRecord` naming ``name``, the line and
    the column, and what is allowed.

    >>> log = ("id,element,principles,kind,collected on\\n"
    ...        "E1,Curriculum,inclusive ethos;access_and_diversity,pupil voice,2025-01-10\\n")
    >>> item, = load_evidence_csv(log)
    >>> item.element.value, item.kind.value, sorted(p.value for p in item.principles)
    ('curriculum', 'pupil_voice', ['access_and_diversity', 'inclusive_ethos'])
    >>> load_evidence_csv(log.replace("pupil voice", "pupils"))
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: evidence.csv:2: kind: "pupils" is not one of ...
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidRecord(name, f"not UTF-8 text (byte {error.start})") from None
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidRecord(name, "is empty; the first line names the columns") from None
    columns = [_column(h) for h in header]
    for index, column in enumerate(columns):
        if column not in _COLUMNS:
            raise InvalidRecord(
                f"{name}:1: column {index + 1}",
                f"unknown column {given(header[index])}; allowed: "
                "id, element, principles, kind, collected on, summary",
            )
    lacking = [c for c in _REQUIRED if c not in columns]
    if lacking:
        raise InvalidRecord(f"{name}:1", f"missing columns: {', '.join(lacking)}")
    items: list[EvidenceItem] = []
    first_line: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{name}:{line}"
        if len(cells) > len(columns):
            raise InvalidRecord(where, f"{len(cells)} cells, the header names {len(columns)}")
        row = dict(zip(columns, cells, strict=False))
        item_id = _cell(where, "id", row, str)
        if item_id in first_line:
            raise InvalidRecord(
                f"{where}: id",
                f"repeated evidence id {given(item_id)} (first on line {first_line[item_id]})",
            )
        first_line[item_id] = line
        items.append(
            EvidenceItem(
                id=item_id,
                element=_cell(where, "element", row, lambda t: _term_named(Element, t)),
                principles=_cell(where, "principles", row, _principles),
                kind=_cell(where, "kind", row, lambda t: _term_named(EvidenceKind, t)),
                collected_on=_cell(where, "collected_on", row, _day),
                summary=_cell(where, "summary", row, str, allowed_blank=True),
            )
        )
    return tuple(items)


def evidence_json(items: tuple[EvidenceItem, ...]) -> str:
    """The items as a JSON array, as the ``evidence`` of a history or a plan, one a line."""
    lines = [readable_json(unstructure(item)) for item in items]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"

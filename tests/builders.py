"""The one home of the tests' record builders: an evidence item, an assessment (meeting the
rules up to a chosen level), judgement sets, a prior, a school's history, and ``mutate`` for JSON
documents. Hypothesis strategies live in ``iqm_rules.testing``
(public) and in ``strategies_*.py`` (those only the tests need)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from iqm_rules.assessment import Assessment, AssessmentKind, Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.rules import CE_COMMITMENTS, FS_COMMITMENTS
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import Event, School, SchoolHistory, Withdrawal
from iqm_rules.principles import Element, Principle

__all__ = [
    "ALL_COMMITMENTS",
    "FOUR_EMBEDDED",
    "HELD_ON",
    "RECENTLY",
    "SCHOOL",
    "assessment",
    "flagship_ready",
    "good_evidence",
    "history",
    "holding_coe",
    "item",
    "judged",
    "judgements_meeting",
    "mutate",
    "review",
    "withdrawal",
]

HELD_ON = date(2024, 3, 10)
RECENTLY = date(2024, 1, 5)
VOICES = (EvidenceKind.PUPIL_VOICE, EvidenceKind.PARENT_VOICE, EvidenceKind.STAFF_VOICE)
ALL_COMMITMENTS = frozenset(Commitment)


def item(
    id: Any = "E1",
    element: Any = Element.ASSESSMENT,
    principles: Any = frozenset({Principle.RAISING_ACHIEVEMENT}),
    kind: Any = EvidenceKind.DOCUMENT,
    collected_on: Any = RECENTLY,
    summary: Any = "Evidence",
) -> EvidenceItem:
    """One evidence item, fields by position or keyword; any value, so validation tests can
    give bad ones."""
    return EvidenceItem(id, element, principles, kind, collected_on, summary)


def good_evidence(collected_on: date = RECENTLY) -> tuple[EvidenceItem, ...]:
    """Two items per element, every principle on each, three voices: meets EV-1, EV-2, EV-3."""
    return tuple(
        item(f"E{index + 1}", element, frozenset(Principle), VOICES[index % 3], collected_on)
        for index, element in enumerate(e for e in Element for _ in range(2))
    )


def judged(
    default: Judgement = Judgement.ESTABLISHED, **changes: Judgement
) -> dict[Element, Judgement]:
    """Every element judged ``default`` except the ones named by JSON value."""
    return {element: changes.get(element.value, default) for element in Element}


FOUR_EMBEDDED = judged(
    inclusion_values=Judgement.EMBEDDED,
    leadership_management_accountability=Judgement.EMBEDDED,
    teaching_and_learning=Judgement.EMBEDDED,
    community_links=Judgement.EMBEDDED,
)
"""Worked example 1's judgements: four elements embedded, inclusion_values among them (CE-1)."""


def judgements_meeting(level: Award | None) -> dict[Element, Judgement]:
    """Judgements that meet IS-1, CE-1 and FS-1 up to ``level`` and fail the next one up
    (``None``: every element ``developing``, so IS-1 fails)."""
    if level is None:
        return judged(Judgement.DEVELOPING)
    if level is Award.INCLUSIVE_SCHOOL:
        return judged()
    if level is Award.CENTRE_OF_EXCELLENCE:
        return judged(**dict.fromkeys(_FIRST_FOUR, Judgement.EMBEDDED))
    return judged(Judgement.EMBEDDED)


_FIRST_FOUR = tuple(element.value for element in list(Element)[:4])

_COMMITMENTS_MEETING: dict[Award | None, frozenset[Commitment]] = {
    None: frozenset(),
    Award.INCLUSIVE_SCHOOL: frozenset(),
    Award.CENTRE_OF_EXCELLENCE: CE_COMMITMENTS,
    Award.FLAGSHIP: CE_COMMITMENTS | FS_COMMITMENTS,
}

_EVIDENCE_AGE = timedelta(days=65)
"""How long before ``held_on`` the evidence is collected: 2024-03-10 gives :data:`RECENTLY`."""


def _collected_for(held_on: object) -> date:
    """65 days before ``held_on``; a ``held_on`` that is no date (validation tests) keeps
    :data:`RECENTLY`."""
    return held_on - _EVIDENCE_AGE if isinstance(held_on, date) else RECENTLY


def assessment(
    id: str = "A1",
    held_on: Any = HELD_ON,
    *,
    sought: Award = Award.INCLUSIVE_SCHOOL,
    meets: Award | None = Award.INCLUSIVE_SCHOOL,
    **changes: Any,
) -> Assessment:
    """A full assessment seeking ``sought`` that meets every rule up to ``meets`` but FS-4
    (which needs a prior) and fails the first rule above it; ``meets=None`` fails IS-1.

    Its evidence meets EV-1 … EV-3, collected 65 days before ``held_on``; ``changes`` set any
    field (``kind``, ``judgements``, ``evidence``, ``level_sought`` …). With no arguments: a full
    assessment on 2024-03-10 seeking and meeting inclusive_school.
    """
    fields: dict[str, Any] = {
        "id": id,
        "held_on": held_on,
        "kind": AssessmentKind.FULL,
        "level_sought": sought,
        "judgements": judgements_meeting(meets),
        "evidence": good_evidence(_collected_for(held_on)),
        "commitments": _COMMITMENTS_MEETING[meets],
        "cluster_meetings_attended": 2 if meets is Award.FLAGSHIP else 0,
    }
    return Assessment(**(fields | changes))


def review(id: str, held_on: date, *, sought: Award, meets: Award | None) -> Assessment:
    """An annual review seeking ``sought`` that meets the rules up to ``meets``."""
    return assessment(id, held_on, sought=sought, meets=meets, kind=AssessmentKind.REVIEW)


def flagship_ready(**changes: Any) -> Assessment:
    """An assessment seeking flagship that meets every rule but FS-4 (which needs a prior)."""
    return assessment(sought=Award.FLAGSHIP, meets=Award.FLAGSHIP, **changes)


SCHOOL = School("URN-100001", "Example Primary")


def withdrawal(on: date) -> Withdrawal:
    """The school leaves the scheme on ``on``."""
    return Withdrawal(on=on, reason="Left the scheme")


def history(*events: Event) -> SchoolHistory:
    """A history of :data:`SCHOOL` with these events in input order."""
    return SchoolHistory(SCHOOL, events)


def holding_coe(since: date, *, flagship: bool = False) -> Prior:
    """A prior holding centre_of_excellence (and flagship) since ``since``."""
    level = Award.FLAGSHIP if flagship else Award.CENTRE_OF_EXCELLENCE
    return Prior(held=level.up_to(), coe_since=since)


def mutate(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """``document`` with the node at ``path`` set to ``value`` (in place; returned for chaining).

    >>> mutate({"a": [1, 2]}, ("a", 1), 5)
    {'a': [1, 5]}
    """
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return document

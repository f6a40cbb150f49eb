"""Assessments built to meet the rules of a chosen level, for the lifecycle tests.

``assessment(..., meets=level)`` meets every EV, IS, CE and FS rule up to ``level`` except FS-4
(which depends on the history), and fails the first rule above it; ``meets=None`` fails IS-1.
"""

from __future__ import annotations

from datetime import date

from iqm_rules.assessment import Assessment, AssessmentKind, Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import Event, School, SchoolHistory, Withdrawal
from iqm_rules.principles import Element, Principle

__all__ = ["SCHOOL", "assessment", "history", "review", "withdrawal"]

SCHOOL = School("URN-100001", "Example Primary")

_VOICES = sorted(EvidenceKind.voices(), key=lambda kind: kind.value)

_CE_2 = frozenset(
    {
        Commitment.CLUSTER_MEMBERSHIP,
        Commitment.DEVELOPMENT_PLAN,
        Commitment.DISSEMINATION,
        Commitment.CLASSROOM_RESEARCH,
        Commitment.ANNUAL_VISIT,
        Commitment.ANNUAL_UPDATE,
    }
)


def _evidence(held_on: date) -> tuple[EvidenceItem, ...]:
    """Two items per element, each supporting every principle, in all four voices (EV-1..3)."""
    return tuple(
        EvidenceItem(
            id=f"E{index + 1}",
            element=list(Element)[index % len(Element)],
            principles=frozenset(Principle),
            kind=_VOICES[index % len(_VOICES)],
            collected_on=held_on,
            summary="Evidence",
        )
        for index in range(2 * len(Element))
    )


def _judgements(meets: Award | None) -> dict[Element, Judgement]:
    if meets is None:
        return dict.fromkeys(Element, Judgement.DEVELOPING)
    if meets is Award.INCLUSIVE_SCHOOL:
        return dict.fromkeys(Element, Judgement.ESTABLISHED)
    if meets is Award.CENTRE_OF_EXCELLENCE:
        embedded = list(Element)[:4]
        return {e: Judgement.EMBEDDED if e in embedded else Judgement.ESTABLISHED for e in Element}
    return dict.fromkeys(Element, Judgement.EMBEDDED)


def _commitments(meets: Award | None) -> frozenset[Commitment]:
    if meets is None or meets is Award.INCLUSIVE_SCHOOL:
        return frozenset()
    if meets is Award.CENTRE_OF_EXCELLENCE:
        return _CE_2
    return frozenset(Commitment)


def assessment(
    id: str,
    held_on: date,
    *,
    sought: Award,
    meets: Award | None,
    kind: AssessmentKind = AssessmentKind.FULL,
) -> Assessment:
    """An assessment seeking ``sought`` that meets the rules up to ``meets`` (FS-4 aside)."""
    return Assessment(
        id=id,
        held_on=held_on,
        kind=kind,
        level_sought=sought,
        judgements=_judgements(meets),
        evidence=_evidence(held_on),
        commitments=_commitments(meets),
        cluster_meetings_attended=2 if meets is Award.FLAGSHIP else 0,
    )


def review(id: str, held_on: date, *, sought: Award, meets: Award | None) -> Assessment:
    """An annual review seeking ``sought`` that meets the rules up to ``meets``."""
    return assessment(id, held_on, sought=sought, meets=meets, kind=AssessmentKind.REVIEW)


def withdrawal(on: date) -> Withdrawal:
    """The school leaves the scheme on ``on``."""
    return Withdrawal(on=on, reason="Left the scheme")


def history(*events: Event) -> SchoolHistory:
    """A history of :data:`SCHOOL` with these events in input order."""
    return SchoolHistory(SCHOOL, events)

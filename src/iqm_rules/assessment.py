"""An assessment: the judgements, the evidence and the commitments (RULEBOOK §1).

Construction checks everything section 3 of the rulebook says can be seen on one assessment:
one judgement per element, unique evidence ids, no evidence collected after the assessment,
a whole non-negative meeting count, and no review seeking the Inclusive School Award.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial
from operator import attrgetter, is_
from types import MappingProxyType
from typing import Any

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._terms import RankedTerm, Term
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord, written
from iqm_rules.evidence import EvidenceItem
from iqm_rules.principles import Element

__all__ = [
    "Assessment",
    "AssessmentKind",
    "Commitment",
    "Judgement",
    "RecordedOutcome",
]


class Judgement(RankedTerm):
    """An assessor's judgement of one element, ordered from weakest to strongest.

    >>> Judgement.ESTABLISHED < Judgement.EMBEDDED
    True
    """

    NOT_EVIDENCED = ("not_evidenced", "Not evidenced")
    DEVELOPING = ("developing", "Developing")
    ESTABLISHED = ("established", "Established")
    EMBEDDED = ("embedded", "Embedded")


class Commitment(Term):
    """Something a Centre of Excellence or Flagship school undertakes (CE-2, FS-2)."""

    CLUSTER_MEMBERSHIP = ("cluster_membership", "Member of a cluster of schools")
    DEVELOPMENT_PLAN = ("development_plan", "A plan to sustain and develop inclusive practice")
    DISSEMINATION = ("dissemination", "A plan to disseminate practice")
    CLASSROOM_RESEARCH = ("classroom_research", "Classroom-based research")
    ANNUAL_VISIT = ("annual_visit", "An annual assessor visit")
    ANNUAL_UPDATE = ("annual_update", "An annual written update against the eight elements")
    RESEARCH_PROJECT_OUTLINE = ("research_project_outline", "A research project outline")
    SUPPORTS_OTHER_SCHOOLS = ("supports_other_schools", "Support for other schools")


class AssessmentKind(Term):
    """A full assessment (initial or reassessment) or an annual review."""

    FULL = ("full", "Full assessment (initial assessment or reassessment)")
    REVIEW = ("review", "Annual review of a Centre of Excellence or Flagship holder")


@frozen
class RecordedOutcome:
    """What the awarding body actually decided; ``None`` means nothing was awarded."""

    awarded_level: Award | None = field(
        default=None, validator=attrs.validators.optional(v.term(Award))
    )


def _judgements(value: object) -> object:
    """Converter: a mapping, or pairs, of element to judgement, as a read-only mapping.

    Pairs may repeat an element; that is reported by the validator, not lost here.
    """
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        pairs = list(value)
        seen: dict[object, object] = {}
        for index, pair in enumerate(pairs):
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise InvalidRecord(
                    written(("judgements", index)),
                    f"must be an (element, judgement) pair, got {pair!r}",
                )
            element, _ = pair
            if element in seen:
                label = element.value if isinstance(element, Element) else repr(element)
                raise InvalidRecord(
                    written(("judgements", index)), f"{label} is judged more than once"
                )
            seen[element] = pair[1]
        return MappingProxyType(seen)
    return value


def _check_judgements(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise InvalidRecord(attribute.name, "must map each element to a judgement")
    for element, judgement in value.items():
        if not isinstance(element, Element):
            raise InvalidRecord(
                attribute.name, f"keys must be elements ({Element.allowed()}), got {element!r}"
            )
        if not isinstance(judgement, Judgement):
            raise InvalidRecord(
                f"{attribute.name}.{element.value}",
                f"must be a Judgement ({Judgement.allowed()}), got {judgement!r}",
            )
    missing = [element.value for element in Element if element not in value]
    if missing:
        raise InvalidRecord(
            attribute.name,
            f"exactly one judgement per element is needed; missing: {', '.join(missing)}",
        )


_IS_EVIDENCE = partial(is_, EvidenceItem)
_ID = attrgetter("id")
_COLLECTED_ON = attrgetter("collected_on")


def _a_recorded_outcome(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, RecordedOutcome):
        raise InvalidRecord(attribute.name, f"must be a RecordedOutcome or None, got {value!r}")


@frozen
class Assessment:
    """One assessment of a school, full or review, seeking one award level.

    ``judgements`` maps every element to a :class:`Judgement`; ``evidence`` keeps input order;
    ``commitments`` is a set; ``recorded_outcome`` is only used when auditing.
    """

    id: str = field(validator=v.non_empty_text)
    held_on: date = field(validator=v.a_date)
    kind: AssessmentKind = field(validator=v.term(AssessmentKind))
    level_sought: Award = field(validator=v.term(Award))
    judgements: Mapping[Element, Judgement] = field(
        converter=_judgements, validator=_check_judgements
    )
    evidence: tuple[EvidenceItem, ...] = field(default=(), converter=v.a_tuple)
    commitments: frozenset[Commitment] = field(
        default=frozenset(), converter=v.frozen_set, validator=v.set_of_terms(Commitment)
    )
    cluster_meetings_attended: int = field(default=0, validator=v.count(0))
    recorded_outcome: RecordedOutcome | None = field(
        default=None, validator=attrs.validators.optional(_a_recorded_outcome)
    )
    school_id: str | None = field(
        default=None, validator=attrs.validators.optional(v.non_empty_text)
    )

    @level_sought.validator
    def _check_review_level(self, attribute: attrs.Attribute[Any], value: Award) -> None:
        if self.kind is AssessmentKind.REVIEW and value is Award.INCLUSIVE_SCHOOL:
            raise InvalidRecord(
                attribute.name,
                "a review seeks centre_of_excellence or flagship, got inclusive_school",
            )

    @evidence.validator
    def _check_evidence(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidRecord(attribute.name, "must be a sequence of evidence items")
        # Fast path for the common case (the load + status benchmark target): items all of the
        # class, ids all different, none collected after held_on, told by three passes the
        # interpreter runs in C. Anything else falls through to the loop, which names the first
        # item at fault.
        if (
            all(map(_IS_EVIDENCE, map(type, value)))
            and len(set(map(_ID, value))) == len(value)
            and max(map(_COLLECTED_ON, value), default=self.held_on) <= self.held_on
        ):
            return
        seen: set[str] = set()
        for index, item in enumerate(value):
            if not isinstance(item, EvidenceItem):
                raise InvalidRecord(
                    written((attribute.name, index)), f"must be an EvidenceItem, got {item!r}"
                )
            if item.id in seen:
                raise InvalidRecord(
                    written((attribute.name, index, "id")), f"duplicate evidence id {item.id!r}"
                )
            seen.add(item.id)
            if item.collected_on > self.held_on:
                raise InvalidRecord(
                    written((attribute.name, index, "collected_on")),
                    f"{item.collected_on.isoformat()} is after held_on {self.held_on.isoformat()}",
                )

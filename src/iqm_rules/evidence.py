"""Evidence a school gathers against the framework (RULEBOOK §1)."""

from __future__ import annotations

from datetime import date

from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._terms import Term
from iqm_rules.principles import Element, Principle

__all__ = ["EvidenceItem", "EvidenceKind"]


class EvidenceKind(Term):
    """What an evidence item is; four of the kinds are *voices* (EV-3)."""

    DOCUMENT = ("document", "Document")
    OBSERVATION = ("observation", "Observation")
    DATA = ("data", "Data")
    EXTERNAL_REPORT = ("external_report", "External report")
    PUPIL_VOICE = ("pupil_voice", "Pupil voice")
    PARENT_VOICE = ("parent_voice", "Parent voice")
    STAFF_VOICE = ("staff_voice", "Staff voice")
    GOVERNOR_VOICE = ("governor_voice", "Governor voice")

    @property
    def is_voice(self) -> bool:
        """Whether this kind is one of the four voices.

        >>> EvidenceKind.PUPIL_VOICE.is_voice, EvidenceKind.DATA.is_voice
        (True, False)
        """
        return self in _VOICES

    @classmethod
    def voices(cls) -> frozenset[EvidenceKind]:
        """The four voice kinds."""
        return _VOICES


_VOICES = frozenset(kind for kind in EvidenceKind if kind.value.endswith("_voice"))


@frozen
class EvidenceItem:
    """One piece of evidence: what it shows, which principles it supports, when it was collected.

    >>> from datetime import date
    >>> item = EvidenceItem("E1", Element.ASSESSMENT, {Principle.RAISING_ACHIEVEMENT},
    ...                     EvidenceKind.PUPIL_VOICE, date(2021, 5, 4), "Pupil panel")
    >>> sorted(p.value for p in item.principles)
    ['raising_achievement']
    >>> EvidenceItem("E2", Element.ASSESSMENT, set(), EvidenceKind.DATA, date(2021, 5, 4))
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: principles: must name at least one Principle (...)
    """

    id: str = field(validator=v.non_empty_text)
    element: Element = field(validator=v.term(Element))
    principles: frozenset[Principle] = field(
        converter=v.frozen_set, validator=v.set_of_terms(Principle, non_empty=True)
    )
    kind: EvidenceKind = field(validator=v.term(EvidenceKind))
    collected_on: date = field(validator=v.a_date)
    summary: str = field(default="", validator=v.text)

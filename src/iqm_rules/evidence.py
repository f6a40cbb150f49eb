"""Evidence a school gathers against the framework (RULEBOOK §1)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
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


_IMPLIED: frozenset[str] = frozenset({"element", "principles", "kind", "collected_on", "summary"})
"""The fields whose checks a reader implies when it looks their values up in the vocabulary and
the calendar (a member of the field's own term class, a set of them, a ``date``) or reads them
as JSON text (``summary``, which may be any text)."""
_FIELDS: tuple[attrs.Attribute[Any], ...] = tuple(attrs.fields(EvidenceItem))
_ID_CHECK = v.non_empty_text
"""The validator of ``id``, which :func:`_from_reader` answers with :func:`~iqm_rules._validate.
is_id` itself (the same test) rather than through the attribute."""
_CHECKED = tuple(
    (a.name, a, a.validator)
    for a in _FIELDS
    if a.validator is not None and a.name not in _IMPLIED and a.validator is not _ID_CHECK
)
"""The validators :func:`_from_reader` still runs: none today, any added later."""
_new = object.__new__
_put_id, _put_element, _put_principles, _put_kind, _put_collected_on, _put_summary = (
    EvidenceItem.__dict__[a.name].__set__ for a in _FIELDS
)  # the slots' own setters, in field order (the frozen class's __setattr__ refuses)


def _from_reader(
    id: str,
    element: Element,
    principles: frozenset[Principle],
    kind: EvidenceKind,
    collected_on: date,
    summary: str,
) -> EvidenceItem:
    """An item built from values a reader has already looked up, for that reader only.

    Evidence items are most of what a history holds, so reading one should not check twice what
    its lookups proved (``element`` and ``kind`` members, ``principles`` a frozenset of
    members, ``collected_on`` a date, ``summary`` text): ``id`` is checked here with the test
    its validator applies, and any other validator runs as usual. Should one of them fail, or
    ``principles`` be empty, the item is built the public way, which raises the error it always
    raises.
    """
    if not (principles and v.is_id(id)):
        return EvidenceItem(id, element, principles, kind, collected_on, summary)
    item: EvidenceItem = _new(EvidenceItem)
    _put_id(item, id)
    _put_element(item, element)
    _put_principles(item, principles)
    _put_kind(item, kind)
    _put_collected_on(item, collected_on)
    _put_summary(item, summary)
    try:
        for name, attribute, check in _CHECKED:
            check(item, attribute, getattr(item, name))
    except Exception:
        return EvidenceItem(id, element, principles, kind, collected_on, summary)
    return item

"""The reader's fast paths: evidence items, assessments and arrays of vocabulary names read
straight from well-formed JSON.

Each answers a value it can read plainly, or :data:`FALL_THROUGH`, which leaves the value to the
general path, the generated cattrs hook of :mod:`iqm_rules.interchange._converter` with its
detailed errors. On any value a fast path gives what the general path gives: the same record, or
the same error (``tests/test_interchange_fast_path.py`` compares the two on valid and mutated
documents, ``tests/test_reader_records.py`` the records built both ways).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date
from operator import itemgetter
from typing import Any, Final

import attrs
import cattrs

from iqm_rules import _validate as v
from iqm_rules._dates import parse_date
from iqm_rules._terms import Term
from iqm_rules.assessment import (
    Assessment,
    AssessmentKind,
    Commitment,
    Judgement,
    RecordedOutcome,
)
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.interchange._values import ALSO_REQUIRED
from iqm_rules.principles import Element, Principle

__all__ = [
    "FALL_THROUGH",
    "assessment_directly",
    "directly_or_generally",
    "evidence_directly",
    "evidence_item_directly",
    "members_directly",
]


class _FallThrough(enum.Enum):
    """The answer of a fast path that leaves a value to the general path."""

    FALL_THROUGH = "fall through"


FALL_THROUGH: Final = _FallThrough.FALL_THROUGH


def members_directly(values: list[Any], members: Mapping[str, Term]) -> list[Term] | _FallThrough:
    """The vocabulary members ``values`` name, or :data:`FALL_THROUGH` if one is not a name."""
    found = [members.get(value) if type(value) is str else None for value in values]
    return FALL_THROUGH if None in found else found  # type: ignore[return-value]


_EVIDENCE_KEYS: Final = frozenset(a.name for a in attrs.fields(EvidenceItem))
_ITEM_NEEDS: Final = itemgetter("id", "element", "principles", "kind", "collected_on")
"""An evidence item's required values, read in one call."""
_ELEMENTS: Final[Mapping[Any, Element]] = Element._value2member_map_  # type: ignore[assignment]
_KINDS: Final[Mapping[Any, EvidenceKind]] = EvidenceKind._value2member_map_  # type: ignore[assignment]
_PRINCIPLES: Final[Mapping[Any, Principle]] = Principle._value2member_map_  # type: ignore[assignment]


_PRINCIPLE_SETS: dict[tuple[object, ...], frozenset[Principle]] = {}
"""The set of principles each list of names read so far stands for; a few kinds recur across a
history's evidence, so items share one frozen set (emptied past 4,096 kinds of list)."""


def _principle_set(named: tuple[object, ...]) -> frozenset[Principle | None]:
    """The principles ``named`` names (``None`` among them for a name that is none), remembered
    when all are principles."""
    found = frozenset(map(_PRINCIPLES.get, named))
    if None not in found:
        if len(_PRINCIPLE_SETS) >= 4096:
            _PRINCIPLE_SETS.clear()
        _PRINCIPLE_SETS[named] = found  # type: ignore[assignment]
    return found


_IMPLIED: frozenset[str] = frozenset({"element", "principles", "kind", "collected_on", "summary"})
"""The fields whose checks a reader implies when it looks their values up in the vocabulary and
the calendar (a member of the field's own term class, a set of them, a ``date``) or reads them
as JSON text (``summary``, which may be any text)."""
_FIELDS: tuple[attrs.Attribute[Any], ...] = tuple(attrs.fields(EvidenceItem))
_ID_CHECK = v.non_empty_text
"""The validator of ``id``, which :func:`evidence_item` answers with :func:`~iqm_rules._validate.
is_id` itself (the same test) rather than through the attribute."""
_CHECKED = tuple(
    (a.name, a, a.validator)
    for a in _FIELDS
    if a.validator is not None and a.name not in _IMPLIED and a.validator is not _ID_CHECK
)
"""The validators :func:`evidence_item` still runs: none today, any added later."""
_new = object.__new__
_put_id, _put_element, _put_principles, _put_kind, _put_collected_on, _put_summary = (
    EvidenceItem.__dict__[a.name].__set__ for a in _FIELDS
)  # the slots' own setters, in field order (the frozen class's __setattr__ refuses)


def evidence_item(
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
    # Setting the slots saves about a sixth of load_history (a history of 200 events read with
    # the public constructor here takes 1.18x the instructions, callgrind), for the "load +
    # status" target of benchmarks/run.py; tests/test_reader_records.py compares the records.
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


def evidence_item_directly(value: object) -> EvidenceItem | _FallThrough:
    """An evidence item built straight from a well-formed JSON object, else :data:`FALL_THROUGH`.

    See :func:`evidence_directly`, which builds each item of an array this way.
    """
    found = evidence_directly([value])
    return found if found is FALL_THROUGH else found[0]


def evidence_directly(values: object) -> tuple[EvidenceItem, ...] | _FallThrough:
    """Evidence items built straight from an array of well-formed JSON objects, else
    :data:`FALL_THROUGH` (for the whole array, which the general path then reads).

    It reads the same vocabulary and dates as the general path and leaves every other check to
    the item's own validators (those its lookups do not imply, :func:`evidence_item`), so on any
    value it gives what the general path gives (``tests/test_interchange_fast_path.py`` checks
    this).
    """
    # Serves the benchmark targets "load + status <= 5x json.loads" and "batch <= 3x"
    # (benchmarks/run.py): evidence items are most of a history, and the generated hooks'
    # bookkeeping for detailed errors (per array, per item, per field) would take most of the
    # reading time. Any item not plainly well formed sends the whole array the general way,
    # which finds and reports the problem at its index.
    if type(values) is not list:
        return FALL_THROUGH
    items: list[EvidenceItem] = []
    add = items.append
    for value in values:
        if type(value) is not dict or not value.keys() <= _EVIDENCE_KEYS:
            return FALL_THROUGH
        try:
            item_id, element_name, principles, kind_name, collected_on = _ITEM_NEEDS(value)
        except KeyError:  # the general path names the key missing
            return FALL_THROUGH
        summary = value.get("summary", "")
        if not (
            type(item_id) is str
            and type(principles) is list
            and type(collected_on) is str
            and type(summary) is str
        ):
            return FALL_THROUGH
        try:
            # The vocabulary's maps are keyed by text: anything else gives None (or, unhashable,
            # a TypeError); an impossible day gives a ValueError.
            element, kind = _ELEMENTS.get(element_name), _KINDS.get(kind_name)
            named = tuple(principles)
            found = _PRINCIPLE_SETS.get(named) or _principle_set(named)
            day = parse_date(collected_on)
        except (TypeError, ValueError):
            return FALL_THROUGH
        if element is None or kind is None or day is None or None in found:
            return FALL_THROUGH
        try:
            add(evidence_item(item_id, element, found, kind, day, summary))  # type: ignore[arg-type]
        except InvalidRecord:  # the general path reports it at the item's index
            return FALL_THROUGH
    return tuple(items)


_ASSESSMENT_KEYS: Final = frozenset(a.name for a in attrs.fields(Assessment))
_ASSESSMENT_NEEDS: Final = frozenset(
    (
        *(a.name for a in attrs.fields(Assessment) if a.default is attrs.NOTHING),
        *ALSO_REQUIRED[Assessment],
    )
)
_ASSESSMENT_KINDS: Final[Mapping[Any, AssessmentKind]] = AssessmentKind._value2member_map_  # type: ignore[assignment]
_AWARDS: Final[Mapping[Any, Award]] = Award._value2member_map_  # type: ignore[assignment]
_JUDGEMENTS: Final[Mapping[Any, Judgement]] = Judgement._value2member_map_  # type: ignore[assignment]
_COMMITMENTS: Final[Mapping[str, Term]] = Commitment._value2member_map_  # type: ignore[assignment]


def assessment_directly(value: object) -> Assessment | _FallThrough:
    """An assessment built straight from a well-formed JSON object (its ``type`` key already
    read), else :data:`FALL_THROUGH`.

    It reads the same vocabulary, dates and counts as the general path and builds the record
    through its public constructor, whose validators run as always; on any value it gives what
    the general path gives (``tests/test_interchange_fast_path.py`` checks this).
    """
    # Serves the benchmark targets "load + status <= 6x json.loads at 10 events" and "batch <=
    # 3x" (benchmarks/run.py): the generated hook's per-field bookkeeping for detailed errors
    # cost as much as reading all of an assessment's evidence. Anything not plainly well formed
    # (a missing or unknown key, a value of another type, a name not in the vocabulary, a
    # ``2.0`` count) goes the general way, which reports it at its path.
    if type(value) is not dict or not _ASSESSMENT_NEEDS <= value.keys() <= _ASSESSMENT_KEYS:
        return FALL_THROUGH
    get = value.get
    assessment_id, held_on, judgements = get("id"), get("held_on"), get("judgements")
    meetings, school_id = get("cluster_meetings_attended"), get("school_id")
    if not (
        type(assessment_id) is str
        and type(held_on) is str
        and type(judgements) is dict
        and (meetings is None or type(meetings) is int)
        and (school_id is None or type(school_id) is str)
    ):
        return FALL_THROUGH
    recorded = _recorded_directly(get("recorded_outcome"))
    if recorded is FALL_THROUGH:
        return FALL_THROUGH
    try:
        # As for evidence: names not in the vocabulary give None (unhashable ones a TypeError),
        # an impossible day a ValueError.
        kind, level = _ASSESSMENT_KINDS.get(get("kind")), _AWARDS.get(get("level_sought"))
        judged = {_ELEMENTS.get(k): _JUDGEMENTS.get(v) for k, v in judgements.items()}
        day = parse_date(held_on)
    except (TypeError, ValueError):
        return FALL_THROUGH
    evidence = evidence_directly(get("evidence"))
    commitments = get("commitments")
    made = (
        members_directly(commitments, _COMMITMENTS) if type(commitments) is list else FALL_THROUGH
    )
    if (
        kind is None
        or level is None
        or day is None
        or None in judged
        or None in judged.values()
        or evidence is FALL_THROUGH
        or made is FALL_THROUGH
    ):
        return FALL_THROUGH
    try:
        return Assessment(
            id=assessment_id,
            held_on=day,
            kind=kind,
            level_sought=level,
            judgements=judged,
            evidence=evidence,
            commitments=frozenset(made),
            cluster_meetings_attended=meetings or 0,
            recorded_outcome=recorded,
            school_id=school_id,
        )
    except InvalidRecord:  # the general path reports it where it is
        return FALL_THROUGH


def _recorded_directly(value: object) -> RecordedOutcome | _FallThrough | None:
    """A recorded outcome (``null``, or an object naming an award level or ``null``) read
    directly, else :data:`FALL_THROUGH`."""
    if value is None:
        return None
    if type(value) is not dict or value.keys() != {"awarded_level"}:
        return FALL_THROUGH
    named = value["awarded_level"]
    if named is None:
        return RecordedOutcome(None)
    try:
        level = _AWARDS.get(named)
    except TypeError:
        return FALL_THROUGH
    return FALL_THROUGH if level is None else RecordedOutcome(level)


def directly_or_generally(
    directly: Callable[[object], Any],
    general: Callable[[Any, cattrs.Converter], Callable[[Any, Any], Any]],
) -> Callable[[Any, cattrs.Converter], Callable[[Any, Any], Any]]:
    """A hook factory: ``directly`` when it reads the value, else the hook ``general`` makes (a
    generated record hook, or an array's), which reports any fault at its path or index."""

    def factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
        generally = general(kind, converter)

        def structure(value: object, _: Any) -> Any:
            found = directly(value)
            return generally(value, kind) if found is FALL_THROUGH else found

        return structure

    return factory

"""The one :mod:`cattrs` converter of the interchange format, and its hooks.

The record classes know nothing of JSON; this module says how each is written. Generated cattrs
hooks do the work, with per-field :func:`~cattrs.gen.override`\\ s in one table (:data:`_FIELDS`)
and the event ``type`` tag from :func:`~cattrs.strategies.configure_tagged_union`. A hook is
written by hand only where cattrs would lose a message the format promises; each says which.

Every structure hook raises :class:`~iqm_rules.errors.InvalidRecord` (or the cattrs error that
gathers them) for a bad value; :mod:`iqm_rules.interchange._errors` turns those into one error.
"""

from __future__ import annotations

import difflib
import enum
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from operator import itemgetter
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    mapping_structure_factory,
    override,
)
from cattrs.strategies import configure_tagged_union

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
from iqm_rules.decisions.decision import Finding
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind, _from_reader
from iqm_rules.history import Event, SchoolHistory, Withdrawal
from iqm_rules.interchange._json import given
from iqm_rules.interchange._paths import parts, written
from iqm_rules.lifecycle.replay import AwardStatus
from iqm_rules.policy import Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = [
    "CONVERTER",
    "FALL_THROUGH",
    "assessment_directly",
    "converter",
    "evidence_directly",
    "evidence_item_directly",
    "json_keys",
]

T = TypeVar("T")

_PAIR_KEYS: Final[Mapping[Any, str]] = {
    Element: "element",
    Principle: "principle",
    Judgement: "judgement",
    int: "count",
}
"""The JSON name of each member of a pair in :class:`Missing`: ``{"element": …, "count": 1}``."""
_EVENT_TAGS: Final[Mapping[type, str]] = {Assessment: "assessment", Withdrawal: "withdrawal"}
_AWARD_KEY: Final = "award"
"""The field of :class:`AwardStatus` that a status document writes as the key of its entry."""

_ALSO_REQUIRED: Final[Mapping[type, tuple[str, ...]]] = {
    Assessment: ("evidence", "commitments"),
    RecordedOutcome: ("awarded_level",),
    SchoolHistory: ("events",),
    Policy: ("id", "effective_from"),
    PolicyBook: ("policies",),
}
"""Keys that JSON must carry although the class has a default (RULEBOOK §6 lists them)."""


# What a value must be


def _wrong(allowed: str, value: object) -> InvalidRecord:
    return InvalidRecord("", f"must be {allowed}, got {given(value)}")


def _object(value: object) -> Mapping[str, Any]:
    if type(value) is not dict and not isinstance(value, Mapping):
        raise _wrong("an object", value)
    return value


def _text(value: object, _: Any) -> str:
    if not isinstance(value, str):
        raise _wrong("text", value)
    return value


def _whole_number(value: object, _: Any) -> int:
    """A whole number, written ``2`` or ``2.0`` (JSON does not tell them apart, §7.12)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong("a whole number", value)
    return value


def _null_is_zero(value: object, _: Any) -> int:
    """A count where ``null`` means none (§7.10: ``cluster_meetings_attended``)."""
    return 0 if value is None else _whole_number(value, int)


def _true_or_false(value: object, _: Any) -> bool:
    if not isinstance(value, bool):
        raise _wrong("true or false", value)
    return value


def _date(value: object, _: Any) -> date:
    """A date written exactly ``YYYY-MM-DD`` that exists in the calendar."""
    if not isinstance(value, str):
        raise _wrong("a date written YYYY-MM-DD", value)
    try:
        day = parse_date(value)
    except ValueError:
        raise InvalidRecord("", f"{value} is not a calendar date") from None
    if day is None:
        raise _wrong("a date written YYYY-MM-DD", value)
    return day


def suggestion(word: object, choices: Iterable[str]) -> str:
    """``; did you mean "x"?`` naming the allowed value nearest a misspelt ``word``, or ``""``.

    >>> suggestion("embeded", ["developing", "embedded"])
    '; did you mean "embedded"?'
    """
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f'; did you mean "{close[0]}"?' if close else ""


def _is_term(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Term)


def _term(value: object, kind: type[Term]) -> Term:
    if isinstance(value, str):
        member = kind._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
    error = _wrong(f"one of {kind.allowed()}", value)
    raise InvalidRecord(
        error.path, error.problem + suggestion(value, kind._value2member_map_)
    ) from None


# Per-field overrides, read by both directions (structure ignores omit_if_default, unstructure
# ignores struct_hook).

_FIELDS: Final[Mapping[type, Mapping[str, Any]]] = {
    Assessment: {
        "cluster_meetings_attended": override(struct_hook=_null_is_zero),
        "recorded_outcome": override(omit_if_default=True),
        "school_id": override(omit_if_default=True),
    },
    Withdrawal: {"school_id": override(omit_if_default=True)},
    Finding: {"missing": override(omit_if_default=True)},
    Missing: {a.name: override(omit_if_default=True) for a in attrs.fields(Missing)},
}
"""How fields differ from cattrs' defaults: a null count, and optional keys left out of the
output (a passing finding has no ``missing``; ``missing`` shows only what is needed)."""


def json_keys(cls: type) -> list[str]:
    """The keys a JSON object of ``cls`` may hold, in the order error messages list them."""
    fields = _FIELDS.get(cls, {})
    names = [a.name for a in attrs.fields(cls) if not (a.name in fields and fields[a.name].omit)]
    if cls is AwardStatus:
        names.remove(_AWARD_KEY)
    if cls in _EVENT_TAGS:
        names.insert(0, "type")
    if cls is Finding:
        names.append("action")
    return names


def _is_pair(kind: Any) -> bool:
    args = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is not Ellipsis


def _pair_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A pair of :class:`Missing` (``(Element.ASSESSMENT, 1)``) from an object naming both."""
    types_ = typing.get_args(kind)
    names = tuple(_PAIR_KEYS[t] for t in types_)
    hooks = tuple(converter.get_structure_hook(t) for t in types_)

    def structure(value: object, _: Any) -> tuple[Any, ...]:
        data = _object(value)
        for key in data:
            if key not in names:
                raise InvalidRecord(
                    key, f"unknown key; allowed keys: {', '.join(names)}{suggestion(key, names)}"
                )
        out = []
        for name, hook, member in zip(names, hooks, types_, strict=True):
            if name not in data:
                raise InvalidRecord(name, "required key missing")
            try:
                out.append(hook(data[name], member))
            except InvalidRecord as error:
                raise InvalidRecord(written((name, *parts(error.path))), error.problem) from None
        return tuple(out)

    return structure


def _unstructure_pair(kind: Any) -> Callable[[tuple[Any, Any]], dict[str, Any]]:
    names = tuple(_PAIR_KEYS[t] for t in typing.get_args(kind))

    def unstructure(pair: tuple[Any, Any]) -> dict[str, Any]:
        return {
            name: member.value if isinstance(member, Term) else member
            for name, member in zip(names, pair, strict=True)
        }

    return unstructure


def _finding_factory(_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Finding]:
    """A finding; its ``action`` (derived from ``missing``) is checked as text, then dropped."""
    general = _record_factory(Finding, converter)

    def structure(value: object, _: Any) -> Finding:
        data = _object(value)
        if "action" in data:
            try:
                _text(data["action"], str)
            except InvalidRecord as error:
                raise InvalidRecord("action", error.problem) from None
            data = {k: v for k, v in data.items() if k != "action"}
        return general(data, Finding)

    return structure


def _unstructure_finding(converter: cattrs.Converter) -> Callable[[Finding], dict[str, Any]]:
    """A finding; a failing one with ``missing`` also carries its ``action`` line for people."""
    generated = make_dict_unstructure_fn(Finding, converter, **_FIELDS[Finding])

    def unstructure(finding: Finding) -> dict[str, Any]:
        data: dict[str, Any] = generated(finding)
        if finding.missing is not None:
            data["action"] = finding.missing.action()
        return data

    return unstructure


# Structure hooks written by hand


def _is_optional(kind: Any) -> bool:
    args = typing.get_args(kind)
    return (
        typing.get_origin(kind) in (typing.Union, types.UnionType)
        and len(args) == 2
        and type(None) in args
    )


def _optional_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """``X | None``: by hand so that a wrong value reads "must be null or ...".

    cattrs' own optional hook passes the inner type's message on unchanged.
    """
    inner_type = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    inner = converter.get_structure_hook(inner_type)

    def structure(value: object, _: Any) -> Any:
        if value is None:
            return None
        try:
            return inner(value, inner_type)
        except InvalidRecord as error:
            if error.path or not error.problem.startswith("must be "):
                raise
            raise InvalidRecord("", "must be null or " + error.problem[len("must be ") :]) from None

    return structure


class _FallThrough(enum.Enum):
    """The answer of a fast path that leaves a value to the general path."""

    FALL_THROUGH = "fall through"


FALL_THROUGH: Final = _FallThrough.FALL_THROUGH


def _members(values: list[Any], members: Mapping[str, Term]) -> list[Term] | _FallThrough:
    """The vocabulary members ``values`` name, or :data:`FALL_THROUGH` if one is not a name."""
    found = [members.get(value) if type(value) is str else None for value in values]
    return FALL_THROUGH if None in found else found  # type: ignore[return-value]


def _is_array(kind: Any) -> bool:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    return origin is frozenset or (origin is tuple and len(args) == 2 and args[1] is Ellipsis)


def _array_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A JSON array into a tuple (order kept) or a frozenset (repeats collapse, §7.10).

    By hand for the message "must be an array" (cattrs would iterate a string or an object).
    An array of vocabulary names is looked up directly; anything else goes the general way,
    which reports a bad member at its index.
    """
    element = typing.get_args(kind)[0]
    list_type: Any = list[element]  # type: ignore[valid-type]
    as_list = cattrs.cols.list_structure_factory(list_type, converter)
    collect: Callable[[Any], Any] = frozenset if typing.get_origin(kind) is frozenset else tuple
    members = element._value2member_map_ if _is_term(element) else None

    def structure(value: object, _: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise _wrong("an array", value)
        if members is not None:
            found = _members(list(value), members)
            if found is not FALL_THROUGH:
                return collect(found)
        return collect(as_list(value, list_type))

    return structure


def _is_mapping(kind: Any) -> bool:
    return typing.get_origin(kind) is Mapping


def _mapping_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A JSON object into a mapping, behind the message "must be an object"."""
    generated = mapping_structure_factory(kind, converter, dict)

    def structure(value: object, _: Any) -> Any:
        return generated(_object(value), kind)

    return structure


def _missing(cls: type, key: str) -> KeyError:
    error = KeyError(key)
    error.__notes__ = [AttributeValidationNote(f"{cls.__name__} needs {key}", key, None)]
    return error


def _record_factory(cls: type[T], converter: cattrs.Converter) -> Callable[[Any, Any], T]:
    """The generated cattrs hook of ``cls`` with its :data:`_FIELDS` overrides.

    Wrapped by hand for two rules cattrs has no override for: an object is required ("must be an
    object"), and the keys of :data:`_ALSO_REQUIRED` must be present although the field has a
    default; a missing one is reported together with the object's other problems.
    """
    generated = make_dict_structure_fn(cls, converter, **_FIELDS.get(cls, {}))
    required = _ALSO_REQUIRED.get(cls, ())
    if not required:

        def plain(value: object, _: Any) -> T:
            return generated(_object(value), cls)

        return plain

    def structure(value: object, _: Any) -> T:
        data = _object(value)
        missing = [_missing(cls, key) for key in required if key not in data]
        try:
            result = generated(data, cls)
        except ClassValidationError as error:
            if not missing:
                raise
            raise ClassValidationError(error.message, [*error.exceptions, *missing], cls) from None
        if missing:
            raise ClassValidationError(f"While structuring {cls.__name__}", missing, cls)
        return result

    return structure


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
    the item's own validators (those its lookups do not imply, :func:`~iqm_rules.evidence.
    _from_reader`), so on any value it gives what the general path gives
    (``tests/test_interchange_fast_path.py`` checks this).
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
            add(_from_reader(item_id, element, found, kind, day, summary))  # type: ignore[arg-type]
        except InvalidRecord:  # the general path reports it at the item's index
            return FALL_THROUGH
    return tuple(items)


_ASSESSMENT_KEYS: Final = frozenset(a.name for a in attrs.fields(Assessment))
_ASSESSMENT_NEEDS: Final = frozenset(
    (
        *(a.name for a in attrs.fields(Assessment) if a.default is attrs.NOTHING),
        *_ALSO_REQUIRED[Assessment],
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
    made = _members(commitments, _COMMITMENTS) if type(commitments) is list else FALL_THROUGH
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


def _directly_or_generally(
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


def _event_factory(_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Event]:
    """An event, told apart by its ``type`` key.

    By hand, replacing the structure half of ``configure_tagged_union``: the strategy reports a
    missing or unknown tag as a bare ``KeyError`` (and a non-object as an ``AttributeError``),
    where the format promises "required key missing; allowed: assessment, withdrawal" and
    "must be one of assessment, withdrawal, got ...".
    """
    classes = {tag: cls for cls, tag in _EVENT_TAGS.items()}
    hooks = {tag: converter.get_structure_hook(cls) for tag, cls in classes.items()}

    def structure(value: object, _: Any) -> Event:
        data = _object(value)
        if "type" not in data:
            raise InvalidRecord("type", f"required key missing; allowed: {', '.join(hooks)}")
        tag = data["type"]
        if not isinstance(tag, str) or tag not in hooks:
            raise InvalidRecord("type", f"must be one of {', '.join(hooks)}, got {given(tag)}")
        rest = {k: v for k, v in data.items() if k != "type"}
        event: Event = hooks[tag](rest, classes[tag])
        return event

    return structure


def _noted(error: Exception, key: str) -> Exception:
    error.__notes__ = [IterableValidationNote(f"award {key}", key, AwardStatus)]
    return error


def _awards_factory(_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A status's ``awards``: one object per award, keyed by the award's JSON value.

    By hand: ``cattrs.strategies.configure_list_from_dict`` is in no released cattrs (26.2.1
    lacks it), and it would also let an entry's own ``award`` key be overwritten silently, accept
    a missing or an unknown award, and keep the document's order instead of the awards'.
    """
    status_hook = converter.get_structure_hook(AwardStatus)
    known = frozenset(award.value for award in Award)

    def structure(value: object, _: Any) -> tuple[AwardStatus, ...]:
        data = _object(value)
        statuses: list[AwardStatus] = []
        errors: list[Exception] = [
            _noted(InvalidRecord("", f"unknown award; allowed: {Award.allowed()}"), key)
            for key in data
            if key not in known
        ]
        for award in Award:
            if award.value not in data:
                errors.append(_noted(KeyError(award.value), award.value))
                continue
            try:
                entry = _object(data[award.value])
                if _AWARD_KEY in entry:
                    raise ForbiddenExtraKeysError("", AwardStatus, {_AWARD_KEY})
                statuses.append(status_hook({**entry, _AWARD_KEY: award.value}, AwardStatus))
            except Exception as error:
                errors.append(_noted(error, award.value))
        if errors:
            raise IterableValidationError("While structuring awards", errors, tuple)
        return tuple(statuses)

    return structure


# Unstructure hooks


def _is_set(kind: Any) -> bool:
    origin: Any = typing.get_origin(kind)
    return origin is frozenset


def _unstructure_awards(converter: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    """A status's ``awards`` as one object keyed by award (the inverse of the hook above).

    One status per award, in order, is the report's own invariant (its ``awards`` validator).
    """
    status_hook = converter.get_unstructure_hook(AwardStatus)

    def unstructure(statuses: tuple[AwardStatus, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for status in statuses:
            data = status_hook(status)
            del data[_AWARD_KEY]
            out[status.award.value] = data
        return out

    return unstructure


def converter(*, fast_paths: bool = True) -> cattrs.Converter:
    """A converter of the interchange format, with every hook registered once.

    Hooks of simple types come first: the generated hooks look theirs up when made.
    ``fast_paths=False`` (evidence and assessments read only the general way) is for the test
    that proves the fast paths change nothing.
    """
    c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    c.register_structure_hook(str, _text)
    c.register_structure_hook(int, _whole_number)
    c.register_structure_hook(bool, _true_or_false)
    c.register_structure_hook(date, _date)
    c.register_structure_hook(Term, _term)  # by class: older cattrs dispatch Enum by class first
    c.register_structure_hook_factory(_is_optional, _optional_factory)
    c.register_structure_hook_factory(_is_array, _array_factory)
    c.register_structure_hook_factory(_is_mapping, _mapping_factory)
    c.register_structure_hook_factory(attrs.has, _record_factory)
    if fast_paths:
        for is_kind, directly, general in (
            (lambda t: t is EvidenceItem, evidence_item_directly, _record_factory),
            (lambda t: t == tuple[EvidenceItem, ...], evidence_directly, _array_factory),
            (lambda t: t is Assessment, assessment_directly, _record_factory),
        ):
            c.register_structure_hook_factory(is_kind, _directly_or_generally(directly, general))

    c.register_unstructure_hook(date, date.isoformat)
    c.register_unstructure_hook(Term, lambda term: term.value)
    c.register_unstructure_hook_func(
        _is_set, lambda members: sorted(c.unstructure(m) for m in members)
    )
    c.register_unstructure_hook_func(
        _is_mapping,
        lambda mapping: {c.unstructure(k): c.unstructure(v) for k, v in mapping.items()},
    )
    c.register_unstructure_hook_factory(
        attrs.has, lambda cls: make_dict_unstructure_fn(cls, c, **_FIELDS.get(cls, {}))
    )

    configure_tagged_union(Event, c, tag_generator=_EVENT_TAGS.__getitem__, tag_name="type")
    c.register_structure_hook_factory(lambda t: t == Event, _event_factory)
    c.register_structure_hook_factory(lambda t: t == tuple[AwardStatus, ...], _awards_factory)
    c.register_unstructure_hook_func(lambda t: t == tuple[AwardStatus, ...], _unstructure_awards(c))
    c.register_structure_hook_factory(_is_pair, _pair_factory)
    c.register_unstructure_hook_factory(_is_pair, _unstructure_pair)
    c.register_structure_hook_factory(lambda t: t is Finding, _finding_factory)
    c.register_unstructure_hook(Finding, _unstructure_finding(c))
    return c


CONVERTER: Final = converter()
"""The converter every load and dump uses."""

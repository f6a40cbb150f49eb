"""The one :mod:`cattrs` converter of the interchange format, and its hooks.

The record classes know nothing of JSON; this module says how each is written. Generated cattrs
hooks do the work, with per-field :func:`~cattrs.gen.override`\\ s in one table (:data:`_FIELDS`)
and the event ``type`` tag from :func:`~cattrs.strategies.configure_tagged_union`. A hook is
written by hand only where cattrs would lose a message the format promises; each says which.

Every structure hook raises :class:`~iqm_rules.errors.InvalidRecord` (or the cattrs error that
gathers them) for a bad value; :mod:`iqm_rules.interchange._errors` turns those into one error.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
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

from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Finding
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem
from iqm_rules.history import Event, Withdrawal
from iqm_rules.interchange._fast import (
    FALL_THROUGH,
    assessment_directly,
    directly_or_generally,
    evidence_directly,
    evidence_item_directly,
    members_directly,
)
from iqm_rules.interchange._json import given
from iqm_rules.interchange._paths import parts, written
from iqm_rules.interchange._values import (
    ALSO_REQUIRED,
    a_date,
    an_object,
    is_term,
    null_is_zero,
    suggestion,
    term,
    text,
    true_or_false,
    whole_number,
    wrong,
)
from iqm_rules.lifecycle.replay import AwardStatus
from iqm_rules.principles import Element, Principle

__all__ = ["CONVERTER", "converter", "json_keys"]

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


# Per-field overrides, read by both directions (structure ignores omit_if_default, unstructure
# ignores struct_hook).

_FIELDS: Final[Mapping[type, Mapping[str, Any]]] = {
    Assessment: {
        "cluster_meetings_attended": override(struct_hook=null_is_zero),
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
        data = an_object(value)
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
        data = an_object(value)
        if "action" in data:
            try:
                text(data["action"], str)
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
    members = element._value2member_map_ if is_term(element) else None

    def structure(value: object, _: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise wrong("an array", value)
        if members is not None:
            found = members_directly(list(value), members)
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
        return generated(an_object(value), kind)

    return structure


def _missing(cls: type, key: str) -> KeyError:
    error = KeyError(key)
    error.__notes__ = [AttributeValidationNote(f"{cls.__name__} needs {key}", key, None)]
    return error


def _record_factory(cls: type[T], converter: cattrs.Converter) -> Callable[[Any, Any], T]:
    """The generated cattrs hook of ``cls`` with its :data:`_FIELDS` overrides.

    Wrapped by hand for two rules cattrs has no override for: an object is required ("must be an
    object"), and the keys of :data:`ALSO_REQUIRED` must be present although the field has a
    default; a missing one is reported together with the object's other problems.
    """
    generated = make_dict_structure_fn(cls, converter, **_FIELDS.get(cls, {}))
    required = ALSO_REQUIRED.get(cls, ())
    if not required:

        def plain(value: object, _: Any) -> T:
            return generated(an_object(value), cls)

        return plain

    def structure(value: object, _: Any) -> T:
        data = an_object(value)
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
        data = an_object(value)
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
        data = an_object(value)
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
                entry = an_object(data[award.value])
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

    c.register_structure_hook(str, text)
    c.register_structure_hook(int, whole_number)
    c.register_structure_hook(bool, true_or_false)
    c.register_structure_hook(date, a_date)
    c.register_structure_hook(Term, term)  # by class: older cattrs dispatch Enum by class first
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
            c.register_structure_hook_factory(is_kind, directly_or_generally(directly, general))

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

"""The JSON interchange format, version 1 (RULEBOOK §6): histories in, decisions and status out.

One :mod:`cattrs` converter, built once by :func:`_converter`, turns JSON data into the record
classes and back; the record classes know nothing of JSON. Reading is strict (§7.10): unknown
keys, repeated keys, wrong types, unknown vocabulary and dates not written ``YYYY-MM-DD`` are all
errors. Every problem found while reading comes out as one :class:`~iqm_rules.errors.InvalidRecord`
naming the JSON path of the bad value and what is allowed, for example
``events[2].evidence[5].collected_on: 2024-03-11 is after held_on 2024-03-10``.

When a document has several problems, the one raised is the first in document order; every other
problem found is attached to it as a note (``error.__notes__``, one ``"also: path: problem"``
line each). A wrong or missing ``format`` stops reading at once.

Output is canonical JSON: sorted keys, no insignificant whitespace, UTF-8 text kept as is.

>>> history = load_history(example_text("first-award"))
>>> load_history(dump_history(history)) == history
True
>>> load_history('{"format": "iqm-rules/history@2", "school": {}, "events": []}')
Traceback (most recent call last):
iqm_rules.errors.InvalidRecord: format: must be "iqm-rules/history@1", got "iqm-rules/history@2"
"""

from __future__ import annotations

import json
import os
import re
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

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

from iqm_rules._dates import parse_date
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, RecordedOutcome
from iqm_rules.awards import Award
from iqm_rules.decision import Decision, Finding
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.examples import example_text, examples
from iqm_rules.history import Event, SchoolHistory, Withdrawal
from iqm_rules.lifecycle import AwardStatus, StatusReport
from iqm_rules.policy import Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = [
    "DECISION_FORMAT",
    "HISTORY_FORMAT",
    "POLICY_FORMAT",
    "SCHEMAS",
    "STATUS_FORMAT",
    "dump_decision",
    "dump_history",
    "dump_policy",
    "dump_status",
    "example_text",
    "examples",
    "load_decision",
    "load_history",
    "load_policy",
    "load_status",
    "schema",
    "structure",
    "unstructure",
]

HISTORY_FORMAT: Final = "iqm-rules/history@1"
DECISION_FORMAT: Final = "iqm-rules/decision@1"
STATUS_FORMAT: Final = "iqm-rules/status@1"
POLICY_FORMAT: Final = "iqm-rules/policy@1"

Source = str | bytes | os.PathLike[str] | Mapping[str, Any]
"""JSON text (``str`` or UTF-8 ``bytes``), a path to a JSON file, or already parsed data."""

T = TypeVar("T")
Part = str | int

_FINDING_KEYS: Final = ("rule", "level", "passed", "message")
_EVENT_TYPES: Final[Mapping[str, type[Assessment] | type[Withdrawal]]] = {
    "assessment": Assessment,
    "withdrawal": Withdrawal,
}
_ALSO_REQUIRED: Final[Mapping[type, tuple[str, ...]]] = {
    Assessment: ("evidence", "commitments"),
    RecordedOutcome: ("awarded_level",),
    SchoolHistory: ("events",),
    Policy: ("id", "effective_from"),
    PolicyBook: ("policies",),
}
"""Keys that JSON must carry although the class has a default (RULEBOOK §6 lists them)."""


# What a value is, in JSON words


def _given(value: object) -> str:
    """A short JSON rendering of a bad value, for messages."""
    if isinstance(value, int) and value.bit_length() > 128:
        return "a number too long to show"
    if value is None or isinstance(value, bool | int | float | str):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 60 else shown[:57] + "..."
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a Python {type(value).__name__}"


def _wrong(allowed: str, value: object) -> InvalidRecord:
    return InvalidRecord("", f"must be {allowed}, got {_given(value)}")


def _object(value: object) -> Mapping[str, Any]:
    if type(value) is not dict and not isinstance(value, Mapping):
        raise _wrong("an object", value)
    return value


# Structure hooks: strict scalars, vocabulary, arrays, objects


def _text(value: object, _: Any) -> str:
    if not isinstance(value, str):
        raise _wrong("text", value)
    return value


def _whole_number(value: object, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong("a whole number", value)
    return value


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


def _is_term(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Term)


def _term(value: object, kind: type[Term]) -> Term:
    if isinstance(value, str):
        member = kind._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
    raise _wrong(f"one of {kind.allowed()}", value)


def _is_optional(kind: Any) -> bool:
    args = typing.get_args(kind)
    return (
        typing.get_origin(kind) in (typing.Union, types.UnionType)
        and len(args) == 2
        and type(None) in args
    )


def _optional_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
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

    An array of vocabulary values takes a direct look-up; anything it cannot look up goes the
    general way, which reports the bad member with its index.
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
            try:
                return collect(members[item] for item in value)
            except (KeyError, TypeError):
                pass
        return collect(as_list(value, list_type))

    return structure


def _is_mapping(kind: Any) -> bool:
    return typing.get_origin(kind) is Mapping


def _mapping_factory(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    generated = mapping_structure_factory(kind, converter, dict)

    def structure(value: object, _: Any) -> Any:
        return generated(_object(value), kind)

    return structure


def _finding_overrides() -> dict[str, Any]:
    """Fields of :class:`Finding` beyond the four of ``decision@1`` stay out of the JSON."""
    return {
        a.name: override(omit=True) for a in attrs.fields(Finding) if a.name not in _FINDING_KEYS
    }


def _is_set(kind: Any) -> bool:
    origin: Any = typing.get_origin(kind)
    return origin is frozenset


def _missing(cls: type, key: str) -> KeyError:
    error = KeyError(key)
    error.__notes__ = [AttributeValidationNote(f"{cls.__name__} needs {key}", key, None)]
    return error


def _attrs_factory(cls: type[T], converter: cattrs.Converter) -> Callable[[Any, Any], T]:
    """The generated cattrs hook of ``cls``, behind an object check and the §6 key rules."""
    overrides = _finding_overrides() if cls is Finding else {}
    generated = make_dict_structure_fn(cls, converter, **overrides)
    required = _ALSO_REQUIRED.get(cls, ())
    if not required and cls is not Assessment:

        def plain(value: object, _: Any) -> T:
            return generated(_object(value), cls)

        return plain

    def structure(value: object, _: Any) -> T:
        data = _object(value)
        if cls is Assessment and data.get("cluster_meetings_attended", 0) is None:
            data = {k: v for k, v in data.items() if k != "cluster_meetings_attended"}
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


def _evidence_factory(_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], EvidenceItem]:
    """An evidence item, the bulk of a history: a well-formed one is built directly.

    The direct way reads the same vocabulary and dates as the general way and leaves the other
    checks to the item's own validators; anything it cannot build goes the general way, which
    reports every problem at its path.
    """
    general = _attrs_factory(EvidenceItem, converter)
    keys = frozenset(a.name for a in attrs.fields(EvidenceItem))
    elements, kinds = Element._value2member_map_, EvidenceKind._value2member_map_
    principle = Principle._value2member_map_.__getitem__

    def structure(value: object, _: Any) -> EvidenceItem:
        if type(value) is dict and value.keys() <= keys and type(value.get("principles")) is list:
            try:
                return EvidenceItem(
                    value["id"],
                    elements[value["element"]],  # type: ignore[arg-type]
                    frozenset(map(principle, value["principles"])),
                    kinds[value["kind"]],  # type: ignore[arg-type]
                    _date(value["collected_on"], date),
                    value.get("summary", ""),
                )
            except (KeyError, TypeError, InvalidRecord):
                pass
        return general(value, EvidenceItem)

    return structure


def _event_factory(_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Event]:
    """An event, told apart by its ``type`` key."""
    hooks = {name: converter.get_structure_hook(cls) for name, cls in _EVENT_TYPES.items()}

    def structure(value: object, _: Any) -> Event:
        data = _object(value)
        if "type" not in data:
            raise InvalidRecord("type", f"required key missing; allowed: {', '.join(hooks)}")
        name = data["type"]
        if not isinstance(name, str) or name not in hooks:
            raise InvalidRecord("type", f"must be one of {', '.join(hooks)}, got {_given(name)}")
        rest = {k: v for k, v in data.items() if k != "type"}
        event: Event = hooks[name](rest, _EVENT_TYPES[name])
        return event

    return structure


def _awards_factory(_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A status's ``awards``: one object per award, keyed by the award's JSON value."""
    status_hook = converter.get_structure_hook(AwardStatus)

    def structure(value: object, _: Any) -> tuple[AwardStatus, ...]:
        data = _object(value)
        statuses: list[AwardStatus] = []
        errors: list[Exception] = []

        def noted(error: Exception, key: str) -> Exception:
            error.__notes__ = [IterableValidationNote(f"award {key}", key, AwardStatus)]
            return error

        for key in data:
            if key not in {award.value for award in Award}:
                errors.append(
                    noted(InvalidRecord("", f"unknown award; allowed: {Award.allowed()}"), key)
                )
        for award in Award:
            if award.value not in data:
                errors.append(noted(KeyError(award.value), award.value))
                continue
            try:
                entry = _object(data[award.value])
                if "award" in entry:
                    raise ForbiddenExtraKeysError("", AwardStatus, {"award"})
                statuses.append(status_hook({**entry, "award": award.value}, AwardStatus))
            except Exception as error:
                errors.append(noted(error, award.value))
        if errors:
            raise IterableValidationError("While structuring awards", errors, tuple)
        return tuple(statuses)

    return structure


# Unstructure hooks


def _unstructure_event(converter: cattrs.Converter) -> Callable[[Event], dict[str, Any]]:
    def unstructure(event: Event) -> dict[str, Any]:
        name = "assessment" if isinstance(event, Assessment) else "withdrawal"
        data: dict[str, Any] = converter.unstructure(event, type(event))
        return {"type": name, **data}

    return unstructure


def _unstructure_awards(converter: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    def unstructure(statuses: tuple[AwardStatus, ...]) -> dict[str, Any]:
        awards = [status.award for status in statuses]
        if sorted(awards) != list(Award):
            raise InvalidRecord("awards", f"must hold one status per award, got {awards}")
        out: dict[str, Any] = {}
        for status in statuses:
            data = converter.unstructure(status, AwardStatus)
            del data["award"]
            out[status.award.value] = data
        return out

    return unstructure


def _converter() -> cattrs.Converter:
    """The one converter of the interchange format, with every hook registered once."""
    c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    c.register_structure_hook(str, _text)
    c.register_structure_hook(int, _whole_number)
    c.register_structure_hook(bool, _true_or_false)
    c.register_structure_hook(date, _date)
    c.register_structure_hook_func(_is_term, _term)
    c.register_structure_hook_factory(_is_optional, _optional_factory)
    c.register_structure_hook_factory(_is_array, _array_factory)
    c.register_structure_hook_factory(_is_mapping, _mapping_factory)
    c.register_structure_hook_factory(attrs.has, _attrs_factory)
    c.register_structure_hook_factory(lambda t: t is EvidenceItem, _evidence_factory)
    c.register_structure_hook_factory(lambda t: t == Event, _event_factory)
    c.register_structure_hook_factory(lambda t: t == tuple[AwardStatus, ...], _awards_factory)

    c.register_unstructure_hook(date, date.isoformat)
    c.register_unstructure_hook_func(_is_term, lambda term: term.value)
    c.register_unstructure_hook_func(
        _is_set,
        lambda members: sorted(c.unstructure(m) for m in members),
    )
    c.register_unstructure_hook_func(
        _is_mapping,
        lambda mapping: {c.unstructure(k): c.unstructure(v) for k, v in mapping.items()},
    )
    c.register_unstructure_hook(
        Assessment,
        make_dict_unstructure_fn(
            Assessment,
            c,
            recorded_outcome=override(omit_if_default=True),
            school_id=override(omit_if_default=True),
        ),
    )
    c.register_unstructure_hook(
        Withdrawal,
        make_dict_unstructure_fn(Withdrawal, c, school_id=override(omit_if_default=True)),
    )
    c.register_unstructure_hook(
        Finding,
        make_dict_unstructure_fn(
            Finding,
            c,
            **_finding_overrides(),
        ),
    )
    c.register_unstructure_hook_func(lambda t: t == Event, _unstructure_event(c))
    c.register_unstructure_hook_func(lambda t: t == tuple[AwardStatus, ...], _unstructure_awards(c))
    return c


_CONVERTER: Final = _converter()


# From cattrs errors to one InvalidRecord


def _allowed_keys(cls: type) -> list[str]:
    names = [a.name for a in attrs.fields(cls)]
    if cls is Finding:
        names = list(_FINDING_KEYS)
    if cls is AwardStatus:
        names.remove("award")
    if cls in (Assessment, Withdrawal):
        names.insert(0, "type")
    return names


def _leaves(error: BaseException, path: tuple[Part, ...]) -> Iterator[tuple[tuple[Part, ...], str]]:
    """Every problem inside a cattrs error, with its path as parts and what is wrong."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without = error.group_exceptions()
        for sub, note in with_notes:
            part = note.name if isinstance(note, AttributeValidationNote) else note.index
            yield from _leaves(sub, (*path, part))
        for sub in without:
            yield from _leaves(sub, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        allowed = ", ".join(_allowed_keys(error.cl))
        for key in error.extra_fields:
            yield (*path, key), f"unknown key (§7.10); allowed keys: {allowed}"
    elif isinstance(error, InvalidRecord):
        yield (*path, *_parts(error.path)), error.problem
    elif isinstance(error, KeyError):
        yield path, "required key missing"
    else:
        yield path, f"cannot be read: {error}"


_PART: Final = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def _parts(path: str) -> tuple[Part, ...]:
    return tuple(int(index) if index else name for index, name in _PART.findall(path))


def _path(parts: tuple[Part, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(str(part), ensure_ascii=False)}]"
    return out


def _position(document: object, parts: tuple[Part, ...]) -> tuple[int, ...]:
    """Where ``parts`` points in ``document``, for sorting problems in document order."""
    position: list[int] = []
    node = document
    for part in parts:
        if isinstance(node, Mapping):
            keys = list(node)
            index = keys.index(part) if part in keys else len(keys)
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list | tuple) and isinstance(part, int):
            index, node = part, node[part] if 0 <= part < len(node) else None
        else:
            index, node = 0, None
        position.append(index)
    return tuple(position)


def _first(document: object, problems: list[tuple[tuple[Part, ...], str]]) -> InvalidRecord:
    """The first problem in document order, with the others attached as notes."""
    ordered = sorted(problems, key=lambda problem: _position(document, problem[0]))
    first = InvalidRecord(_path(ordered[0][0]), ordered[0][1])
    for parts, problem in ordered[1:]:
        first.add_note(f"also: {InvalidRecord(_path(parts), problem)}")
    return first


def _structure(document: object, cls: type[T]) -> T:
    try:
        result: T = _CONVERTER.structure(document, cls)
    except Exception as error:
        raise _first(document, list(_leaves(error, ()))) from None
    return result


# Reading


def _objects() -> tuple[Callable[[list[tuple[str, Any]]], dict[str, Any]], dict[int, Any]]:
    """An ``object_pairs_hook`` for one parse: plain dicts, noting any that repeat a key.

    The second value maps ``id`` of each such dict to its repeated keys.
    """
    repeated: dict[int, tuple[str, ...]] = {}

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            counts = Counter(key for key, _ in pairs)
            repeated[id(out)] = tuple(key for key, count in counts.items() if count > 1)
        return out

    return hook, repeated


def _repeats(
    node: object, path: tuple[Part, ...], repeated: Mapping[int, tuple[str, ...]]
) -> Iterator[tuple[tuple[Part, ...], str]]:
    if isinstance(node, dict):
        for key in repeated.get(id(node), ()):
            yield (*path, key), "repeated key (a JSON object names each key once)"
        for key, value in node.items():
            yield from _repeats(value, (*path, key), repeated)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _repeats(value, (*path, index), repeated)


def _no_constant(name: str) -> Any:
    raise InvalidRecord("", f"{name} is not a JSON number")


def _parse(source: Source) -> object:
    """JSON data from text, bytes, a file or already parsed data; repeated keys are errors."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, os.PathLike):
        source = Path(source).read_bytes()
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidRecord("", f"not UTF-8 text (byte {error.start})") from None
    if not isinstance(source, str):
        raise InvalidRecord("", f"expected JSON text, a path or a mapping, got {_given(source)}")
    try:
        hook, repeated = _objects()
        data = json.loads(source, object_pairs_hook=hook, parse_constant=_no_constant)
    except InvalidRecord:
        raise
    except json.JSONDecodeError as error:
        raise InvalidRecord(
            "", f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:
        raise InvalidRecord("", f"unreadable JSON: {error}") from None
    except RecursionError:
        raise InvalidRecord("", "malformed JSON: nested too deeply") from None
    if repeated:
        raise _first(data, list(_repeats(data, (), repeated)))
    return data


def _document(source: Source, form: str, what: str) -> dict[str, Any]:
    """The keys of a document after its ``format`` was checked."""
    data = _parse(source)
    if not isinstance(data, Mapping):
        raise InvalidRecord("", f"a {what} document must be a JSON object, got {_given(data)}")
    if "format" not in data:
        raise InvalidRecord("format", f'required key missing; allowed: "{form}"')
    if data["format"] != form:
        raise InvalidRecord("format", f'must be "{form}", got {_given(data["format"])}')
    return {k: v for k, v in data.items() if k != "format"}


def load_history(source: Source) -> SchoolHistory:
    """A school history from an ``iqm-rules/history@1`` document (RULEBOOK §6).

    ``source`` is JSON text, UTF-8 bytes, a path to a file, or parsed data. Anything wrong is one
    :class:`InvalidRecord` at the JSON path of the first problem (see the module docs); a file
    that cannot be opened raises the usual :class:`OSError`.
    """
    return _structure(_document(source, HISTORY_FORMAT, "history"), SchoolHistory)


def load_decision(source: Source) -> Decision:
    """A decision from an ``iqm-rules/decision@1`` document, as written by :func:`dump_decision`."""
    return _structure(_document(source, DECISION_FORMAT, "decision"), Decision)


def load_status(source: Source) -> StatusReport:
    """A status report from an ``iqm-rules/status@1`` document (see :func:`dump_status`)."""
    return _structure(_document(source, STATUS_FORMAT, "status"), StatusReport)


def load_policy(source: Source) -> PolicyBook:
    """A policy book from an ``iqm-rules/policy@1`` document: ``{"policies": [...]}``.

    Each policy needs ``id`` and ``effective_from``; a parameter left out takes its default of
    RULEBOOK §2, so a book reads as the changes an awarding body made to the defaults.

    >>> book = load_policy('{"format": "iqm-rules/policy@1", "policies": ['
    ...     '{"id": "iqm-2025.1", "effective_from": "2000-01-01"},'
    ...     '{"id": "strict", "effective_from": "2026-09-01", "flagship_boundary": "more_than"}]}')
    >>> book.in_force(date(2026, 9, 1)).flagship_boundary
    FlagshipBoundary.MORE_THAN
    >>> load_policy('{"format": "iqm-rules/policy@1", "policies": [{"id": "x"}]}')
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: policies[0].effective_from: required key missing...
    """
    return _structure(_document(source, POLICY_FORMAT, "policy"), PolicyBook)


def structure(data: object, cls: type[T]) -> T:
    """``data`` (JSON-ready, without a ``format`` key) as an instance of ``cls``, strictly.

    >>> from iqm_rules import Award
    >>> structure("flagship", Award)
    Award.FLAGSHIP
    >>> structure("2023-02-29", date)
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: 2023-02-29 is not a calendar date
    """
    return _structure(data, cls)


# Writing


def unstructure(obj: object) -> Any:
    """JSON-ready data for any record, decision or status (without the document ``format`` key).

    >>> unstructure(date(2024, 3, 10))
    '2024-03-10'
    """
    return _CONVERTER.unstructure(obj)


def _canonical(form: str, data: Mapping[str, Any]) -> str:
    return json.dumps(
        {"format": form, **data},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def dump_history(history: SchoolHistory) -> str:
    """The canonical ``iqm-rules/history@1`` document of ``history``."""
    return _canonical(HISTORY_FORMAT, _CONVERTER.unstructure(history, SchoolHistory))


def dump_decision(decision: Decision) -> str:
    """The canonical ``iqm-rules/decision@1`` document of ``decision``."""
    return _canonical(DECISION_FORMAT, _CONVERTER.unstructure(decision, Decision))


def dump_status(report: StatusReport) -> str:
    """The canonical ``iqm-rules/status@1`` document of ``report``; its decisions have no format."""
    return _canonical(STATUS_FORMAT, _CONVERTER.unstructure(report, StatusReport))


def dump_policy(policy: Policy | PolicyBook) -> str:
    """The canonical ``iqm-rules/policy@1`` document of a policy or a book, every value shown."""
    book = policy if isinstance(policy, PolicyBook) else PolicyBook((policy,))
    return _canonical(POLICY_FORMAT, _CONVERTER.unstructure(book, PolicyBook))


# Schemas


SCHEMAS: Final = ("history", "decision", "status", "policy")
"""The formats with a JSON Schema in the package."""


def schema(name: Literal["history", "decision", "status", "policy"]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``name`` format, as shipped in the package."""
    if name not in SCHEMAS:
        raise InvalidRecord("schema", f"must be one of {', '.join(SCHEMAS)}, got {_given(name)}")
    text = (
        resources.files("iqm_rules").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded

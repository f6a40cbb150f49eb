"""Small attrs validators that raise :class:`~iqm_rules.errors.InvalidRecord` naming the field.

Each says "*field*: must be *what is allowed*, got *what was given*".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from iqm_rules._dates import is_date
from iqm_rules._terms import Term
from iqm_rules.errors import InvalidRecord

__all__ = [
    "a_date",
    "a_tuple",
    "count",
    "frozen_set",
    "non_empty_text",
    "set_of_terms",
    "term",
    "text",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


ID_MAX_LENGTH = 200
"""The most characters an id may have (RULEBOOK §7.12)."""

CONTROL = "\u0000-\u001f\u007f-\u009f"
"""The control characters (Unicode category Cc), as a regular-expression class body; an id
holds none of them. The same class is written in the JSON Schemas."""

WHITE_SPACE = "\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""Unicode's White_Space characters that are not controls: an id is not made of these alone.
U+FEFF is not among them (Unicode counts it a format character, not white space)."""

_CONTROL = re.compile(f"[{CONTROL}]")
_VISIBLE = re.compile(f"[^{CONTROL}{WHITE_SPACE}]")


def is_id(value: object) -> bool:
    """An id: 1 to 200 characters, no control character, not only white space (§7.12).

    >>> [is_id(x) for x in ("URN-1", "", " ", "\ufeff", "A\x85", "\u3000", "x" * 201)]
    [True, False, False, True, False, False, False]
    """
    if not isinstance(value, str) or not 0 < len(value) <= ID_MAX_LENGTH:
        return False
    # Fast path for the ids of real files (printable ASCII), which every evidence item has:
    # within ASCII, ``isprintable`` refuses exactly the controls and space is the only white
    # space left, so two string methods answer what the two searches below would (the load +
    # status benchmark target). Anything else falls through to the general check.
    if value.isascii():
        return value.isprintable() and not value.isspace()
    return _CONTROL.search(value) is None and _VISIBLE.search(value) is not None


def _shown(value: object) -> str:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{shown} ({type(value).__name__})"


def a_date(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A calendar date (``datetime.date``, not a ``datetime``)."""
    if not is_date(value):
        raise InvalidRecord(attribute.name, f"must be a date, got {_shown(value)}")


def text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Any string, possibly empty."""
    if not isinstance(value, str):
        raise InvalidRecord(attribute.name, f"must be text, got {_shown(value)}")


def non_empty_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An id (:func:`is_id`): non-empty text of at most 200 characters, no controls."""
    if not is_id(value):
        raise InvalidRecord(
            attribute.name,
            f"must be non-empty text (an id: 1 to {ID_MAX_LENGTH} characters, no control "
            f"character, not only white space), got {_shown(value)}",
        )


def count(minimum: int = 0, maximum: int | None = None) -> Validator:
    """A whole number (not a bool) in ``[minimum, maximum]``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        allowed = f"a whole number ≥ {minimum:,}"
        if maximum is not None:
            allowed = f"a whole number from {minimum:,} to {maximum:,}"
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidRecord(attribute.name, f"must be {allowed}, got {_shown(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            raise InvalidRecord(attribute.name, f"must be {allowed}, got {value}")

    return check


def term(kind: type[Term]) -> Validator:
    """A member of the vocabulary enum ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidRecord(
                attribute.name,
                f"must be a {kind.__name__} ({kind.allowed()}), got {_shown(value)}",
            )

    return check


def set_of_terms(kind: type[Term], *, non_empty: bool = False) -> Validator:
    """A frozenset of members of ``kind``; optionally at least one."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, frozenset):
            raise InvalidRecord(attribute.name, f"must be a set of {kind.__name__}")
        for member in value:
            if not isinstance(member, kind):
                raise InvalidRecord(
                    attribute.name,
                    f"members must be {kind.__name__} ({kind.allowed()}), got {_shown(member)}",
                )
        if non_empty and not value:
            raise InvalidRecord(
                attribute.name, f"must name at least one {kind.__name__} ({kind.allowed()})"
            )

    return check


def frozen_set(value: object) -> object:
    """Converter: any non-text iterable becomes a frozenset (repeats collapse)."""
    if isinstance(value, frozenset):
        return value
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return frozenset(value)
    return value


def a_tuple(value: object) -> object:
    """Converter: any non-text iterable becomes a tuple (order kept)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return tuple(value)
    return value

"""What a JSON value must be: the structure hooks of the simple types, and the keys an object
must carry.

Each hook raises :class:`~iqm_rules.errors.InvalidRecord` with an empty path for a bad value;
the converter's record and array hooks place it (:mod:`iqm_rules.interchange._converter`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from iqm_rules._dates import parse_date
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, RecordedOutcome
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange._json import given
from iqm_rules.policy import Policy, PolicyBook

__all__ = [
    "ALSO_REQUIRED",
    "a_date",
    "an_object",
    "is_term",
    "null_is_zero",
    "suggestion",
    "term",
    "text",
    "true_or_false",
    "whole_number",
    "wrong",
]

ALSO_REQUIRED: Final[Mapping[type, tuple[str, ...]]] = {
    Assessment: ("evidence", "commitments"),
    RecordedOutcome: ("awarded_level",),
    SchoolHistory: ("events",),
    Policy: ("id", "effective_from"),
    PolicyBook: ("policies",),
}
"""Keys that JSON must carry although the class has a default (RULEBOOK §6 lists them)."""


def wrong(allowed: str, value: object) -> InvalidRecord:
    return InvalidRecord("", f"must be {allowed}, got {given(value)}")


def an_object(value: object) -> Mapping[str, Any]:
    if type(value) is not dict and not isinstance(value, Mapping):
        raise wrong("an object", value)
    return value


def text(value: object, _: Any) -> str:
    if not isinstance(value, str):
        raise wrong("text", value)
    return value


def whole_number(value: object, _: Any) -> int:
    """A whole number, written ``2`` or ``2.0`` (JSON does not tell them apart, §7.12)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong("a whole number", value)
    return value


def null_is_zero(value: object, _: Any) -> int:
    """A count where ``null`` means none (§7.10: ``cluster_meetings_attended``)."""
    return 0 if value is None else whole_number(value, int)


def true_or_false(value: object, _: Any) -> bool:
    if not isinstance(value, bool):
        raise wrong("true or false", value)
    return value


def a_date(value: object, _: Any) -> date:
    """A date written exactly ``YYYY-MM-DD`` that exists in the calendar."""
    if not isinstance(value, str):
        raise wrong("a date written YYYY-MM-DD", value)
    try:
        day = parse_date(value)
    except ValueError:
        raise InvalidRecord("", f"{value} is not a calendar date") from None
    if day is None:
        raise wrong("a date written YYYY-MM-DD", value)
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


def is_term(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Term)


def term(value: object, kind: type[Term]) -> Term:
    if isinstance(value, str):
        member = kind._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
    error = wrong(f"one of {kind.allowed()}", value)
    raise InvalidRecord(
        error.path, error.problem + suggestion(value, kind._value2member_map_)
    ) from None

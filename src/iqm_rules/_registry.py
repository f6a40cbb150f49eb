"""Finding an entry of a rule registry by its id, with an error that lists the known ids; the
mark that says which functions carry out a rule (:func:`carries_out`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["by_id", "carriers", "carries_out"]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def by_id(entries: Mapping[str, T], rule_id: str, noun: str) -> T:
    """The entry called ``rule_id``; ``KeyError`` naming the ``noun`` and the known ids otherwise.

    >>> by_id({"EV-1": 1}, "EV-2", "rule")
    Traceback (most recent call last):
    KeyError: "no rule 'EV-2'; the rules are EV-1"
    """
    try:
        return entries[rule_id]
    except KeyError:
        known = ", ".join(entries)
        raise KeyError(f"no {noun} {rule_id!r}; the {noun.split()[-1]}s are {known}") from None


_CARRIERS: dict[str, list[Callable[..., object]]] = {}
"""Rule id → the functions written to carry it out, in the order their modules were loaded."""


def carries_out(*rule_ids: str) -> Callable[[F], F]:
    """Mark the decorated function as carrying out the rules ``rule_ids``; it is unchanged.

    The lifecycle registry (:mod:`iqm_rules.lifecycle.rules`) names each rule's functions from
    these marks, so what carries out a rule is written above the function that does it.
    """

    def mark(function: F) -> F:
        for rule_id in rule_ids:
            _CARRIERS.setdefault(rule_id, []).append(function)
        return function

    return mark


def carriers(rule_id: str) -> tuple[Callable[..., object], ...]:
    """The functions marked with :func:`carries_out` for ``rule_id``, so far loaded."""
    return tuple(_CARRIERS.get(rule_id, ()))

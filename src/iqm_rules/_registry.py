"""Finding an entry of a rule registry by its id, with an error that lists the known ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

__all__ = ["by_id"]

T = TypeVar("T")


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

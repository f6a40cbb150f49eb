"""The base of every vocabulary enum: a JSON value, a human title and, when ranked, an order."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from functools import cached_property
from typing import Any, Self, TypeVar

__all__ = ["RankedTerm", "Term"]


_T = TypeVar("_T")


class _TermType(enum.EnumType):
    """Iterates over a vocabulary's members from a tuple made once (the rules iterate often).

    It saves about an eighth of a replay: ``status`` of a history of 200 events takes 1.14x the
    instructions with enum's own iteration (callgrind).
    """

    def __new__(metacls, *args: Any, **kwargs: Any) -> Any:
        cls = super().__new__(metacls, *args, **kwargs)
        members = tuple(cls._member_map_[name] for name in cls._member_names_)
        type.__setattr__(cls, "_members", members)
        return cls

    def __iter__(cls: type[_T]) -> Iterator[_T]:
        return iter(cls.__dict__["_members"])


class Term(enum.Enum, metaclass=_TermType):
    """An enum member whose value is its JSON value and which carries a human ``title``."""

    _value_: str
    _title: str
    _rank: int

    def __new__(cls, value: str, title: str) -> Self:
        member = object.__new__(cls)
        member._value_ = value
        member._title = title
        member._rank = len(cls._member_names_)
        return member

    @property
    def value(self) -> str:
        """The JSON value of the rulebook (section 1)."""
        return self._value_

    @property
    def title(self) -> str:
        """The human title of the rulebook (section 1)."""
        return self._title

    def __str__(self) -> str:
        return self.value

    # Hashing by identity, in C, saves a third of a replay: with enum's hash of the name (a Python
    # call per set or dict look-up) ``status`` of 200 events takes 1.47x the instructions.
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    @classmethod
    def parse(cls, value: object) -> Self:
        """The member whose JSON value is ``value``; ``ValueError`` listing the allowed ones."""
        if isinstance(value, cls):
            return value
        for member in cls:
            if member.value == value:
                return member
        raise ValueError(f"{value!r} is not one of {cls.allowed()}")

    @classmethod
    def allowed(cls) -> str:
        """The JSON values, for error messages."""
        return ", ".join(member.value for member in cls)


class RankedTerm(Term):
    """A term whose members are ordered as they are declared (lowest first)."""

    @cached_property
    def rank(self) -> int:
        """Position in the order, from 0; kept on the member once read, so that reading it
        again is a plain attribute (the replay compares and indexes levels by rank many times
        per event)."""
        return self._rank

    def __lt__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank >= other.rank

"""The one exception hierarchy of ``iqm_rules``, and the one way a JSON path is written.

Every problem with input data is an :class:`InvalidRecord` that names *where* the bad value is
(a path such as ``events[2].evidence[5].collected_on``), *what* is wrong and, where it helps,
*what is allowed*. A path is text written by :func:`written` from its parts (keys and indexes,
``("events", 2, "evidence", 5, "collected_on")``), read back by :func:`parts`, and joined to the
path of what holds it by :func:`join_path`.
"""

from __future__ import annotations

import json
import re
from typing import Final

from iqm_rules._shown import shown

__all__ = [
    "IQMRulesError",
    "InvalidPolicy",
    "InvalidRecord",
    "Part",
    "join_path",
    "parts",
    "written",
]

Part = str | int
"""One step of a JSON path: a key of an object or an index of an array."""

_PART: Final = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")
_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def written(path: tuple[Part, ...]) -> str:
    """``path`` written out: names joined by dots, indexes and other keys in brackets, as JSON
    text safe on a terminal (:func:`~iqm_rules._shown.shown`).

    >>> written(("events", 2, "evidence", 5, "id")), written(("events", 0, "the key"))
    ('events[2].evidence[5].id', 'events[0]["the key"]')
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and _NAME.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{shown(json.dumps(str(part), ensure_ascii=False))}]"
    return out


def parts(path: str) -> tuple[Part, ...]:
    """The parts of a written path (the path of an :class:`InvalidRecord` a validator raised).

    >>> parts("events[2].evidence[5].id")
    ('events', 2, 'evidence', 5, 'id')
    """
    return tuple(int(index) if index else name for index, name in _PART.findall(path))


def join_path(prefix: str, path: str) -> str:
    """Join two JSON-style paths: ``join_path("events[2]", "evidence[0].id")``.

    >>> join_path("events[2]", "evidence[0].id")
    'events[2].evidence[0].id'
    >>> join_path("events", "[3]")
    'events[3]'
    >>> join_path("", "held_on")
    'held_on'
    """
    if not prefix:
        return path
    if not path:
        return prefix
    if path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


class IQMRulesError(Exception):
    """Base class of every error raised by ``iqm_rules``."""


class InvalidRecord(IQMRulesError, ValueError):
    """A record, or a value inside it, breaks the rulebook or the interchange format.

    ``path`` locates the bad value; ``problem`` says what is wrong and what is allowed.

    >>> err = InvalidRecord("collected_on", "2024-03-11 is after held_on 2024-03-10")
    >>> str(err.within("events[2].evidence[5]"))
    'events[2].evidence[5].collected_on: 2024-03-11 is after held_on 2024-03-10'
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem

    def within(self, prefix: str) -> InvalidRecord:
        """The same error, located inside ``prefix``."""
        moved = type(self)(join_path(prefix, self.path), self.problem)
        moved.__cause__ = self.__cause__
        return moved


class InvalidPolicy(InvalidRecord):
    """A policy parameter has a value the rulebook does not allow."""

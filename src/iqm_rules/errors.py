"""The one exception hierarchy of ``iqm_rules``.

Every problem with input data is an :class:`InvalidRecord` that names *where* the bad value is
(a path such as ``events[2].evidence[5].collected_on``), *what* is wrong and, where it helps,
*what is allowed*.
"""

from __future__ import annotations

__all__ = ["IQMRulesError", "InvalidPolicy", "InvalidRecord", "join_path"]


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

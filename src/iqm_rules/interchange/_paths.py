"""JSON paths of problems, and the order a reader meets them in a document.

A path is written the way the problems name it, ``events[0].evidence[1].id``; as parts it is a
tuple of keys and indexes, ``("events", 0, "evidence", 1, "id")`` (:func:`~iqm_rules.errors.
written` and :func:`~iqm_rules.errors.parts`, the one way of each). Among several problems the
one reported is the first in document order; the others become notes.

>>> from iqm_rules.interchange._paths import first_in_order, written
>>> written(("events", 0, "the key"))
'events[0]["the key"]'
>>> error = first_in_order({"b": 1, "a": 2}, [(("a",), "second"), (("b",), "first")])
>>> str(error), error.__notes__
('b: first', ['also: a: second'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from iqm_rules.errors import InvalidRecord, Part, parts, written

__all__ = ["Part", "Problem", "first_in_order", "parts", "written"]

Problem = tuple[tuple[Part, ...], str]
"""Where a problem is (path parts) and what is wrong."""


def _position(document: object, path: tuple[Part, ...]) -> tuple[int, ...]:
    """Where ``path`` points in ``document``; a key not present sorts after its object's keys."""
    position: list[int] = []
    node = document
    for part in path:
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


def first_in_order(document: object, problems: Iterable[Problem]) -> InvalidRecord:
    """The first of ``problems`` in document order, with the others attached as notes."""
    ordered = sorted(problems, key=lambda problem: _position(document, problem[0]))
    first = InvalidRecord(written(ordered[0][0]), ordered[0][1])
    for path, problem in ordered[1:]:
        first.add_note(f"also: {InvalidRecord(written(path), problem)}")
    return first

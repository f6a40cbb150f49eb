"""Comparing a response with the expected one: the first field that differs, by its JSON path.

What is compared (the conformance page states the same):

- every member and every item, in document order (members by sorted key, items by index);
  a member missing from the answer, or one the expected document does not have, differs;
- except **informative text**, written for people and free to differ in wording: a finding's
  ``message`` and ``action``, a timeline change's ``detail``, a refusal's ``message``
  (:data:`INFORMATIVE`);
- and **optional derived members**, which their format's schema lets a document leave out and
  which follow from the rest: a status's ``next_steps``, a failing finding's ``missing`` and a
  timeline change's ``happened`` (:data:`OPTIONAL`): compared when the answer has them.

With ``strict``, everything is compared and nothing may be left out.

>>> first_difference({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 3]})
Difference(path='b[1]', expected='2', actual='3')
>>> first_difference({"message": "x", "rule": "EV-1"}, {"message": "y", "rule": "EV-1"}) is None
True
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Final

from attrs import frozen

from iqm_rules.errors import Part, written

__all__ = ["INFORMATIVE", "MISSING", "OPTIONAL", "Difference", "first_difference"]

INFORMATIVE: Final = frozenset({"message", "action", "detail"})
"""Members holding text for people: not compared unless ``strict``."""

OPTIONAL: Final = frozenset({"next_steps", "missing", "happened"})
"""Optional derived members: compared only when the answer has them, unless ``strict``."""

MISSING: Final = "(missing)"
"""How a member that is not there is shown."""


@frozen
class Difference:
    """The first field that differs: its JSON path, and both values as JSON text."""

    path: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.path or '(the document)'}: expected {self.expected}, got {self.actual}"


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= 120 else text[:117] + "..."


def _differences(
    expected: object, actual: object, at: tuple[Part, ...], strict: bool
) -> Iterator[Difference]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if not strict and key in INFORMATIVE:
                continue
            here = (*at, key)
            if key not in actual:
                if strict or key not in OPTIONAL:
                    yield Difference(written(here), _shown(expected[key]), MISSING)
            elif key not in expected:
                yield Difference(written(here), MISSING, _shown(actual[key]))
            else:
                yield from _differences(expected[key], actual[key], here, strict)
        return
    if isinstance(expected, list) and isinstance(actual, list):
        for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
            yield from _differences(want, got, (*at, index), strict)
        if len(expected) != len(actual):
            shorter = min(len(expected), len(actual))
            yield Difference(
                written((*at, shorter)),
                _shown(expected[shorter]) if shorter < len(expected) else MISSING,
                _shown(actual[shorter]) if shorter < len(actual) else MISSING,
            )
        return
    if type(expected) is not type(actual) or expected != actual:
        yield Difference(written(at), _shown(expected), _shown(actual))


def first_difference(
    expected: object, actual: object, *, strict: bool = False
) -> Difference | None:
    """The first field of ``actual`` (parsed JSON) that differs from ``expected``, or None."""
    return next(_differences(expected, actual, (), strict), None)

"""Documents for the interchange tests: one small valid history to mutate, and JSON values."""

from __future__ import annotations

import copy
import types
import typing
from datetime import date
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from iqm_rules._terms import Term
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.lifecycle.replay import AwardStatus, StatusReport
from iqm_rules.principles import Element

__all__ = [
    "decisions",
    "json_values",
    "minimal_history",
    "paths_in",
    "records",
    "status_reports",
]

T = TypeVar("T")

_EVIDENCE = [
    ("E1", "inclusion_values", "pupil_voice"),
    ("E2", "curriculum", "parent_voice"),
]


def minimal_history() -> dict[str, Any]:
    """A fresh, valid ``history@1`` document: one assessment, one withdrawal."""
    document: dict[str, Any] = {
        "format": "iqm-rules/history@1",
        "school": {"id": "URN-100001", "name": "Example Primary"},
        "events": [
            {
                "type": "assessment",
                "id": "A1",
                "held_on": "2024-03-10",
                "kind": "full",
                "level_sought": "inclusive_school",
                "judgements": {element.value: "established" for element in Element},
                "evidence": [
                    {
                        "id": item_id,
                        "element": element,
                        "principles": ["raising_achievement"],
                        "kind": kind,
                        "collected_on": "2024-01-15",
                        "summary": "Pupil voice panel on adapted reading curriculum",
                    }
                    for item_id, element, kind in _EVIDENCE
                ],
                "commitments": ["development_plan"],
                "cluster_meetings_attended": 1,
                "recorded_outcome": {"awarded_level": None},
            },
            {"type": "withdrawal", "on": "2024-09-01", "reason": "School closed"},
        ],
    }
    return copy.deepcopy(document)


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value: the garbage a file may hold."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=12)
        | st.sampled_from(["2024-03-10", "2023-02-29", "full", "flagship", "embedded", "A1"])
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["id", "type", "format", "events", "school", "name", "x"])
                | st.text(max_size=6),
                inner,
                max_size=4,
            )
        ),
        max_leaves=max_leaves,
    )


def _for_type(kind: Any) -> st.SearchStrategy[Any]:
    """Any value of an annotated field type, as JSON can carry it (no NaN, no time)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is str:
        return st.text(max_size=12)
    if kind is bool:
        return st.booleans()
    if kind is date:
        return st.dates()
    if isinstance(kind, type) and issubclass(kind, Term):
        return st.sampled_from(list(kind))
    if origin in (typing.Union, types.UnionType):
        return st.one_of([st.none() if a is type(None) else _for_type(a) for a in args])
    if origin is tuple and args[1:] == (Ellipsis,):
        return st.lists(_for_type(args[0]), max_size=3).map(tuple)
    if origin is tuple:
        return st.tuples(*map(_for_type, args))
    if kind is int:
        return st.integers(min_value=0, max_value=10**6)
    if isinstance(kind, type) and attrs.has(kind):
        return records(kind)
    raise LookupError(kind)


def records(cls: type[T], **fixed: st.SearchStrategy[Any]) -> st.SearchStrategy[T]:
    """Instances of the attrs class ``cls``, every field drawn from its annotation.

    A field with a default whose type has no strategy here keeps its default; ``fixed`` pins
    fields.
    """
    hints = typing.get_type_hints(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    attributes: Any = cls
    for field in attrs.fields(attributes):
        if field.name in fixed:
            fields[field.name] = fixed[field.name]
            continue
        try:
            fields[field.name] = _for_type(hints[field.name])
        except LookupError:
            if field.default is attrs.NOTHING:
                raise
    return st.builds(cls, **fields)


def _findings() -> st.SearchStrategy[Finding]:
    """Findings with every field ``decision@1`` carries, ``missing`` (what to fix) included."""
    return st.builds(
        Finding,
        rule=_for_type(str),
        level=_for_type(Award),
        passed=st.booleans(),
        message=st.text(max_size=30),
        missing=st.none() | records(Missing),
    )


def decisions() -> st.SearchStrategy[Decision]:
    """Decisions with any field values the format can carry."""
    return records(Decision, findings=st.lists(_findings(), max_size=3).map(tuple))


def status_reports() -> st.SearchStrategy[StatusReport]:
    """Status reports with one status per award, in award order, and any other field values."""
    awards = st.tuples(*(records(AwardStatus, award=st.just(award)) for award in Award))
    return records(StatusReport, awards=awards, decisions=st.lists(decisions(), max_size=2))


def paths_in(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in a JSON document, the document itself first."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths_in(value, (*prefix, index))
    return found

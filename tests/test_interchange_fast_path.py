"""The evidence fast path changes nothing: on any value it gives what the general path gives.

The general path is the generated cattrs hook with detailed errors; a converter built with
``evidence_fast_path=False`` uses only that. Both are compared item by item and on whole
histories, valid and mutated: the same record, or the same error with the same notes.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import dump_history, unstructure
from iqm_rules.interchange._converter import (
    CONVERTER,
    FALL_THROUGH,
    converter,
    evidence_directly,
    evidence_item_directly,
)
from iqm_rules.interchange._errors import structured
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import evidence_items, school_histories
from strategies_interchange import json_values, paths_in

GENERAL = converter(evidence_fast_path=False)

_NEAR_MISSES = st.sampled_from(
    [
        "",
        "  ",
        "2023-02-29",
        "2024-03-10",
        "2024-3-10",
        [],
        ["raising_achievement", "kindness"],
        ["inclusive_ethos", "inclusive_ethos"],
        [["raising_achievement"]],
        {"a": 1},
        *(member.value for member in (*Element, *Principle, *EvidenceKind)),
    ]
)


def _outcome(value: object, cls: type[Any], using: Any) -> object:
    """The record ``value`` becomes, or the error it raises (message and notes)."""
    try:
        return structured(value, cls, using)
    except InvalidRecord as error:
        return str(error), getattr(error, "__notes__", [])


def _same(value: object, cls: type[Any]) -> None:
    assert _outcome(value, cls, CONVERTER) == _outcome(value, cls, GENERAL)


@st.composite
def _mutated_items(draw: st.DrawFn) -> dict[str, Any]:
    """A valid item's JSON with one to three keys changed, removed or added."""
    item: dict[str, Any] = unstructure(draw(evidence_items()))
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from([*item, "notes"]))
        if draw(st.booleans()) and key in item:
            del item[key]
        else:
            item[key] = draw(_NEAR_MISSES | json_values(max_leaves=3))
    return item


def _answered_directly(value: object) -> bool:
    """Whether the fast path answers ``value`` (with an item or a validator's error)."""
    try:
        return evidence_item_directly(value) is not FALL_THROUGH
    except InvalidRecord:
        return True


@given(evidence_items())
def test_a_valid_item_takes_the_fast_path_and_reads_as_the_general_path_reads(
    item: EvidenceItem,
) -> None:
    value = unstructure(item)
    assert evidence_item_directly(value) == item
    _same(value, EvidenceItem)


@given(_mutated_items())
def test_a_mutated_item_reads_the_same_or_fails_the_same_on_both_paths(value: Any) -> None:
    event("fast path" if _answered_directly(value) else "fall through")
    _same(value, EvidenceItem)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("id", "", "id: must be non-empty text"),
        ("id", " ", "id: must be non-empty text"),
        ("principles", [], "principles: must name at least one Principle"),
    ],
)
def test_what_the_items_own_validators_refuse_goes_the_general_way(
    key: str, value: Any, message: str
) -> None:
    item: dict[str, Any] = {
        "id": "E1",
        "element": "curriculum",
        "principles": ["raising_achievement"],
        "kind": "data",
        "collected_on": "2024-01-15",
        key: value,
    }
    assert evidence_item_directly(item) is FALL_THROUGH
    assert (
        evidence_directly([{**item, key: "E0" if key == "id" else ["inclusive_ethos"]}, item])
        is FALL_THROUGH
    )
    with pytest.raises(InvalidRecord) as caught:
        structured(item, EvidenceItem)
    assert str(caught.value).startswith(message)
    _same(item, EvidenceItem)


@given(school_histories(max_events=3), st.data())
def test_whole_histories_read_the_same_on_both_paths(
    history: SchoolHistory, data: st.DataObject
) -> None:
    document = json.loads(dump_history(history))
    del document["format"]
    _same(copy.deepcopy(document), SchoolHistory)
    path = data.draw(st.sampled_from(paths_in(document)[1:]))
    parent: Any = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = data.draw(_NEAR_MISSES | json_values(max_leaves=3))
    _same(document, SchoolHistory)

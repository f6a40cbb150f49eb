"""The fast paths (evidence items, assessments) change nothing: on any value each gives what
the general path gives.

The general path is the generated cattrs hook with detailed errors; a converter built with
``fast_paths=False`` uses only that. Both are compared item by item, assessment by assessment
and on whole histories, valid and mutated: the same record, or the same error with the same
notes.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from iqm_rules.assessment import Assessment
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import dump_history, unstructure
from iqm_rules.interchange._converter import CONVERTER, converter
from iqm_rules.interchange._errors import structured
from iqm_rules.interchange._fast import (
    FALL_THROUGH,
    assessment_directly,
    evidence_directly,
    evidence_item_directly,
)
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import assessments, evidence_items, school_histories
from strategies import json_values, paths_in

GENERAL = converter(fast_paths=False)

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


# Assessments


_ASSESSMENT_NEAR_MISSES = st.sampled_from(
    [
        None,
        2.0,
        -1,
        True,
        "full",
        "review",
        "flagship",
        "inclusive_school",
        "2024-02-30",
        {"awarded_level": None},
        {"awarded_level": "flagship"},
        {"awarded_level": "gold"},
        {"awarded_level": "flagship", "by": "panel"},
        {"curriculum": "embedded"},
        ["cluster_membership", "annual_visit"],
        ["cluster_membership", "kindness"],
    ]
)


def _assessment_json(assessment: Assessment) -> dict[str, Any]:
    value: dict[str, Any] = unstructure(assessment)
    return value


@st.composite
def _mutated_assessments(draw: st.DrawFn) -> dict[str, Any]:
    """A valid assessment's JSON with one or two keys changed, removed or added."""
    value = _assessment_json(draw(assessments()))
    for _ in range(draw(st.integers(1, 2))):
        key = draw(st.sampled_from([*value, "recorded_outcome", "school_id", "notes"]))
        if draw(st.booleans()) and key in value:
            del value[key]
        else:
            value[key] = draw(_ASSESSMENT_NEAR_MISSES | _NEAR_MISSES | json_values(max_leaves=3))
    return value


@given(assessments(), st.sampled_from([None, "URN-1"]))
def test_a_valid_assessment_takes_the_fast_path_and_reads_as_the_general_path_reads(
    assessment: Assessment, school_id: str | None
) -> None:
    value = _assessment_json(assessment)
    if school_id is not None:
        value["school_id"] = school_id
    event("recorded outcome" if assessment.recorded_outcome is not None else "none recorded")
    found = assessment_directly(value)
    assert found is not FALL_THROUGH
    assert found == structured(value, Assessment, GENERAL)
    _same(value, Assessment)


@given(_mutated_assessments())
def test_a_mutated_assessment_reads_the_same_or_fails_the_same_on_both_paths(value: Any) -> None:
    event("fast path" if assessment_directly(value) is not FALL_THROUGH else "fall through")
    _same(value, Assessment)


def _assessment_document(**changes: Any) -> dict[str, Any]:
    """A small well-formed assessment's JSON, with ``changes``."""
    return {
        "id": "A1",
        "held_on": "2024-03-10",
        "kind": "full",
        "level_sought": "inclusive_school",
        "judgements": {element.value: "established" for element in Element},
        "evidence": [],
        "commitments": ["annual_visit"],
        **changes,
    }


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("cluster_meetings_attended", 2.0),
        ("cluster_meetings_attended", -1),
        ("cluster_meetings_attended", True),
        ("recorded_outcome", {"awarded_level": "gold"}),
        ("recorded_outcome", {"awarded_level": 1}),
        ("recorded_outcome", {}),
        ("school_id", ""),
        ("held_on", "2023-02-29"),
        ("judgements", {"curriculum": "embedded"}),
        ("commitments", ["kindness"]),
        ("evidence", [{"id": "E1"}]),
        ("kind", "annual"),
        ("level_sought", ["flagship"]),
    ],
)
def test_what_the_fast_path_does_not_read_goes_the_general_way(key: str, value: Any) -> None:
    document = _assessment_document(**{key: value})
    assert assessment_directly(document) is FALL_THROUGH
    _same(document, Assessment)


@pytest.mark.parametrize(
    ("key", "value", "read"),
    [
        ("cluster_meetings_attended", None, 0),
        ("recorded_outcome", None, None),
        ("school_id", None, None),
    ],
)
def test_a_null_optional_value_is_read_on_the_fast_path(key: str, value: Any, read: Any) -> None:
    document = _assessment_document(**{key: value})
    found = assessment_directly(document)
    assert not isinstance(found, type(FALL_THROUGH))
    assert getattr(found, key) == read
    _same(document, Assessment)

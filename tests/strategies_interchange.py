"""Documents for the interchange tests: one small valid history to mutate, and JSON values."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from iqm_rules.principles import Element

__all__ = ["json_values", "minimal_history"]

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

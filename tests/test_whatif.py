"""What-if: the schools a policy change affects, and the rules behind each change."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from iqm_rules.auditing.whatif import compare, csv_text, json_text, jsonl_lines, summarise
from iqm_rules.auditing.whatif_said import text
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.policy import DEFAULT_POLICY, FlagshipBoundary, Policy
from iqm_rules.testing import dates, policies, school_histories

AS_OF = date(2026, 1, 1)
MORE_THAN = Policy(flagship_boundary=FlagshipBoundary.MORE_THAN)


def bundled() -> list[SchoolHistory]:
    return [load_history(example_text(name)) for name in examples()]


def test_more_than_affects_exactly_the_school_that_reached_flagship_on_the_day() -> None:
    changes = list(compare(bundled(), AS_OF, DEFAULT_POLICY, MORE_THAN))
    changed = [c for c in changes if not c.unchanged]
    assert [c.school_id for c in changed] == ["URN-140876"]
    (decision,) = changed[0].decisions
    assert [(f.rule, f.now_passes) for f in decision.flips] == [("FS-4", False)]
    assert decision.text == (
        "URN-140876 AG-2024-01 2024-07-01: granted flagship -> granted_lower "
        "centre_of_excellence (FS-4 now fails: passes from 2024-07-02)"
    )
    summary = summarise(changes)
    assert summary.rules == (("FS-4", 1),)
    assert summary.unchanged == len(changes) - 1


def test_renderers_agree_on_what_changed() -> None:
    changes = list(compare(bundled(), AS_OF, DEFAULT_POLICY, MORE_THAN))
    summary = summarise(changes)
    report = text(changes, summary)
    assert "URN-140876" in report
    assert report.rstrip().endswith(f"{summary.unchanged} schools unchanged of {len(changes)}")
    document = json.loads(json_text(changes, summary))
    assert [s["school_id"] for s in document["schools"]] == ["URN-140876"]
    assert [json.loads(line)["school_id"] for line in jsonl_lines(changes)] == ["URN-140876"]
    rows = list(csv.DictReader(io.StringIO(csv_text(changes))))
    assert {row["school_id"] for row in rows} == {"URN-140876"}
    assert any(row["rules"] == "FS-4" for row in rows)


def test_an_invalid_history_under_one_policy_is_reported() -> None:
    strict = Policy(grace_months=0, renewal_window_months=0)
    changes = list(compare(bundled(), AS_OF, DEFAULT_POLICY, strict))
    assert any("become invalid" in c.kinds for c in changes) or any(
        not c.unchanged for c in changes
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(school_histories(), max_size=3), dates(), policies())
def test_a_policy_compared_with_itself_changes_nothing(
    histories: list[SchoolHistory], as_of: date, policy: Policy
) -> None:
    try:
        changes = list(compare(histories, as_of, policy, policy))
    except ValueError:
        return  # dates past the calendar's end crash replay itself (RULEBOOK §7.11)
    assert all(c.unchanged for c in changes)
    assert summarise(changes).unchanged == len(histories)

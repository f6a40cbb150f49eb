"""Policy lint finds each problem in a file made to have it, and nothing in the default."""

from __future__ import annotations

from datetime import date

import pytest

from iqm_rules.examples import example_text
from iqm_rules.history import event_date
from iqm_rules.interchange import load_history
from iqm_rules.policy_files import default_policy_text
from iqm_rules.policy_lint import lint, lint_history

BASE = {"format": "iqm-rules/policy@1", "id": "base", "effective_from": "2020-01-01"}


def test_the_shipped_default_has_no_problem() -> None:
    assert lint(default_policy_text()) == ()


@pytest.mark.parametrize(
    ("policy", "path", "words"),
    [
        ({"min_voice_kinds": 5}, "min_voice_kinds", ""),
        ({"coe_min_embedded": 9}, "coe_min_embedded", ""),
        (
            {"coe_min_embedded": 1, "coe_required_embedded": ["curriculum", "assessment"]},
            "coe_required_embedded",
            "CE-1 in fact needs 2",
        ),
        ({"renewal_window_months": 12}, "renewal_window_months", "shortest cycle"),
        (
            {"grace_months": 30, "cycle_years": {"flagship": 2, "centre_of_excellence": 2}},
            "grace_months",
            "(24 months)",
        ),
        ({"grace_months": 5000}, "grace_months", ""),
        ({"colour": "red"}, "colour", "not a policy parameter"),
    ],
)
def test_each_problem_is_found_at_its_path(
    policy: dict[str, object], path: str, words: str
) -> None:
    problems = lint({**BASE, **policy})
    assert [p.path for p in problems] == [path]
    assert words in problems[0].message


def test_a_book_reports_every_problem_with_its_path() -> None:
    book = {
        "format": "iqm-rules/policy@1",
        "policies": [
            {"id": "base", "effective_from": "2020-01-01", "grace_months": 4},
            {"id": "base", "effective_from": "2021-01-01", "grace_months": 4},
            {"id": "c", "effective_from": "2020-01-01", "min_voice_kinds": -1},
        ],
    }
    paths = [p.path for p in lint(book)]
    assert paths == [
        "policies[1]",
        "policies[1].id",
        "policies[2].effective_from",
        "policies[2].min_voice_kinds",
    ]


def test_events_before_any_policy_are_found() -> None:
    history = load_history(example_text("flagship-journey"))
    first = min(event_date(e) for e in history.events)
    late = {**BASE, "effective_from": date(first.year + 1, 1, 1).isoformat()}
    problems = lint_history(late, [("h.json: ", history)])
    assert problems
    assert problems[0].path == "h.json: events[0]"
    assert lint_history(BASE, [("", history)]) == ()

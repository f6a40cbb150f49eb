"""Policy lint finds each problem in a file made to have it, and nothing in the default."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iqm_rules.history import event_date
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.office.policy_files import default_policy_text
from iqm_rules.office.policy_lint import lint, lint_history

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


def _book(*changes: dict[str, object]) -> dict[str, object]:
    policies = [
        {"id": f"p{i}", "effective_from": f"{2020 + i}-01-01", **change}
        for i, change in enumerate(changes)
    ]
    return {"format": "iqm-rules/policy@1", "policies": policies}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # a later policy lengthens the grace past an inherited cycle
        (
            [{"cycle_years": {"centre_of_excellence": 2, "flagship": 2}}, {"grace_months": 24}],
            ["policies[1].grace_months: 24 months is not shorter than the shortest cycle"],
        ),
        # a later policy shortens a cycle below an inherited grace
        (
            [{"grace_months": 9, "cycle_years": {"flagship": 2}}, {"cycle_years": {"flagship": 1}}],
            [],
        ),
        (
            [
                {"grace_months": 18, "cycle_years": {"centre_of_excellence": 2, "flagship": 2}},
                {"cycle_years": {"centre_of_excellence": 1}},
                {"grace_months": 4},
            ],
            [
                "policies[1].cycle_years.centre_of_excellence: "
                "12 months is not longer than grace_months (18 months)"
            ],
        ),
        (
            [
                {
                    "renewal_window_months": 20,
                    "cycle_years": {"centre_of_excellence": 3, "flagship": 3},
                },
                {"cycle_years": {"flagship": 1}},
            ],
            ["policies[1].cycle_years.flagship: 12 months is not longer than renewal_window"],
        ),
        # policies that merely inherit the combination are not blamed again
        (
            [{"grace_months": 12}, {"min_voice_kinds": 2}, {"grace_months": 12, "id": "x"}],
            ["policies[0].grace_months: 12 months is not shorter than the shortest cycle"],
        ),
        # lowering coe_min_embedded below an inherited coe_required_embedded
        (
            [{"coe_required_embedded": ["curriculum", "assessment"]}, {"coe_min_embedded": 1}],
            ["policies[1].coe_min_embedded: 1 is below the 2 elements coe_required_embedded"],
        ),
    ],
)
def test_a_combination_is_reported_once_where_it_arises(
    changes: list[dict[str, object]], expected: list[str]
) -> None:
    problems = [str(p) for p in lint(_book(*changes)) if p.path.count(".")]
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


@given(
    grace=st.integers(0, 60),
    first=st.integers(1, 6),
    second=st.integers(1, 6),
    later_grace=st.booleans(),
)
def test_a_grace_too_long_for_a_cycle_is_blamed_on_a_policy_that_set_it(
    grace: int, first: int, second: int, later_grace: bool
) -> None:
    """A grace not shorter than a cycle in force is reported, and only by a policy that set the
    grace or shortened that cycle; a grace shorter than every cycle throughout is never reported."""
    changes: list[dict[str, object]] = [
        {
            "cycle_years": dict.fromkeys(
                ("inclusive_school", "centre_of_excellence", "flagship"), first
            )
        },
        {"cycle_years": {"flagship": second}},
    ]
    changes[1 if later_grace else 0]["grace_months"] = grace
    graces = (3 if later_grace else grace, grace)
    shortest = (12 * first, 12 * min(first, second))
    blamed = [p for p in lint(_book(*changes)) if "grace" in str(p)]
    if all(g < s for g, s in zip(graces, shortest, strict=True)):
        assert blamed == []
    else:
        assert blamed
    for problem in blamed:
        index = int(problem.path[len("policies[")])
        if problem.path.endswith("grace_months"):
            assert index == (1 if later_grace else 0)
        else:
            assert problem.path == "policies[1].cycle_years.flagship"
            assert second != first
            assert 12 * second <= grace

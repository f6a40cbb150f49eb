"""Next steps: each held award's renewal, from the replayed clocks (LC-2, LC-4, LC-5)."""

from __future__ import annotations

from datetime import date

from iqm_rules.awards import Award
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.lifecycle.next_steps import NextStep, Renewal, long_date, next_steps
from iqm_rules.lifecycle.replay import AwardState, replay


def steps(name: str, on: date) -> dict[Award, NextStep]:
    return {step.award: step for step in next_steps(replay(load_history(example_text(name))), on)}


def test_every_held_award_has_one_step_with_its_clock() -> None:
    on = date(2026, 3, 1)
    replayed = replay(load_history(example_text("flagship-journey")))
    report = replayed.status(on)
    found = next_steps(replayed, on)
    assert [s.award for s in found] == [a.award for a in report.awards if a.state.is_held]
    for step in found:
        held = report.award(step.award)
        assert (step.state, step.due) == (held.state, held.due)
        assert step.window_opens <= step.due < step.lapses_on
        assert held.lapses_on is not None
        assert step.lapses_on <= held.lapses_on


def test_centre_of_excellence_takes_flagship_with_it() -> None:
    found = steps("flagship-journey", date(2026, 3, 1))
    coe = found[Award.CENTRE_OF_EXCELLENCE]
    assert coe.also_ends == (Award.FLAGSHIP,)
    assert coe.what is Renewal.ANNUAL_REVIEW
    assert coe.describe(date(2026, 3, 1)) == (
        "Centre of Excellence: annual review due by 1 July 2026; the renewal window opened on "
        "1 January 2026; without it the award lapses on 1 October 2026, and Flagship School "
        "with it"
    )
    assert found[Award.FLAGSHIP].also_ends == ()


def test_an_overdue_award_says_it_was_due() -> None:
    found = steps("flagship-journey", date(2026, 8, 1))
    coe = found[Award.CENTRE_OF_EXCELLENCE]
    assert coe.state is AwardState.OVERDUE
    assert "annual review was due by 1 July 2026" in coe.describe(date(2026, 8, 1))


def test_nothing_held_no_steps_and_inclusive_school_is_reassessed() -> None:
    assert steps("first-award", date(2000, 1, 1)) == {}
    assert Renewal.of(Award.INCLUSIVE_SCHOOL) is Renewal.REASSESSMENT
    assert long_date(date(2026, 7, 1)) == "1 July 2026"

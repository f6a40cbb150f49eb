"""Auditing recorded outcomes against the rules: :func:`iqm_rules.auditing.audit.audit`."""

from __future__ import annotations

from datetime import date

import pytest
from attrs import evolve
from hypothesis import given

from iqm_rules.assessment import Assessment, RecordedOutcome
from iqm_rules.auditing.audit import AuditResult, Disagreement, audit, compare
from iqm_rules.awards import Award
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.replay import status
from iqm_rules.policy import FlagshipBoundary, Policy
from iqm_rules.testing import school_histories
from strategies import FEW, agreeing, disagreeing, example, last_date, recording


@FEW
@given(school_histories(max_events=4))
def test_agreeing_recorded_outcomes_give_no_disagreement(history: SchoolHistory) -> None:
    assert audit(agreeing(history)).disagreements == ()


@FEW
@given(disagreeing())
def test_each_wrong_recorded_outcome_is_one_disagreement(
    case: tuple[SchoolHistory, frozenset[str]],
) -> None:
    history, wrong = case
    found = audit(history).disagreements
    assert {d.assessment_id for d in found} == wrong
    decisions = {d.assessment_id: d for d in status(history, last_date(history)).decisions}
    for item in found:
        event = history.events[item.event_index]
        assert isinstance(event, Assessment)
        assert event.id == item.assessment_id
        assert event.held_on == item.held_on
        assert event.recorded_outcome is not None
        assert item.recorded == event.recorded_outcome.awarded_level != item.decided
        assert item.decided == decisions[item.assessment_id].awarded_level
        assert item.failing == decisions[item.assessment_id].failing
    keys = [(d.held_on, d.event_index) for d in found]
    assert keys == sorted(keys), "application order: date, then input order (§7.8)"


@FEW
@given(school_histories(max_events=4))
def test_assessments_without_recorded_outcome_are_not_compared(history: SchoolHistory) -> None:
    bare = evolve(
        history,
        events=[
            evolve(e, recorded_outcome=None) if isinstance(e, Assessment) else e
            for e in history.events
        ],
    )
    assert audit(bare).disagreements == ()


def test_FS_4_boundary_is_audited_under_the_chosen_policy() -> None:
    """flagship-journey records a flagship granted on the day FS-4 first passes (at_least)."""
    history = example("flagship-journey")
    assert audit(history).disagreements == ()
    found = audit(history, Policy(flagship_boundary=FlagshipBoundary.MORE_THAN)).disagreements
    assert [d.assessment_id for d in found][:1] == ["AG-2024-01"]
    first = found[0]
    assert (first.recorded, first.decided) == (Award.FLAGSHIP, Award.CENTRE_OF_EXCELLENCE)
    assert [f.rule for f in first.failing] == ["FS-4"]
    assert "AG-2024-01 2024-07-01: recorded flagship, the rules award centre_of_excellence" in (
        first.describe()
    )
    assert first.describe().endswith("(failing: FS-4)")


def test_disagreements_compare_only_the_decisions_given() -> None:
    history = example("first-award")
    first = next(e for e in history.events if isinstance(e, Assessment))
    wrong = recording(history, {first.id: Award.FLAGSHIP})
    decisions = status(wrong, last_date(wrong)).decisions
    assert [d.assessment_id for d in compare(wrong, decisions).disagreements] == [first.id]
    others = [d for d in decisions if d.assessment_id != first.id]
    assert compare(wrong, others).disagreements == ()


def test_describe_says_nothing_when_nothing_awarded() -> None:
    item = Disagreement(0, "A1", date(2024, 3, 10), None, Award.INCLUSIVE_SCHOOL, ())
    assert item.describe() == (
        "events[0] A1 2024-03-10: recorded nothing, the rules award inclusive_school"
    )


def test_disagreement_is_frozen() -> None:
    item = Disagreement(0, "A1", date(2024, 3, 10), RecordedOutcome().awarded_level, None, [])
    assert item.failing == ()
    with pytest.raises(AttributeError):
        item.recorded = Award.FLAGSHIP  # type: ignore[misc]


@FEW
@given(disagreeing())
def test_audit_counts_every_recorded_outcome_it_compared(
    case: tuple[SchoolHistory, frozenset[str]],
) -> None:
    history, wrong = case
    result = audit(history)
    recorded = [
        e for e in history.events if isinstance(e, Assessment) and e.recorded_outcome is not None
    ]
    assert result.compared == len(recorded)
    assert result.disagreeing == len(wrong)
    assert result.agreeing == len(recorded) - len(wrong)


def test_compare_counts_only_the_decisions_given() -> None:
    history = example("flagship-journey")
    decisions = status(history, last_date(history)).decisions
    assert compare(history, decisions).compared == len(decisions)
    assert compare(history, decisions[:2]) == AuditResult(2, ())
    assert compare(history, ()) == AuditResult(0, ())


def test_an_audit_result_cannot_disagree_more_often_than_it_compared() -> None:
    item = Disagreement(0, "A1", date(2024, 3, 10), None, Award.INCLUSIVE_SCHOOL, ())
    with pytest.raises(ValueError, match="1 disagreements among 0 compared"):
        AuditResult(0, [item])
    with pytest.raises(ValueError, match="must be >= 0"):
        AuditResult(-1, ())

"""What ``iqm_rules.testing`` promises: valid records, and data that means what it says."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from iqm_rules.assessment import Assessment, AssessmentKind, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import decide
from iqm_rules.decisions.facts import Prior, RuleInput, recent_evidence
from iqm_rules.decisions.rules import rule
from iqm_rules.evidence import EvidenceItem
from iqm_rules.history import SchoolHistory, Withdrawal, event_date
from iqm_rules.lifecycle.replay import StatusReport, replay
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.testing import (
    assessments,
    complete_evidence,
    dates,
    judgement_maps,
    policy_books,
    priors,
    school_histories,
    status_reports,
)
from strategies import FEW


def evidence_rules(held_on: date, evidence: tuple[EvidenceItem, ...]) -> list[bool]:
    """EV-1, EV-2 and EV-3 on ``evidence`` under the default policy; all of it must be recent."""
    recent, ignored = recent_evidence(evidence, held_on, DEFAULT_POLICY)
    assert ignored == ()
    facts = RuleInput(held_on, recent, frozenset(), 0, Prior(), DEFAULT_POLICY, {})
    return [rule(id).check(facts).passed for id in ("EV-1", "EV-2", "EV-3")]


@given(st.data(), dates(date(2002, 1, 1)), st.integers(2, 3))
def test_complete_evidence_meets_EV_1_to_EV_3_and_is_all_recent(
    data: st.DataObject, held_on: date, per_element: int
) -> None:
    evidence = data.draw(complete_evidence(held_on, per_element=per_element))
    assert len({item.id for item in evidence}) == len(evidence)
    assert evidence_rules(held_on, evidence) == [True, True, True]


@given(assessments(sparse_evidence=True, low_judgements=True, kind=AssessmentKind.FULL))
def test_low_judgements_never_meet_IS_1_so_nothing_is_awarded(a: Assessment) -> None:
    assert all(judgement <= Judgement.DEVELOPING for judgement in a.judgements.values())
    assert decide(a).awarded_level is None


@given(judgement_maps(Judgement.ESTABLISHED, Judgement.EMBEDDED))
def test_judgement_maps_stay_between_their_bounds(judgements: dict[object, Judgement]) -> None:
    assert all(Judgement.ESTABLISHED <= j <= Judgement.EMBEDDED for j in judgements.values())


@given(assessments(level_sought=Award.CENTRE_OF_EXCELLENCE, held_on=date(2024, 3, 10)))
def test_assessments_honour_what_is_pinned(a: Assessment) -> None:
    assert a.level_sought is Award.CENTRE_OF_EXCELLENCE
    assert a.held_on == date(2024, 3, 10)


@FEW
@given(school_histories())
def test_school_histories_replay_without_error_and_in_date_order(history: SchoolHistory) -> None:
    days = [event_date(event) for event in history.events]
    assert days == sorted(days)
    assert all(isinstance(e, Withdrawal) or e.kind is AssessmentKind.FULL for e in history.events)
    replay(history)


@given(priors())
def test_priors_are_ladder_consistent(prior: Prior) -> None:
    ranks = sorted(award.rank for award in prior.held)
    assert ranks == list(range(len(ranks)))
    assert (prior.coe_since is not None) is (Award.CENTRE_OF_EXCELLENCE in prior.held)


@given(policy_books())
def test_policy_books_have_distinct_ids_and_dates(book: PolicyBook) -> None:
    policies: tuple[Policy, ...] = book.policies
    assert len({p.id for p in policies}) == len({p.effective_from for p in policies})
    assert len({p.id for p in policies}) == len(policies)


@given(status_reports())
def test_status_reports_hold_one_status_per_award_in_order(report: StatusReport) -> None:
    assert [status.award for status in report.awards] == list(Award)

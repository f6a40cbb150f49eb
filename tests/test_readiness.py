"""Readiness before an assessment: the rules that need no judgement, per rule and per level."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

from builders import HELD_ON, good_evidence, holding_coe, item
from iqm_rules.assessment import Assessment, Commitment
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import decide
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.readiness import ReadinessState, readiness
from iqm_rules.decisions.rules import CE_COMMITMENTS, FS_COMMITMENTS, rules
from iqm_rules.decisions.shortfalls import Missing, Shortfall
from iqm_rules.errors import InvalidRecord
from iqm_rules.policy import Policy, PolicyBook
from strategies import cases

MET, NOT_MET, NEEDS_JUDGEMENT = (
    ReadinessState.MET,
    ReadinessState.NOT_MET,
    ReadinessState.NEEDS_JUDGEMENT,
)
JUDGEMENT_RULES = ("IS-1", "CE-1", "FS-1")
EVERYTHING = CE_COMMITMENTS | FS_COMMITMENTS
Case = tuple[Assessment, Prior, Policy]


def test_readiness_all_decided_rules_met_leaves_every_level_awaiting_judgement() -> None:
    ready = readiness(
        good_evidence(), EVERYTHING, HELD_ON, holding_coe(date(2020, 1, 1)), Policy(), 2
    )
    assert [f.rule for f in ready.findings] == [r.id for r in rules()]
    for finding in ready.findings:
        expected = NEEDS_JUDGEMENT if finding.rule in JUDGEMENT_RULES else MET
        assert finding.state is expected, finding
    assert [(lv.level, lv.state) for lv in ready.levels] == [
        (Award.INCLUSIVE_SCHOOL, NEEDS_JUDGEMENT),
        (Award.CENTRE_OF_EXCELLENCE, NEEDS_JUDGEMENT),
        (Award.FLAGSHIP, NEEDS_JUDGEMENT),
    ]
    assert ready.level(Award.CENTRE_OF_EXCELLENCE).awaiting_judgement == ("IS-1", "CE-1")
    assert ready.level(Award.FLAGSHIP).shortfalls == ()
    assert ready.policy_id == "iqm-2025.1"
    assert ready.held_on == HELD_ON


def test_readiness_judgement_rules_quote_their_rulebook_row() -> None:
    ready = readiness((), (), HELD_ON)
    assert ready.finding("IS-1").message == (
        "needs the assessors' judgement: every element is judged `established` or `embedded`"
    )
    assert ready.finding("CE-1").missing is None


def test_readiness_a_missing_commitment_makes_its_level_and_those_above_not_met() -> None:
    ready = readiness(
        good_evidence(),
        EVERYTHING - {Commitment.ANNUAL_UPDATE},
        HELD_ON,
        holding_coe(date(2020, 1, 1)),
        cluster_meetings_attended=2,
    )
    assert ready.finding("CE-2").state is NOT_MET
    assert ready.level(Award.INCLUSIVE_SCHOOL).state is NEEDS_JUDGEMENT
    assert ready.level(Award.CENTRE_OF_EXCELLENCE).state is NOT_MET
    assert ready.level(Award.FLAGSHIP).state is NOT_MET
    expected = Shortfall(
        "CE-2",
        Award.CENTRE_OF_EXCELLENCE,
        "make the commitments: annual_update",
        Missing(commitments=(Commitment.ANNUAL_UPDATE,)),
    )
    assert ready.level(Award.CENTRE_OF_EXCELLENCE).shortfalls == (expected,)
    assert ready.level(Award.FLAGSHIP).shortfalls == (expected,)


def test_readiness_FS_4_reports_the_date_it_passes_from() -> None:
    ready = readiness(good_evidence(), EVERYTHING, HELD_ON, holding_coe(date(2022, 1, 1)))
    assert ready.finding("FS-4").state is NOT_MET
    assert ready.finding("FS-3").state is NOT_MET
    actions = [s.action for s in ready.level(Award.FLAGSHIP).shortfalls]
    assert actions == ["attend 2 more cluster meetings", "wait: FS-4 passes from 2025-01-01"]


def test_readiness_ignores_stale_evidence_like_decide() -> None:
    stale = item("stale", collected_on=date(2022, 9, 9))
    ready = readiness((*good_evidence(), stale), (), HELD_ON)
    assert ready.ignored_evidence == ("stale",)
    assert ready.finding("EV-1").state is MET


def test_readiness_uses_the_policy_in_force_on_held_on() -> None:
    book = PolicyBook(
        [Policy(id="old"), Policy(id="new", effective_from=HELD_ON, min_voice_kinds=4)]
    )
    ready = readiness(good_evidence(), (), HELD_ON, policy=book)
    assert ready.policy_id == "new"
    assert ready.finding("EV-3").state is NOT_MET


def test_readiness_evidence_collected_after_held_on_is_invalid() -> None:
    late = item("late", collected_on=date(2024, 3, 11))
    with pytest.raises(InvalidRecord) as raised:
        readiness((*good_evidence(), late), (), HELD_ON)
    assert raised.value.path == "evidence[16].collected_on"
    assert str(raised.value).endswith("2024-03-11 is after held_on 2024-03-10")


def test_readiness_repeated_evidence_ids_and_negative_meetings_are_invalid() -> None:
    with pytest.raises(InvalidRecord) as repeated:
        readiness((item("E1"), item("E1")), (), HELD_ON)
    assert repeated.value.path == "evidence[1].id"
    with pytest.raises(InvalidRecord) as negative:
        readiness((), (), HELD_ON, cluster_meetings_attended=-1)
    assert negative.value.path == "cluster_meetings_attended"


def test_readiness_unknown_rule_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        readiness((), (), HELD_ON).finding("XX-1")


def test_readiness_state_order_is_worst_first() -> None:
    assert NOT_MET < NEEDS_JUDGEMENT < MET
    assert min(MET, NEEDS_JUDGEMENT) is NEEDS_JUDGEMENT


@given(case=cases())
def test_readiness_agrees_with_decide_on_every_rule_that_needs_no_judgement(case: Case) -> None:
    a, prior, policy = case
    ready = readiness(
        a.evidence, a.commitments, a.held_on, prior, policy, a.cluster_meetings_attended
    )
    decision = decide(a, prior, policy)
    assert ready.ignored_evidence == decision.ignored_evidence
    for finding in decision.findings:
        before = ready.finding(finding.rule)
        if finding.rule in JUDGEMENT_RULES:
            assert before.state is NEEDS_JUDGEMENT
        else:
            assert before.state is (MET if finding.passed else NOT_MET)
            assert (before.message, before.missing) == (finding.message, finding.missing)


@given(case=cases())
def test_readiness_level_is_not_met_exactly_when_a_decided_rule_up_to_it_fails(case: Case) -> None:
    a, prior, policy = case
    ready = readiness(
        a.evidence, a.commitments, a.held_on, prior, policy, a.cluster_meetings_attended
    )
    for level in ready.levels:
        ladder = [f for f in ready.findings if f.level <= level.level]
        failing = [f for f in ladder if f.state is NOT_MET]
        assert (level.state is NOT_MET) is bool(failing)
        assert [s.rule for s in level.shortfalls] == [f.rule for f in failing]
        if not failing:
            assert level.state is NEEDS_JUDGEMENT
        assert level.awaiting_judgement == tuple(
            f.rule for f in ladder if f.state is NEEDS_JUDGEMENT
        )

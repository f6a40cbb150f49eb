"""``decide`` on one assessment: the worked examples of RULEBOOK §5, validation, shortfalls."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import (
    FOUR_EMBEDDED,
    assessment,
    flagship_ready,
    good_evidence,
    holding_coe,
    item,
    judged,
)
from iqm_rules._dates import add_years
from iqm_rules.assessment import Assessment, AssessmentKind, Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding, Outcome, decide
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.rules import CE_COMMITMENTS
from iqm_rules.decisions.shortfalls import Missing, Shortfall
from iqm_rules.errors import InvalidPolicy, InvalidRecord
from iqm_rules.policy import FlagshipBoundary, Policy, PolicyBook
from iqm_rules.principles import Element
from strategies import cases, fix

MORE_THAN = Policy(flagship_boundary=FlagshipBoundary.MORE_THAN)
EXAMPLE_1_JUDGEMENTS = FOUR_EMBEDDED


# --- Worked examples (RULEBOOK §5) ---------------------------------------------------------------


def test_worked_example_1_centre_of_excellence_granted() -> None:
    decision = decide(
        assessment(
            level_sought=Award.CENTRE_OF_EXCELLENCE,
            judgements=EXAMPLE_1_JUDGEMENTS,
            commitments=CE_COMMITMENTS,
        )
    )
    assert decision.outcome is Outcome.GRANTED
    assert decision.awarded_level is Award.CENTRE_OF_EXCELLENCE
    assert [f.rule for f in decision.findings] == [
        "EV-1",
        "EV-2",
        "EV-3",
        "IS-1",
        "CE-1",
        "CE-2",
    ]
    assert decision.failing == ()
    assert decision.shortfalls() == ()


def test_worked_example_1_inclusion_values_established_gives_inclusive_school() -> None:
    judgements = EXAMPLE_1_JUDGEMENTS | {Element.INCLUSION_VALUES: Judgement.ESTABLISHED}
    decision = decide(
        assessment(
            level_sought=Award.CENTRE_OF_EXCELLENCE,
            judgements=judgements,
            commitments=CE_COMMITMENTS,
        )
    )
    assert decision.outcome is Outcome.GRANTED_LOWER
    assert decision.awarded_level is Award.INCLUSIVE_SCHOOL
    assert [f.rule for f in decision.failing] == ["CE-1"]
    assert decision.finding("CE-1").message.startswith(
        "not embedded: inclusion_values (required); 3 elements embedded, 4 needed"
    )
    assert decision.shortfalls() == (
        Shortfall(
            "CE-1",
            Award.CENTRE_OF_EXCELLENCE,
            "raise to embedded: inclusion_values",
            Missing(raise_to=((Element.INCLUSION_VALUES, Judgement.EMBEDDED),)),
        ),
    )


def test_worked_example_2_evidence_window_opens_2022_09_10() -> None:
    evidence = (
        *good_evidence(),
        item("day-before", collected_on=date(2022, 9, 9)),
        item("first-day", collected_on=date(2022, 9, 10)),
    )
    decision = decide(assessment(evidence=evidence))
    assert decision.ignored_evidence == ("day-before",)
    assert decision.outcome is Outcome.GRANTED


def test_worked_example_2_the_first_day_counts_towards_EV_1() -> None:
    only_assessment = [i for i in good_evidence() if i.element is not Element.ASSESSMENT]
    stale = item("stale", collected_on=date(2022, 9, 9))
    on_time = item("on-time", collected_on=date(2022, 9, 10))
    base = (*only_assessment, item("recent"))
    assert not decide(assessment(evidence=(*base, stale))).finding("EV-1").passed
    assert decide(assessment(evidence=(*base, on_time))).finding("EV-1").passed


def test_worked_example_3_flagship_review_on_the_third_anniversary() -> None:
    review = flagship_ready(held_on=date(2024, 7, 1), kind=AssessmentKind.REVIEW)
    prior = holding_coe(date(2021, 7, 1))
    at_least = decide(review, prior)
    assert at_least.outcome is Outcome.GRANTED
    assert at_least.awarded_level is Award.FLAGSHIP
    more_than = decide(review, prior, MORE_THAN)
    assert more_than.outcome is Outcome.GRANTED_LOWER
    assert more_than.awarded_level is Award.CENTRE_OF_EXCELLENCE
    assert [f.rule for f in more_than.failing] == ["FS-4"]
    assert more_than.shortfalls()[0].action == "wait: FS-4 passes from 2024-07-02"
    next_day = decide(attrs.evolve(review, held_on=date(2024, 7, 2)), prior, MORE_THAN)
    assert next_day.outcome is Outcome.GRANTED


def test_worked_example_5_decisions() -> None:
    first = assessment(
        held_on=date(2020, 2, 29),
        level_sought=Award.CENTRE_OF_EXCELLENCE,
        judgements=EXAMPLE_1_JUDGEMENTS,
        commitments=CE_COMMITMENTS,
        evidence=good_evidence(date(2020, 1, 10)),
    )
    assert decide(first).awarded_level is Award.CENTRE_OF_EXCELLENCE
    review = assessment(
        id="A2",
        held_on=date(2021, 2, 28),
        kind=AssessmentKind.REVIEW,
        level_sought=Award.CENTRE_OF_EXCELLENCE,
        evidence=good_evidence(date(2021, 1, 10)),
    )
    decision = decide(review, holding_coe(date(2020, 2, 29)))
    assert decision.outcome is Outcome.GRANTED_LOWER
    assert decision.awarded_level is Award.INCLUSIVE_SCHOOL
    assert [f.rule for f in decision.failing] == ["CE-1", "CE-2"]


# --- Validation (§3, §7.1) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prior", "held"),
    [(Prior(), "nothing"), (Prior(held={Award.INCLUSIVE_SCHOOL}), "inclusive_school")],
    ids=["nothing-held", "inclusive-school-only"],
)
def test_clarification_7_1_review_without_centre_of_excellence_is_invalid(
    prior: Prior, held: str
) -> None:
    review = flagship_ready(kind=AssessmentKind.REVIEW)
    with pytest.raises(InvalidRecord) as raised:
        decide(review, prior)
    assert raised.value.path == "kind"
    assert raised.value.problem == (
        "a review needs centre_of_excellence or flagship held just before held_on 2024-03-10 "
        f"(§7.1); held: {held}"
    )


def test_clarification_7_1_review_of_a_holder_is_decided() -> None:
    review = flagship_ready(kind=AssessmentKind.REVIEW)
    assert decide(review, holding_coe(date(2020, 1, 1), flagship=True)).outcome is Outcome.GRANTED


def test_validation_comes_before_the_policy_is_looked_up() -> None:
    book = PolicyBook([Policy(id="late", effective_from=date(2030, 1, 1))])
    with pytest.raises(InvalidRecord) as raised:
        decide(flagship_ready(kind=AssessmentKind.REVIEW), Prior(), book)
    assert raised.value.path == "kind"
    with pytest.raises(InvalidPolicy):
        decide(assessment(), Prior(), book)


# --- Policy in force (LC-8, §7.8) ----------------------------------------------------------------


def test_LC_8_decide_uses_the_policy_in_force_on_held_on() -> None:
    strict = Policy(id="strict", effective_from=date(2024, 3, 10), min_items_per_element=3)
    book = PolicyBook([Policy(id="old"), strict])
    on_the_day = decide(assessment(), Prior(), book)
    assert on_the_day.policy_id == "strict"
    assert on_the_day.outcome is Outcome.REFUSED
    day_before = decide(assessment(held_on=date(2024, 3, 9)), Prior(), book)
    assert day_before.policy_id == "old"
    assert day_before.outcome is Outcome.GRANTED


def test_clarification_7_8_decide_reads_the_school_only_through_prior() -> None:
    """What happened before the assessment (even the same day) reaches decide only via prior."""
    review = flagship_ready(kind=AssessmentKind.REVIEW, held_on=date(2024, 7, 1))
    same_day_grant = holding_coe(date(2024, 7, 1))
    decision = decide(review, same_day_grant)
    assert decision.awarded_level is Award.CENTRE_OF_EXCELLENCE
    assert decision.finding("FS-4").missing == Missing(passes_from=date(2027, 7, 1))
    assert decide(review, holding_coe(date(2021, 7, 1))).awarded_level is Award.FLAGSHIP


# --- The ladder and the findings -----------------------------------------------------------------


def test_ladder_a_failing_inclusive_school_rule_refuses_even_if_higher_rules_pass() -> None:
    low = flagship_ready(judgements=judged(Judgement.EMBEDDED, curriculum=Judgement.DEVELOPING))
    decision = decide(low, holding_coe(date(2010, 1, 1)))
    assert decision.outcome is Outcome.REFUSED
    assert decision.awarded_level is None
    assert decision.finding("CE-1").passed
    assert decision.finding("FS-4").passed
    assert [f.rule for f in decision.failing] == ["IS-1", "FS-1"]


def test_ladder_flagship_rules_are_evaluated_when_centre_of_excellence_fails() -> None:
    decision = decide(flagship_ready(commitments=frozenset()))
    assert decision.awarded_level is Award.INCLUSIVE_SCHOOL
    assert [f.rule for f in decision.failing] == ["CE-2", "FS-2", "FS-4"]
    assert len(decision.findings) == 10


def test_decision_carries_ids_dates_and_policy() -> None:
    decision = decide(assessment(id="A7"), Prior(), Policy(id="p-1"))
    assert (decision.assessment_id, decision.held_on, decision.policy_id) == (
        "A7",
        date(2024, 3, 10),
        "p-1",
    )
    assert decision.level_sought is Award.INCLUSIVE_SCHOOL


# --- Shortfalls (gap analysis) -------------------------------------------------------------------


def test_shortfalls_list_every_failing_rule_with_an_action_line() -> None:
    decision = decide(
        assessment(
            level_sought=Award.CENTRE_OF_EXCELLENCE,
            evidence=good_evidence()[1:],
            commitments=CE_COMMITMENTS - {Commitment.ANNUAL_UPDATE},
        )
    )
    assert [(s.rule, s.action) for s in decision.shortfalls()] == [
        ("EV-1", "collect 1 more recent evidence item for inclusion_values"),
        (
            "CE-1",
            "raise to embedded: inclusion_values; raise 3 more elements to embedded (from: "
            "leadership_management_accountability, curriculum, teaching_and_learning, assessment, "
            "behaviour_attitudes_personal_development, parents_carers_guardians, community_links)",
        ),
        ("CE-2", "make the commitments: annual_update"),
    ]


def test_shortfalls_of_a_finding_without_data_use_its_message() -> None:
    decision = Decision(
        assessment_id="A1",
        held_on=date(2024, 3, 10),
        level_sought=Award.INCLUSIVE_SCHOOL,
        awarded_level=None,
        outcome=Outcome.REFUSED,
        policy_id="iqm-2025.1",
        findings=[Finding("EV-3", Award.INCLUSIVE_SCHOOL, False, "voices: none")],
        ignored_evidence=[],
    )
    assert decision.shortfalls() == (
        Shortfall("EV-3", Award.INCLUSIVE_SCHOOL, "meet EV-3: voices: none"),
    )


@given(case=cases())
def test_shortfalls_fixed_exactly_grant_the_level_sought(
    case: tuple[Assessment, Prior, Policy],
) -> None:
    """Adding what the shortfalls name (evidence, judgements, commitments, meetings) is enough.

    The prior holds centre_of_excellence long enough for FS-4, which no addition can change.
    """
    a, _, policy = case
    long_ago = add_years(a.held_on, -(policy.flagship_min_coe_years + 1))
    prior = holding_coe(long_ago)
    decision = decide(a, prior, policy)
    fixed = a
    for shortfall in decision.shortfalls():
        assert shortfall.missing is not None
        fixed = fix(fixed, shortfall.missing)
    again = decide(fixed, prior, policy)
    assert again.outcome is Outcome.GRANTED, again.failing


@given(case=cases())
def test_shortfalls_are_minimal_one_unit_less_still_fails(
    case: tuple[Assessment, Prior, Policy],
) -> None:
    """No shortfall overstates: one item, voice, meeting, judgement or commitment less fails."""
    a, prior, policy = case
    decision = decide(a, prior, policy)
    for finding in decision.failing:
        missing = finding.missing
        assert missing is not None
        for fewer in _one_unit_less(missing):
            partly = decide(fix(a, fewer), prior, policy)
            assert not partly.finding(finding.rule).passed, (finding.rule, fewer)


def _one_unit_less(missing: Missing) -> list[Missing]:
    lowered: list[Missing] = []
    for index, (element, count) in enumerate(missing.items_for_element):
        less = list(missing.items_for_element)
        less[index] = (element, count - 1)
        lowered.append(attrs.evolve(missing, items_for_element=tuple(less)))
    for index, (principle, count) in enumerate(missing.items_for_principle):
        less_p = list(missing.items_for_principle)
        less_p[index] = (principle, count - 1)
        lowered.append(attrs.evolve(missing, items_for_principle=tuple(less_p)))
    if missing.voice_kinds:
        lowered.append(attrs.evolve(missing, voice_kinds=missing.voice_kinds - 1))
    if missing.cluster_meetings:
        lowered.append(attrs.evolve(missing, cluster_meetings=missing.cluster_meetings - 1))
    if missing.embedded_more:
        lowered.append(attrs.evolve(missing, embedded_more=missing.embedded_more - 1))
    for index in range(len(missing.raise_to)):
        raise_to = missing.raise_to[:index] + missing.raise_to[index + 1 :]
        lowered.append(attrs.evolve(missing, raise_to=raise_to))
    for index in range(len(missing.commitments)):
        made = missing.commitments[:index] + missing.commitments[index + 1 :]
        lowered.append(attrs.evolve(missing, commitments=made))
    return lowered


@given(
    since=st.dates(date(2021, 3, 11), date(2024, 3, 10)),
    boundary=st.sampled_from(FlagshipBoundary),
)
def test_FS_4_shortfall_names_the_first_date_it_passes(
    since: date, boundary: FlagshipBoundary
) -> None:
    policy = Policy(flagship_boundary=boundary)
    a = flagship_ready()
    decision = decide(a, holding_coe(since), policy)
    (shortfall,) = decision.shortfalls()
    assert shortfall.rule == "FS-4"
    assert shortfall.missing is not None
    first = shortfall.missing.passes_from
    assert first is not None
    on_it = decide(
        attrs.evolve(a, held_on=first, evidence=good_evidence(first)), holding_coe(since), policy
    )
    assert on_it.outcome is Outcome.GRANTED
    day_before = first - timedelta(days=1)
    early = attrs.evolve(a, held_on=day_before, evidence=good_evidence(day_before))
    assert not decide(early, holding_coe(since), policy).finding("FS-4").passed


def test_decision_finding_of_a_rule_above_the_level_sought_is_a_key_error() -> None:
    decision = decide(assessment())
    assert decision.finding("IS-1").passed
    with pytest.raises(KeyError) as raised:
        decision.finding("CE-1")
    assert raised.value.args == ("CE-1",)


def test_finding_equality_ignores_the_derived_missing_data() -> None:
    """A decision read back from JSON (which has no ``missing``) equals the one decide made."""
    decision = decide(assessment(evidence=()))
    bare = attrs.evolve(
        decision,
        findings=[attrs.evolve(f, missing=None) for f in decision.findings],
    )
    assert bare == decision
    assert decision.shortfalls()[0].missing is not None
    assert bare.shortfalls()[0].missing is None

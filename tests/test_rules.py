"""The rules registry and each rule of RULEBOOK §3 on its own: pass, fail and exact boundary."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import FOUR_EMBEDDED, HELD_ON, good_evidence, holding_coe, item, judged
from iqm_rules._dates import DateOutOfRange, add_months, add_years
from iqm_rules.assessment import Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.facts import Prior, RuleInput, is_recent, recent_evidence
from iqm_rules.decisions.registry import Rule, Verdict, registered
from iqm_rules.decisions.rules import (
    CE_COMMITMENTS,
    FS_COMMITMENTS,
    flagship_eligible_from,
    rule,
    rules,
)
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.evidence import EvidenceKind
from iqm_rules.lifecycle.parameters import PARAMETERS, used_by
from iqm_rules.lifecycle.rules import LifecycleRule, lifecycle_rules
from iqm_rules.policy import FlagshipBoundary, Policy
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import dates
from strategies import facts

rules_module = importlib.import_module("iqm_rules.decisions.rules")
"""The module of the ten rules (imported by name: :func:`rules` is the function)."""

IDS = ("EV-1", "EV-2", "EV-3", "IS-1", "CE-1", "CE-2", "FS-1", "FS-2", "FS-3", "FS-4")
MORE_THAN = Policy(flagship_boundary=FlagshipBoundary.MORE_THAN)


# --- The registry ------------------------------------------------------------------------------


def test_registry_lists_the_ten_rules_in_rulebook_order() -> None:
    assert tuple(r.id for r in rules()) == IDS
    levels = [r.level for r in rules()]
    assert levels == sorted(levels)


def test_registry_finds_each_rule_by_id() -> None:
    for entry in rules():
        assert rule(entry.id) is entry


def test_registry_unknown_id_is_a_key_error_naming_the_known_ids() -> None:
    with pytest.raises(KeyError, match=r"no rule 'CE-3'; the rules are EV-1, .*FS-4"):
        rule("CE-3")


def test_registry_parameters_match_policy_parameters_used_by() -> None:
    for name, parameter in PARAMETERS.items():
        readers = {r.id for r in rules() if name in r.parameters}
        assert readers == {i for i in parameter.used_by if i in IDS}, name
    for entry in rules():
        assert set(entry.parameters) <= set(PARAMETERS)


def test_registry_marks_the_judgement_rules() -> None:
    assert {r.id for r in rules() if r.needs_judgement} == {"IS-1", "CE-1", "FS-1"}


def test_registry_text_quotes_the_rulebook_row() -> None:
    assert rule("EV-1").text == "every element has ≥ `min_items_per_element` recent items"
    assert rule("FS-4").text.startswith("the school has held Centre of Excellence or Flagship")
    assert rule("FS-4").text.endswith("or `<` (`more_than`)")
    for entry in rules():
        assert entry.title
        assert "\n" not in entry.title
        assert entry.source.startswith("RULEBOOK §3")


def test_registry_rule_is_callable_with_its_input() -> None:
    assert rule("EV-1")(facts()) == rule("EV-1").check(facts())


# --- Recency (§3, §7.7) --------------------------------------------------------------------------


def test_recency_window_of_worked_example_2() -> None:
    assert not is_recent(item("E", collected_on=date(2022, 9, 9)), HELD_ON, Policy())
    assert is_recent(item("E", collected_on=date(2022, 9, 10)), HELD_ON, Policy())
    assert is_recent(item("E", collected_on=HELD_ON), HELD_ON, Policy())


def test_recent_evidence_keeps_input_order_and_lists_the_others() -> None:
    evidence = (
        item("old", collected_on=date(2020, 1, 1)),
        item("new"),
        item("older", collected_on=date(2019, 1, 1)),
    )
    recent, ignored = recent_evidence(evidence, HELD_ON, Policy())
    assert [i.id for i in recent] == ["new"]
    assert ignored == ("old", "older")


@given(held_on=dates(), window=st.integers(0, 40))
def test_recency_opens_exactly_window_months_before_held_on(held_on: date, window: int) -> None:
    policy = Policy(evidence_window_months=window)
    opens = add_months(held_on, -window)
    assert is_recent(item("E", collected_on=opens), held_on, policy)
    assert not is_recent(item("E", collected_on=opens - timedelta(days=1)), held_on, policy)


# --- EV-1 ----------------------------------------------------------------------------------------


def test_EV_1_passes_with_two_recent_items_per_element() -> None:
    verdict = rule("EV-1").check(facts())
    assert verdict.passed
    assert verdict.missing is None
    assert verdict.message == (
        "all 8 elements have 2 or more recent evidence items (fewest: inclusion_values, 2)"
    )


def test_EV_1_fails_naming_each_short_element_with_counts() -> None:
    evidence = tuple(i for i in good_evidence() if i.element is not Element.CURRICULUM)
    evidence = evidence[:-1]  # one community_links item left
    verdict = rule("EV-1").check(facts(recent_evidence=evidence))
    assert not verdict.passed
    assert verdict.message == (
        "curriculum: 0 recent evidence items, 2 needed; "
        "community_links: 1 recent evidence item, 2 needed"
    )
    assert verdict.missing == Missing(
        items_for_element=((Element.CURRICULUM, 2), (Element.COMMUNITY_LINKS, 1))
    )
    assert verdict.missing.action() == (
        "collect 2 more recent evidence items for curriculum, 1 more for community_links"
    )


def test_EV_1_boundary_exactly_min_items_per_element() -> None:
    policy = Policy(min_items_per_element=3)
    assert not rule("EV-1").check(facts(policy=policy)).passed
    third = tuple(item(f"X{i}", e) for i, e in enumerate(Element))
    assert rule("EV-1").check(facts(policy=policy, recent_evidence=good_evidence() + third)).passed


# --- EV-2 ----------------------------------------------------------------------------------------


def test_EV_2_passes_when_every_principle_has_enough_items() -> None:
    verdict = rule("EV-2").check(facts())
    assert verdict.passed
    assert "all 4 principles have 2 or more recent evidence items" in verdict.message


def test_EV_2_counts_an_item_once_for_each_principle_it_supports() -> None:
    evidence = (
        item("A", principles=frozenset(Principle)),
        item("B", principles=frozenset(Principle)),
    )
    assert rule("EV-2").check(facts(recent_evidence=evidence)).passed


def test_EV_2_fails_naming_the_principle_and_boundary() -> None:
    evidence = (
        item("A", principles=frozenset(Principle)),
        item("B", principles=frozenset(Principle) - {Principle.INCLUSIVE_ETHOS}),
    )
    verdict = rule("EV-2").check(facts(recent_evidence=evidence))
    assert not verdict.passed
    assert verdict.message == "inclusive_ethos: 1 recent evidence item, 2 needed"
    assert verdict.missing == Missing(items_for_principle=((Principle.INCLUSIVE_ETHOS, 1),))
    assert verdict.missing.action() == (
        "collect 1 more recent evidence item supporting inclusive_ethos"
    )


# --- EV-3 ----------------------------------------------------------------------------------------


def test_EV_3_passes_with_three_voice_kinds() -> None:
    verdict = rule("EV-3").check(facts())
    assert verdict.passed
    assert verdict.message == "voices: parent_voice, pupil_voice, staff_voice (3 kinds, 3 needed)"


def test_EV_3_fails_with_two_voice_kinds_and_names_the_unheard() -> None:
    evidence = tuple(i for i in good_evidence() if i.kind is not EvidenceKind.PARENT_VOICE)
    verdict = rule("EV-3").check(facts(recent_evidence=evidence))
    assert not verdict.passed
    assert verdict.message == "voices: pupil_voice, staff_voice (2 kinds, 3 needed)"
    assert verdict.missing == Missing(
        voice_kinds=1,
        voice_kinds_from=(EvidenceKind.GOVERNOR_VOICE, EvidenceKind.PARENT_VOICE),
    )
    assert verdict.missing.action() == (
        "collect recent evidence of 1 more voice kind (from: governor_voice, parent_voice)"
    )


def test_EV_3_boundary_non_voice_kinds_and_repeats_do_not_count() -> None:
    evidence = (
        item("A", kind=EvidenceKind.DOCUMENT),
        item("B", kind=EvidenceKind.PUPIL_VOICE),
        item("C", kind=EvidenceKind.PUPIL_VOICE),
    )
    verdict = rule("EV-3").check(facts(recent_evidence=evidence))
    assert verdict.message == "voices: pupil_voice (1 kind, 3 needed)"
    assert rule("EV-3").check(facts(recent_evidence=(), policy=Policy(min_voice_kinds=0))).passed
    empty = rule("EV-3").check(facts(recent_evidence=()))
    assert empty.message == "voices: none (0 kinds, 3 needed)"
    assert empty.missing is not None
    assert empty.missing.voice_kinds == 3


# --- IS-1 ----------------------------------------------------------------------------------------


def test_IS_1_passes_when_every_element_is_established_or_embedded() -> None:
    mixed = judged(inclusion_values=Judgement.EMBEDDED)
    verdict = rule("IS-1").check(facts(judgements=mixed))
    assert verdict.passed
    assert verdict.message == "all 8 elements established or embedded"


def test_IS_1_fails_naming_the_elements_below_established() -> None:
    low = judged(curriculum=Judgement.DEVELOPING, assessment=Judgement.NOT_EVIDENCED)
    verdict = rule("IS-1").check(facts(judgements=low))
    assert not verdict.passed
    assert verdict.message == (
        "below established: curriculum (developing), assessment (not_evidenced)"
    )
    assert verdict.missing is not None
    assert verdict.missing.action() == "raise to established: curriculum, assessment"


def test_IS_1_boundary_developing_is_not_enough() -> None:
    assert rule("IS-1").check(facts(judgements=judged(curriculum=Judgement.ESTABLISHED))).passed
    assert not rule("IS-1").check(facts(judgements=judged(curriculum=Judgement.DEVELOPING))).passed


# --- CE-1 ----------------------------------------------------------------------------------------


def test_CE_1_passes_with_four_embedded_including_inclusion_values() -> None:
    verdict = rule("CE-1").check(facts(judgements=FOUR_EMBEDDED))
    assert verdict.passed
    assert verdict.message.startswith("4 elements embedded, 4 needed (embedded: inclusion_values,")
    assert verdict.message.endswith("; required embedded: inclusion_values")


def test_CE_1_fails_when_a_required_element_is_not_embedded() -> None:
    judgements = FOUR_EMBEDDED | {Element.INCLUSION_VALUES: Judgement.ESTABLISHED}
    verdict = rule("CE-1").check(facts(judgements=judgements))
    assert not verdict.passed
    assert verdict.message.startswith(
        "not embedded: inclusion_values (required); 3 elements embedded, 4 needed"
    )
    assert verdict.missing == Missing(raise_to=((Element.INCLUSION_VALUES, Judgement.EMBEDDED),))
    assert verdict.missing.action() == "raise to embedded: inclusion_values"


def test_CE_1_fails_when_too_few_are_embedded() -> None:
    judgements = judged(inclusion_values=Judgement.EMBEDDED, curriculum=Judgement.EMBEDDED)
    verdict = rule("CE-1").check(facts(judgements=judgements))
    assert verdict.message == (
        "2 elements embedded, 4 needed (embedded: inclusion_values, curriculum)"
    )
    assert verdict.missing is not None
    assert verdict.missing.embedded_more == 2
    assert Element.CURRICULUM not in verdict.missing.embedded_from
    assert len(verdict.missing.embedded_from) == 6
    assert verdict.missing.action().startswith(
        "raise 2 more elements to embedded (from: leadership_management_accountability,"
    )


def test_CE_1_boundary_one_fewer_than_coe_min_embedded_fails() -> None:
    three = FOUR_EMBEDDED | {Element.COMMUNITY_LINKS: Judgement.ESTABLISHED}
    assert not rule("CE-1").check(facts(judgements=three)).passed
    assert rule("CE-1").check(facts(judgements=three, policy=Policy(coe_min_embedded=3))).passed


def test_CE_1_without_required_elements_names_none() -> None:
    policy = Policy(coe_required_embedded=frozenset(), coe_min_embedded=1)
    verdict = rule("CE-1").check(
        facts(judgements=judged(assessment=Judgement.EMBEDDED), policy=policy)
    )
    assert verdict.passed
    assert verdict.message == "1 element embedded, 1 needed (embedded: assessment)"
    failing = rule("CE-1").check(facts(policy=policy))
    assert failing.message == "0 elements embedded, 1 needed (embedded: none)"


# --- CE-2 ----------------------------------------------------------------------------------------


def test_CE_2_passes_with_the_six_commitments() -> None:
    verdict = rule("CE-2").check(facts(commitments=CE_COMMITMENTS))
    assert verdict.passed
    assert verdict.message == (
        "all 6 commitments made: annual_update, annual_visit, classroom_research, "
        "cluster_membership, development_plan, dissemination"
    )


def test_CE_2_fails_naming_the_missing_commitments() -> None:
    made = CE_COMMITMENTS - {Commitment.ANNUAL_UPDATE, Commitment.DISSEMINATION}
    verdict = rule("CE-2").check(facts(commitments=made))
    assert not verdict.passed
    assert verdict.message == "missing commitments: annual_update, dissemination"
    assert verdict.missing is not None
    assert verdict.missing.action() == "make the commitments: annual_update, dissemination"


def test_CE_2_boundary_flagship_commitments_do_not_stand_in() -> None:
    made = (CE_COMMITMENTS - {Commitment.ANNUAL_VISIT}) | FS_COMMITMENTS
    assert rule("CE-2").check(facts(commitments=made)).message == (
        "missing commitments: annual_visit"
    )


# --- FS-1 ----------------------------------------------------------------------------------------


def test_FS_1_passes_when_every_element_is_embedded() -> None:
    verdict = rule("FS-1").check(facts(judgements=judged(Judgement.EMBEDDED)))
    assert verdict.passed
    assert verdict.message == "all 8 elements embedded"


def test_FS_1_boundary_one_established_element_fails() -> None:
    judgements = judged(Judgement.EMBEDDED, curriculum=Judgement.ESTABLISHED)
    verdict = rule("FS-1").check(facts(judgements=judgements))
    assert not verdict.passed
    assert verdict.message == "not embedded: curriculum (established)"
    assert verdict.missing == Missing(raise_to=((Element.CURRICULUM, Judgement.EMBEDDED),))


# --- FS-2 ----------------------------------------------------------------------------------------


def test_FS_2_passes_with_both_commitments() -> None:
    verdict = rule("FS-2").check(facts(commitments=FS_COMMITMENTS))
    assert verdict.passed
    assert verdict.message == (
        "all 2 commitments made: research_project_outline, supports_other_schools"
    )


def test_FS_2_boundary_one_commitment_is_not_enough() -> None:
    verdict = rule("FS-2").check(
        facts(commitments=CE_COMMITMENTS | {Commitment.RESEARCH_PROJECT_OUTLINE})
    )
    assert not verdict.passed
    assert verdict.message == "missing commitments: supports_other_schools"


# --- FS-3 ----------------------------------------------------------------------------------------


def test_FS_3_passes_at_exactly_the_minimum_meetings() -> None:
    verdict = rule("FS-3").check(facts(cluster_meetings_attended=2))
    assert verdict.passed
    assert verdict.message == "2 cluster meetings attended, 2 needed"


def test_FS_3_fails_one_meeting_short() -> None:
    verdict = rule("FS-3").check(facts(cluster_meetings_attended=1))
    assert not verdict.passed
    assert verdict.message == "1 cluster meeting attended, 2 needed"
    assert verdict.missing == Missing(cluster_meetings=1)
    assert verdict.missing.action() == "attend 1 more cluster meeting"
    assert Missing(cluster_meetings=2).action() == "attend 2 more cluster meetings"


# --- FS-4 ----------------------------------------------------------------------------------------


def test_FS_4_passes_on_the_exact_day_under_at_least() -> None:
    verdict = rule("FS-4").check(
        facts(held_on=date(2024, 7, 1), prior=holding_coe(date(2021, 7, 1)))
    )
    assert verdict.passed
    assert verdict.message == (
        "centre_of_excellence held since 2021-07-01; flagship needs it since "
        "2021-07-01 + 3 years = 2024-07-01 <= 2024-07-01"
    )


def test_FS_4_fails_on_the_exact_day_under_more_than() -> None:
    verdict = rule("FS-4").check(
        facts(held_on=date(2024, 7, 1), prior=holding_coe(date(2021, 7, 1)), policy=MORE_THAN)
    )
    assert not verdict.passed
    assert verdict.message.endswith("= 2024-07-01 < 2024-07-01: not met, passes from 2024-07-02")
    assert verdict.missing == Missing(passes_from=date(2024, 7, 2))
    assert verdict.missing.action() == "wait: FS-4 passes from 2024-07-02"


def test_FS_4_fails_the_day_before_under_at_least() -> None:
    verdict = rule("FS-4").check(
        facts(held_on=date(2024, 6, 30), prior=holding_coe(date(2021, 7, 1)))
    )
    assert not verdict.passed
    assert verdict.missing == Missing(passes_from=date(2024, 7, 1))


def test_FS_4_fails_without_centre_of_excellence_held() -> None:
    verdict = rule("FS-4").check(facts(prior=Prior(held={Award.INCLUSIVE_SCHOOL})))
    assert not verdict.passed
    assert verdict.message == (
        "centre_of_excellence not held just before 2024-03-10; "
        "flagship needs it held without a break for 3 years"
    )
    assert verdict.missing == Missing(needs_centre_of_excellence=True)
    assert "hold centre_of_excellence" in verdict.missing.action()


def test_FS_4_one_year_policy_says_year() -> None:
    policy = Policy(flagship_min_coe_years=1)
    verdict = rule("FS-4").check(facts(prior=holding_coe(date(2023, 3, 10)), policy=policy))
    assert verdict.passed
    assert "2023-03-10 + 1 year = 2024-03-10 <= 2024-03-10" in verdict.message


@given(
    since=dates(date(2000, 1, 1), date(2090, 1, 1)),
    years=st.integers(0, 5),
    boundary=st.sampled_from(FlagshipBoundary),
    offset=st.integers(-3, 3),
)
def test_FS_4_exact_boundary_matches_the_written_comparison(
    since: date, years: int, boundary: FlagshipBoundary, offset: int
) -> None:
    policy = Policy(flagship_min_coe_years=years, flagship_boundary=boundary)
    reached = add_years(since, years)
    held_on = reached + timedelta(days=offset)
    passed = rule("FS-4").check(facts(held_on=held_on, prior=holding_coe(since), policy=policy))
    expected = reached <= held_on if boundary is FlagshipBoundary.AT_LEAST else reached < held_on
    assert passed.passed is expected
    eligible = flagship_eligible_from(since, policy)
    assert eligible == reached + timedelta(days=boundary is FlagshipBoundary.MORE_THAN)
    assert (eligible <= held_on) is expected


# --- Clarifications ------------------------------------------------------------------------------


def test_clarification_7_6_ended_coe_since_never_counts() -> None:
    """A school whose first continuity (2015) ended and which regained it in 2023 must wait."""
    regained = holding_coe(date(2023, 1, 10))
    verdict = rule("FS-4").check(facts(prior=regained))
    assert not verdict.passed
    assert verdict.missing == Missing(passes_from=date(2026, 1, 10))
    ended = Prior(held={Award.INCLUSIVE_SCHOOL})
    assert rule("FS-4").check(facts(prior=ended)).missing == Missing(
        needs_centre_of_excellence=True
    )


def test_clarification_7_6_FS_4_applies_to_flagship_renewals() -> None:
    renewal = holding_coe(date(2023, 1, 10), flagship=True)
    assert not rule("FS-4").check(facts(prior=renewal)).passed
    assert rule("FS-4").check(facts(prior=holding_coe(date(2021, 3, 10), flagship=True))).passed


def test_clarification_7_7_FS_4_adds_years_to_coe_since() -> None:
    """29 Feb 2020 + 3 years = 28 Feb 2023 ≤ held_on; held_on - 3 years would be 28 Feb 2020."""
    prior = holding_coe(date(2020, 2, 29))
    assert rule("FS-4").check(facts(held_on=date(2023, 2, 28), prior=prior)).passed
    assert not rule("FS-4").check(facts(held_on=date(2023, 2, 27), prior=prior)).passed


def test_clarification_7_7_recency_subtracts_the_window_from_held_on() -> None:
    """held 2024-08-31, window 6: opens 2024-02-29 (counting forward from 2024-02-29 would not)."""
    policy = Policy(evidence_window_months=6)
    held_on = date(2024, 8, 31)
    assert add_months(date(2024, 2, 29), 6) < held_on
    assert is_recent(item("E", collected_on=date(2024, 2, 29)), held_on, policy)
    assert not is_recent(item("E", collected_on=date(2024, 2, 28)), held_on, policy)


def test_clarification_7_7_recency_on_29_february() -> None:
    held_on = date(2024, 2, 29)
    assert is_recent(
        item("E", collected_on=date(2023, 2, 28)), held_on, Policy(evidence_window_months=12)
    )
    assert not is_recent(
        item("E", collected_on=date(2023, 2, 27)), held_on, Policy(evidence_window_months=12)
    )
    assert is_recent(
        item("E", collected_on=date(2020, 2, 29)), held_on, Policy(evidence_window_months=48)
    )
    assert not is_recent(
        item("E", collected_on=date(2020, 2, 28)), held_on, Policy(evidence_window_months=48)
    )


# --- Missing.action ------------------------------------------------------------------------------


def test_missing_action_joins_every_part_in_a_fixed_order() -> None:
    missing = Missing(
        items_for_element=((Element.ASSESSMENT, 1),),
        raise_to=(
            (Element.CURRICULUM, Judgement.EMBEDDED),
            (Element.ASSESSMENT, Judgement.ESTABLISHED),
        ),
        commitments=(Commitment.ANNUAL_VISIT,),
    )
    assert missing.action() == (
        "collect 1 more recent evidence item for assessment; raise to established: assessment; "
        "raise to embedded: curriculum; make the commitments: annual_visit"
    )


# --- What the registry says of each rule -------------------------------------------------------

EVERY_RULE: tuple[Rule | LifecycleRule, ...] = (*rules(), *lifecycle_rules())
"""§3 then §4: the rules a parameter's ``used_by`` is derived from."""

USED_BY = {
    "evidence_window_months": ("EV-1", "EV-2", "EV-3"),
    "min_items_per_element": ("EV-1",),
    "min_items_per_principle": ("EV-2",),
    "min_voice_kinds": ("EV-3",),
    "coe_min_embedded": ("CE-1",),
    "coe_required_embedded": ("CE-1",),
    "flagship_min_cluster_meetings": ("FS-3",),
    "flagship_min_coe_years": ("FS-4", "LC-7"),
    "flagship_boundary": ("FS-4", "LC-7"),
    "cycle_years": ("LC-2",),
    "renewal_window_months": ("LC-2", "LC-5"),
    "grace_months": ("LC-4", "LC-5"),
}


def test_registry_every_parameter_a_rule_reads_is_a_policy_parameter() -> None:
    fields = {f.name: f for f in attrs.fields(Policy)}
    for entry in EVERY_RULE:
        for name in entry.parameters:
            assert "description" in fields[name].metadata, (entry.id, name)


def test_registry_used_by_is_derived_from_the_rules_that_read_each_parameter() -> None:
    assert {name: used_by(name) for name in PARAMETERS} == USED_BY
    for name, parameter in PARAMETERS.items():
        assert parameter.used_by == used_by(name)
        readers = [r.id for r in EVERY_RULE if name in r.parameters]
        assert list(parameter.used_by) == readers
    assert used_by("id") == ()


def test_registry_parameters_describe_themselves_from_policy_field_metadata() -> None:
    for field in attrs.fields(Policy):
        if field.name in ("id", "effective_from"):
            assert field.name not in PARAMETERS
            continue
        parameter = PARAMETERS[field.name]
        assert parameter.description == field.metadata["description"]
        assert parameter.allowed == field.metadata["allowed"]
        assert "used_by" not in field.metadata


def test_registry_holds_each_rule_function_itself_so_a_rule_costs_one_call() -> None:
    functions = [rules_module.ev_1, rules_module.ev_2, rules_module.ev_3, rules_module.is_1]
    functions += [rules_module.ce_1, rules_module.ce_2, rules_module.fs_1, rules_module.fs_2]
    functions += [rules_module.fs_3, rules_module.fs_4]
    assert [entry.check for entry in rules()] == functions
    for entry in rules():
        assert entry.id in (entry.check.__doc__ or "")


def test_registry_refuses_a_second_rule_with_the_same_id() -> None:
    register = registered(
        id="EV-1",
        level=Award.INCLUSIVE_SCHOOL,
        title="again",
        parameters=(),
        needs_judgement=False,
        source="-",
    )
    with pytest.raises(ValueError, match="rule EV-1 is registered twice"):
        register(rules_module.ev_1)
    assert [r.id for r in rules()] == list(IDS)


def test_registry_judgement_rules_are_is_1_ce_1_fs_1() -> None:
    assert [r.id for r in rules() if r.needs_judgement] == ["IS-1", "CE-1", "FS-1"]


def test_registry_appends_a_new_rule_with_every_field_and_keeps_the_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry_module = importlib.import_module("iqm_rules.decisions.registry")
    registry = list(registry_module._REGISTERED)
    monkeypatch.setattr(registry_module, "_REGISTERED", registry)

    def xx_1(_: RuleInput) -> Verdict:
        return Verdict(True, "always")

    register = registered(
        id="XX-1",
        level=Award.FLAGSHIP,
        title="A title",
        parameters=("grace_months",),
        needs_judgement=True,
        source="A source",
    )
    assert register(xx_1) is xx_1
    assert registry[:-1] == list(rules())
    assert registry[-1] == Rule(
        id="XX-1",
        level=Award.FLAGSHIP,
        title="A title",
        parameters=("grace_months",),
        source="A source",
        needs_judgement=True,
        check=xx_1,
    )


def test_FS_4_without_centre_of_excellence_says_what_to_hold_first() -> None:
    verdict = rule("FS-4").check(facts(prior=Prior(held={Award.INCLUSIVE_SCHOOL})))
    assert verdict.message == (
        "centre_of_excellence not held just before 2024-03-10; "
        "flagship needs it held without a break for 3 years"
    )
    assert verdict.missing is not None
    assert verdict.missing.action() == (
        "hold centre_of_excellence without a break first (FS-4, §7.6)"
    )


def test_LC_7_flagship_eligibility_past_the_calendar_names_held_on_under_either_boundary() -> None:
    for boundary, since, shown in [
        (FlagshipBoundary.AT_LEAST, date(9997, 1, 1), "3 years after 9997-01-01"),
        (FlagshipBoundary.MORE_THAN, date(9996, 12, 31), "1 day after 9999-12-31"),
    ]:
        policy = Policy(flagship_boundary=boundary)
        with pytest.raises(DateOutOfRange) as raised:
            flagship_eligible_from(since, policy)
        assert str(raised.value) == f"held_on: Flagship eligibility {shown} is past 9999-12-31"

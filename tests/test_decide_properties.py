"""Properties of ``decide`` that must hold for every assessment, prior and policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import attrs
from hypothesis import event, given, settings
from hypothesis import strategies as st

from builders import flagship_ready, good_evidence, holding_coe, item
from iqm_rules._dates import add_months, add_years
from iqm_rules.assessment import Assessment, Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Outcome, decide
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.rules import rules
from iqm_rules.evidence import EvidenceKind
from iqm_rules.history import School, SchoolHistory
from iqm_rules.interchange import dump_decision, dump_history, dump_policy
from iqm_rules.policy import FlagshipBoundary, Policy
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import dates
from strategies import cases

Case = tuple[Assessment, Prior, Policy]


def rank(level: Award | None) -> int:
    return 0 if level is None else level.level


def without_order(decision: Decision) -> Decision:
    return attrs.evolve(decision, ignored_evidence=sorted(decision.ignored_evidence))


_DECIDE_IN_A_CHILD = """
import json
import sys
from datetime import date
from iqm_rules import Award, Prior, decide
from iqm_rules.interchange import dump_decision, load_history, load_policy
for history, held, since, policy in json.load(sys.stdin):
    coe_since = None if since is None else date.fromisoformat(since)
    prior = Prior(frozenset(Award(a) for a in held), coe_since)
    (one,) = load_policy(policy).policies
    print(dump_decision(decide(load_history(history).events[0], prior, one)))
"""


def decided_elsewhere(batch: list[Case], hash_seed: int) -> list[str]:
    """The decisions of ``batch``, made by a fresh interpreter with its own string hashing."""
    payload = [
        [
            dump_history(SchoolHistory(School("URN-1", "Example"), (a,))),
            [award.value for award in Award if award in prior.held],
            None if prior.coe_since is None else prior.coe_since.isoformat(),
            dump_policy(policy),
        ]
        for a, prior, policy in batch
    ]
    done = subprocess.run(
        [sys.executable, "-c", _DECIDE_IN_A_CHILD],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
    )
    return done.stdout.splitlines()


@settings(max_examples=2, deadline=None)
@given(batch=st.lists(cases(), min_size=25, max_size=25))
def test_determinism_same_input_same_decision_in_any_process(batch: list[Case]) -> None:
    """Equal inputs give the same decision, to the letter, whatever order sets iterate in.

    String hashing (so the iteration order of sets of terms) differs between interpreters; two
    fresh ones with different hash seeds must write exactly the decisions made here.
    """
    here = [dump_decision(decide(*case)) for case in batch]
    assert decided_elsewhere(batch, 1) == here
    assert decided_elsewhere(batch, 2) == here


@given(case=cases())
def test_determinism_an_equal_assessment_built_afresh_gets_an_equal_decision(case: Case) -> None:
    a, prior, policy = case
    rebuilt = Assessment(
        id=a.id,
        held_on=a.held_on,
        kind=a.kind,
        level_sought=a.level_sought,
        judgements=dict(reversed(list(a.judgements.items()))),
        evidence=tuple(attrs.evolve(item) for item in a.evidence),
        commitments=sorted(a.commitments, key=lambda c: c.value, reverse=True),
        cluster_meetings_attended=a.cluster_meetings_attended,
        recorded_outcome=a.recorded_outcome,
    )
    assert rebuilt == a
    assert rebuilt is not a
    first, again = decide(a, prior, policy), decide(rebuilt, prior, policy)
    assert first == again
    assert dump_decision(first) == dump_decision(again)
    assert first.shortfalls() == again.shortfalls()


@given(case=cases(), data=st.data())
def test_order_of_evidence_and_commitments_does_not_matter(case: Case, data: st.DataObject) -> None:
    """Evidence is a sequence: any order gives the same decision. Commitments are a set: any
    order of giving them gives the same decision, and their messages list them sorted."""
    a, prior, policy = case
    given_order = data.draw(st.permutations(sorted(a.commitments, key=lambda c: c.value)))
    shuffled = attrs.evolve(
        a, evidence=data.draw(st.permutations(a.evidence)), commitments=given_order
    )
    event(f"evidence order changed: {shuffled.evidence != a.evidence}")
    first, again = decide(a, prior, policy), decide(shuffled, prior, policy)
    assert without_order(first) == without_order(again)
    assert first.shortfalls() == again.shortfalls()
    for finding in first.findings:
        named = [c for c in sorted(Commitment, key=lambda c: c.value) if c.value in finding.message]
        positions = [finding.message.index(c.value) for c in named]
        assert positions == sorted(positions), finding.message


@given(case=cases(), data=st.data())
def test_monotonicity_raising_a_judgement_never_lowers_the_level(
    case: Case, data: st.DataObject
) -> None:
    a, prior, policy = case
    element = data.draw(st.sampled_from(Element))
    higher = data.draw(st.sampled_from([j for j in Judgement if j >= a.judgements[element]]))
    raised = attrs.evolve(a, judgements={**a.judgements, element: higher})
    assert rank(decide(raised, prior, policy).awarded_level) >= rank(
        decide(a, prior, policy).awarded_level
    )


@given(case=cases(), data=st.data())
def test_monotonicity_adding_recent_evidence_never_lowers_the_level(
    case: Case, data: st.DataObject
) -> None:
    a, prior, policy = case
    opens = add_months(a.held_on, -policy.evidence_window_months)
    extra = item(
        "added",
        data.draw(st.sampled_from(Element)),
        data.draw(st.frozensets(st.sampled_from(Principle), min_size=1)),
        data.draw(st.sampled_from(EvidenceKind)),
        data.draw(st.dates(opens, a.held_on)),
    )
    more = attrs.evolve(a, evidence=(*a.evidence, extra))
    assert rank(decide(more, prior, policy).awarded_level) >= rank(
        decide(a, prior, policy).awarded_level
    )


@given(case=cases(), commitment=st.sampled_from(Commitment), meetings=st.integers(0, 3))
def test_monotonicity_adding_a_commitment_or_meetings_never_lowers_the_level(
    case: Case, commitment: Commitment, meetings: int
) -> None:
    a, prior, policy = case
    more = attrs.evolve(
        a,
        commitments=a.commitments | {commitment},
        cluster_meetings_attended=a.cluster_meetings_attended + meetings,
    )
    assert rank(decide(more, prior, policy).awarded_level) >= rank(
        decide(a, prior, policy).awarded_level
    )


@given(case=cases())
def test_ladder_awarded_level_means_every_rule_up_to_it_passed(case: Case) -> None:
    decision = decide(*case)
    event(f"awarded {'nothing' if decision.awarded_level is None else decision.awarded_level}")
    by_rule = {f.rule: f for f in decision.findings}
    if decision.awarded_level is Award.FLAGSHIP:
        assert all(by_rule[r].passed for r in ("IS-1", "CE-1", "CE-2", "EV-1", "EV-2", "EV-3"))
    if decision.awarded_level is not None:
        assert all(f.passed for f in decision.findings if f.level is Award.INCLUSIVE_SCHOOL)
        assert all(f.passed for f in decision.findings if f.level <= decision.awarded_level)


@given(case=cases())
def test_explanation_every_level_not_awarded_has_a_failing_finding_at_or_below_it(
    case: Case,
) -> None:
    decision = decide(*case)
    for level in decision.level_sought.up_to():
        if level.level > rank(decision.awarded_level):
            assert any(not f.passed and f.level <= level for f in decision.findings), level
    if decision.outcome is Outcome.GRANTED:
        assert decision.failing == ()
        assert decision.shortfalls() == ()
    else:
        assert decision.shortfalls()


@given(case=cases())
def test_outcome_matches_the_awarded_level(case: Case) -> None:
    decision = decide(*case)
    awarded = "nothing" if decision.awarded_level is None else decision.awarded_level.value
    event(f"{decision.outcome.value}, awarded {awarded}")
    if decision.awarded_level is None:
        assert decision.outcome is Outcome.REFUSED
    elif decision.awarded_level is decision.level_sought:
        assert decision.outcome is Outcome.GRANTED
    else:
        assert decision.outcome is Outcome.GRANTED_LOWER
        assert decision.awarded_level < decision.level_sought


@given(case=cases())
def test_findings_cover_exactly_the_rules_up_to_the_level_sought(case: Case) -> None:
    decision = decide(*case)
    expected = [r.id for r in rules() if r.level <= decision.level_sought]
    assert [f.rule for f in decision.findings] == expected
    for finding in decision.findings:
        assert finding.message
        assert (finding.missing is None) is finding.passed


@given(held_on=dates(date(2003, 1, 1)), window=st.integers(0, 36))
def test_evidence_window_boundary_on_the_exact_day(held_on: date, window: int) -> None:
    """Month ends and 29 February included: the window opens on held_on - window months."""
    opens = add_months(held_on, -window)
    policy = Policy(evidence_window_months=window)
    evidence = (
        *good_evidence(held_on),
        item("first-day", collected_on=opens),
        item("day-before", collected_on=opens - timedelta(days=1)),
    )
    decision = decide(flagship_ready(held_on=held_on, evidence=evidence), Prior(), policy)
    assert decision.ignored_evidence == ("day-before",)


def test_evidence_window_boundary_month_end_clamping() -> None:
    """held 2024-08-31 with a 6-month window: the window opens 2024-02-29."""
    policy = Policy(evidence_window_months=6)
    evidence = (
        *good_evidence(date(2024, 8, 1)),
        item("leap-day", collected_on=date(2024, 2, 29)),
        item("day-before", collected_on=date(2024, 2, 28)),
    )
    a = flagship_ready(held_on=date(2024, 8, 31), evidence=evidence)
    assert decide(a, Prior(), policy).ignored_evidence == ("day-before",)


@given(
    since=dates(date(2000, 1, 1), date(2090, 1, 1)),
    years=st.integers(0, 5),
    boundary=st.sampled_from(FlagshipBoundary),
)
def test_FS_4_exact_boundary_under_at_least_and_more_than(
    since: date, years: int, boundary: FlagshipBoundary
) -> None:
    policy = Policy(flagship_min_coe_years=years, flagship_boundary=boundary)
    reached = add_years(since, years)
    first = reached if boundary is FlagshipBoundary.AT_LEAST else reached + timedelta(days=1)
    prior = holding_coe(since)
    on_day = flagship_ready(held_on=first, evidence=good_evidence(first))
    day_before = first - timedelta(days=1)
    before = flagship_ready(held_on=day_before, evidence=good_evidence(day_before))
    assert decide(on_day, prior, policy).outcome is Outcome.GRANTED
    early = decide(before, prior, policy)
    assert early.awarded_level is Award.CENTRE_OF_EXCELLENCE
    assert [f.rule for f in early.failing] == ["FS-4"]

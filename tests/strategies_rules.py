"""Rule inputs and strategies for the tests of the rules, ``decide`` and readiness (records
themselves are built by ``builders``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from builders import HELD_ON, good_evidence, item, judged
from iqm_rules._dates import add_years
from iqm_rules.assessment import Assessment, AssessmentKind, Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.facts import Prior, RuleInput, recent_evidence
from iqm_rules.decisions.rules import CE_COMMITMENTS, FS_COMMITMENTS
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.policy import DEFAULT_POLICY, Policy
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import dates, judgement_maps, policies


def facts(**changes: Any) -> RuleInput:
    """The rule input of :func:`assessment` (every rule of inclusive_school passes)."""
    fields: dict[str, Any] = {
        "held_on": HELD_ON,
        "recent_evidence": good_evidence(),
        "commitments": frozenset(),
        "cluster_meetings_attended": 0,
        "prior": Prior(),
        "policy": DEFAULT_POLICY,
        "judgements": judged(),
    }
    return RuleInput(**(fields | changes))


def facts_of(a: Assessment, prior: Prior = Prior(), policy: Policy = DEFAULT_POLICY) -> RuleInput:  # noqa: B008
    recent, _ = recent_evidence(a.evidence, a.held_on, policy)
    return RuleInput(
        a.held_on, recent, a.commitments, a.cluster_meetings_attended, prior, policy, a.judgements
    )


def fix(a: Assessment, missing: Missing) -> Assessment:
    """``a`` with exactly the additions ``missing`` names (FS-4's dates are not additions)."""
    added: list[EvidenceItem] = []

    def add(element: Element, principles: frozenset[Principle], kind: EvidenceKind) -> None:
        number = len(a.evidence) + len(added) + 1
        added.append(item(f"fix-{number}", element, principles, kind, a.held_on))

    taken = {i.id for i in a.evidence}
    for element, count in missing.items_for_element:
        for _ in range(count):
            add(element, frozenset({Principle.RAISING_ACHIEVEMENT}), EvidenceKind.DOCUMENT)
    for principle, count in missing.items_for_principle:
        for _ in range(count):
            add(Element.INCLUSION_VALUES, frozenset({principle}), EvidenceKind.DOCUMENT)
    for kind in missing.voice_kinds_from[: missing.voice_kinds]:
        add(Element.INCLUSION_VALUES, frozenset({Principle.RAISING_ACHIEVEMENT}), kind)
    assert not taken & {i.id for i in added}
    judgements = dict(a.judgements)
    for element, wanted in missing.raise_to:
        judgements[element] = max(judgements[element], wanted)
    for element in missing.embedded_from[: missing.embedded_more]:
        judgements[element] = Judgement.EMBEDDED
    return attrs.evolve(
        a,
        evidence=a.evidence + tuple(added),
        judgements=judgements,
        commitments=a.commitments | set(missing.commitments),
        cluster_meetings_attended=a.cluster_meetings_attended + missing.cluster_meetings,
    )


ELEMENTS = tuple(Element)
PRINCIPLES = tuple(Principle)
KINDS = tuple(EvidenceKind)
LOWEST_JUDGEMENTS = (*Judgement, Judgement.ESTABLISHED, Judgement.EMBEDDED)
COMMITMENT_BASES: tuple[frozenset[Commitment], ...] = (
    frozenset(),
    CE_COMMITMENTS,
    CE_COMMITMENTS | FS_COMMITMENTS,
)


SHAPES = st.lists(
    st.tuples(st.integers(0, 7), st.integers(1, 15), st.integers(0, 7), st.integers(0, 900)),
    max_size=8,
)
POLICIES = st.just(DEFAULT_POLICY) | policies()
HELD_ON_DATES = dates(date(2003, 1, 1), date(2090, 12, 31))
JUDGEMENTS = {minimum: judgement_maps(minimum=minimum) for minimum in Judgement}
COMMITMENTS = st.frozensets(st.sampled_from(Commitment))
ONE_COMMITMENT = st.frozensets(st.sampled_from(Commitment), max_size=1)
NONE: st.SearchStrategy[frozenset[Commitment]] = st.just(frozenset())


@st.composite
def evidence_near_the_thresholds(draw: st.DrawFn, held_on: date) -> tuple[EvidenceItem, ...]:
    """Complete evidence with some items left out, plus a few random (possibly stale) items.

    Built from small integers so that examples are cheap to generate and shrink well.
    """
    base: tuple[EvidenceItem, ...] = ()
    if draw(st.integers(0, 3)):
        days_back = draw(st.integers(0, 400))
        base = good_evidence(held_on - timedelta(days=days_back))
        left_out: set[int] = set()
        if not draw(st.integers(0, 2)):
            left_out = draw(st.sets(st.integers(0, len(base) - 1), max_size=3))
        base = tuple(i for n, i in enumerate(base) if n not in left_out)
    shapes = draw(SHAPES)
    extra = tuple(
        item(
            f"R{n + 1}",
            ELEMENTS[element],
            frozenset(p for bit, p in enumerate(PRINCIPLES) if mask >> bit & 1),
            KINDS[kind],
            held_on - timedelta(days=days_back),
        )
        for n, (element, mask, kind, days_back) in enumerate(shapes)
    )
    return base + extra


@st.composite
def cases(draw: st.DrawFn) -> tuple[Assessment, Prior, Policy]:
    """An assessment (full, or a review of a centre_of_excellence holder), a prior and a policy.

    One case in two aims at flagship: it seeks flagship with centre_of_excellence held for
    some years, judgements and commitments near the top, so that flagship is often granted and
    often missed by one rule (see the outcome events of the decide properties).
    """
    aims_at_flagship = draw(st.booleans())
    policy = DEFAULT_POLICY if aims_at_flagship and draw(st.booleans()) else draw(POLICIES)
    held_on = draw(HELD_ON_DATES)
    kind = draw(st.sampled_from(AssessmentKind))
    if aims_at_flagship:
        sought = Award.FLAGSHIP
        holding: Award | None = draw(st.sampled_from([Award.CENTRE_OF_EXCELLENCE, Award.FLAGSHIP]))
    elif kind is AssessmentKind.REVIEW:
        sought = draw(st.sampled_from([Award.CENTRE_OF_EXCELLENCE, Award.FLAGSHIP]))
        holding = draw(st.sampled_from([Award.CENTRE_OF_EXCELLENCE, Award.FLAGSHIP]))
    else:
        sought = draw(st.sampled_from(Award))
        holding = draw(st.none() | st.sampled_from(Award))
    held = frozenset(holding.up_to()) if holding is not None else frozenset()
    since = None
    if Award.CENTRE_OF_EXCELLENCE in held:
        least = 2 if aims_at_flagship else 0
        since = add_years(held_on, -draw(st.integers(least, 6))) - timedelta(
            days=draw(st.integers(-2, 2))
        )
    lowest = Judgement.EMBEDDED if aims_at_flagship else draw(st.sampled_from(LOWEST_JUDGEMENTS))
    base = COMMITMENT_BASES[-1] if aims_at_flagship else draw(st.sampled_from(COMMITMENT_BASES))
    a = Assessment(
        id="A1",
        held_on=held_on,
        kind=kind,
        level_sought=sought,
        judgements=draw(JUDGEMENTS[lowest]),
        evidence=draw(evidence_near_the_thresholds(held_on)),
        commitments=base
        | draw(COMMITMENTS) - draw(ONE_COMMITMENT if draw(st.booleans()) else NONE),
        cluster_meetings_attended=draw(st.integers(1 if aims_at_flagship else 0, 4)),
    )
    return a, Prior(held, since), policy


__all__ = [
    "cases",
    "evidence_near_the_thresholds",
    "facts",
    "facts_of",
    "fix",
]

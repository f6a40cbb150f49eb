"""Strategies and builders of the project's own tests, in one place (those for users' tests
are :mod:`iqm_rules.testing`): rule inputs for the rules, ``decide`` and readiness; documents and
records for interchange; histories that agree or disagree on purpose for the command line."""

from __future__ import annotations

import copy
import types
import typing
from datetime import date, timedelta
from typing import Any, TypeVar

import attrs
from attrs import evolve
from hypothesis import settings
from hypothesis import strategies as st

from builders import HELD_ON, good_evidence, item, judged
from iqm_rules._dates import add_years
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, AssessmentKind, Commitment, Judgement, RecordedOutcome
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding
from iqm_rules.decisions.facts import Prior, RuleInput, recent_evidence
from iqm_rules.decisions.rules import CE_COMMITMENTS, FS_COMMITMENTS
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import SchoolHistory, event_date
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.lifecycle.replay import AwardStatus, StatusReport, status
from iqm_rules.policy import DEFAULT_POLICY, Policy
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import dates, judgement_maps, policies, school_histories

# --- rules, decide and readiness: rule inputs and assessments ------------------------------------


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


# --- interchange: one small valid history to mutate, JSON values, records ------------------------

T = TypeVar("T")

_EVIDENCE = [
    ("E1", "inclusion_values", "pupil_voice"),
    ("E2", "curriculum", "parent_voice"),
]


def minimal_history() -> dict[str, Any]:
    """A fresh, valid ``history@1`` document: one assessment, one withdrawal."""
    document: dict[str, Any] = {
        "format": "iqm-rules/history@1",
        "school": {"id": "URN-100001", "name": "Example Primary"},
        "events": [
            {
                "type": "assessment",
                "id": "A1",
                "held_on": "2024-03-10",
                "kind": "full",
                "level_sought": "inclusive_school",
                "judgements": {element.value: "established" for element in Element},
                "evidence": [
                    {
                        "id": item_id,
                        "element": element,
                        "principles": ["raising_achievement"],
                        "kind": kind,
                        "collected_on": "2024-01-15",
                        "summary": "Pupil voice panel on adapted reading curriculum",
                    }
                    for item_id, element, kind in _EVIDENCE
                ],
                "commitments": ["development_plan"],
                "cluster_meetings_attended": 1,
                "recorded_outcome": {"awarded_level": None},
            },
            {"type": "withdrawal", "on": "2024-09-01", "reason": "School closed"},
        ],
    }
    return copy.deepcopy(document)


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value: the garbage a file may hold."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=12)
        | st.sampled_from(["2024-03-10", "2023-02-29", "full", "flagship", "embedded", "A1"])
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["id", "type", "format", "events", "school", "name", "x"])
                | st.text(max_size=6),
                inner,
                max_size=4,
            )
        ),
        max_leaves=max_leaves,
    )


def _for_type(kind: Any) -> st.SearchStrategy[Any]:
    """Any value of an annotated field type, as JSON can carry it (no NaN, no time)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is str:
        return st.text(max_size=12)
    if kind is bool:
        return st.booleans()
    if kind is date:
        return st.dates()
    if isinstance(kind, type) and issubclass(kind, Term):
        return st.sampled_from(list(kind))
    if origin in (typing.Union, types.UnionType):
        return st.one_of([st.none() if a is type(None) else _for_type(a) for a in args])
    if origin is tuple and args[1:] == (Ellipsis,):
        return st.lists(_for_type(args[0]), max_size=3).map(tuple)
    if origin is tuple:
        return st.tuples(*map(_for_type, args))
    if kind is int:
        return st.integers(min_value=0, max_value=10**6)
    if isinstance(kind, type) and attrs.has(kind):
        return records(kind)
    raise LookupError(kind)


def records(cls: type[T], **fixed: st.SearchStrategy[Any]) -> st.SearchStrategy[T]:
    """Instances of the attrs class ``cls``, every field drawn from its annotation.

    A field with a default whose type has no strategy here keeps its default; ``fixed`` pins
    fields.
    """
    hints = typing.get_type_hints(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    attributes: Any = cls
    for field in attrs.fields(attributes):
        if field.name in fixed:
            fields[field.name] = fixed[field.name]
            continue
        try:
            fields[field.name] = _for_type(hints[field.name])
        except LookupError:
            if field.default is attrs.NOTHING:
                raise
    return st.builds(cls, **fields)


def _findings() -> st.SearchStrategy[Finding]:
    """Findings with every field ``decision@1`` carries, ``missing`` (what to fix) included."""
    return st.builds(
        Finding,
        rule=_for_type(str),
        level=_for_type(Award),
        passed=st.booleans(),
        message=st.text(max_size=30),
        missing=st.none() | records(Missing),
    )


def decisions() -> st.SearchStrategy[Decision]:
    """Decisions with any field values the format can carry."""
    return records(Decision, findings=st.lists(_findings(), max_size=3).map(tuple))


def status_reports() -> st.SearchStrategy[StatusReport]:
    """Status reports with one status per award, in award order, and any other field values."""
    awards = st.tuples(*(records(AwardStatus, award=st.just(award)) for award in Award))
    return records(StatusReport, awards=awards, decisions=st.lists(decisions(), max_size=2))


def paths_in(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in a JSON document, the document itself first."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths_in(value, (*prefix, index))
    return found


# --- the command line and audits: histories that agree or disagree on purpose --------------------

FEW = settings(max_examples=max(10, settings().max_examples // 4))
"""For properties over whole histories, which are slow to generate: a quarter of the profile's."""

LEVELS: tuple[Award | None, ...] = (None, *Award)


def last_date(history: SchoolHistory) -> date:
    """The date of the history's last event (or an arbitrary date if it has none)."""
    return max((event_date(e) for e in history.events), default=date(2024, 1, 1))


def decided_levels(history: SchoolHistory) -> dict[str, Award | None]:
    """The awarded level of every assessment, replaying the whole history."""
    report = status(history, last_date(history))
    return {d.assessment_id: d.awarded_level for d in report.decisions}


def recording(history: SchoolHistory, levels: dict[str, Award | None]) -> SchoolHistory:
    """``history`` with each assessment in ``levels`` recorded as awarded that level."""
    events = [
        evolve(e, recorded_outcome=RecordedOutcome(levels[e.id]))
        if isinstance(e, Assessment) and e.id in levels
        else e
        for e in history.events
    ]
    return evolve(history, events=events)


def agreeing(history: SchoolHistory) -> SchoolHistory:
    """``history`` with every recorded outcome equal to what the rules decide."""
    return recording(history, decided_levels(history))


def other_level(level: Award | None, shift: int) -> Award | None:
    """A level different from ``level`` (``shift`` ≥ 1 picks which)."""
    index = LEVELS.index(level)
    return LEVELS[(index + 1 + shift % (len(LEVELS) - 1)) % len(LEVELS)]


@st.composite
def disagreeing(draw: st.DrawFn) -> tuple[SchoolHistory, frozenset[str]]:
    """A history with at least one assessment, recorded outcomes agreeing except for a chosen
    non-empty subset, whose ids come with it."""
    history = draw(
        school_histories(max_events=4).filter(
            lambda h: any(isinstance(e, Assessment) for e in h.events)
        )
    )
    levels = decided_levels(history)
    ids = sorted(levels)
    wrong = draw(st.frozensets(st.sampled_from(ids), min_size=1))
    shift = draw(st.integers(0, 10))
    recorded = {
        i: other_level(level, shift) if i in wrong else level for i, level in levels.items()
    }
    return recording(history, recorded), wrong


def example(name: str) -> SchoolHistory:
    """A bundled example history."""
    return load_history(example_text(name))

"""Hypothesis strategies for every public type, for ``iqm_rules``' tests and for yours.

Every strategy builds *valid* records by default, so ``@given(assessments())`` never trips a
validator. Knobs make the data harder: ``sparse_evidence=True`` gives too little (and partly stale)
evidence; ``low_judgements=True`` keeps every judgement at ``developing`` or below.

>>> from hypothesis import given
>>> @given(assessments(level_sought=Award.CENTRE_OF_EXCELLENCE))
... def test_seeks_coe(assessment):
...     assert assessment.level_sought is Award.CENTRE_OF_EXCELLENCE
>>> test_seeks_coe()

This module imports Hypothesis; ``import iqm_rules`` does not import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hypothesis import strategies as st

from iqm_rules._dates import add_months
from iqm_rules.assessment import (
    Assessment,
    AssessmentKind,
    Commitment,
    Judgement,
    RecordedOutcome,
)
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding, Outcome
from iqm_rules.decisions.facts import Prior
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import School, SchoolHistory, Withdrawal
from iqm_rules.lifecycle.replay import AwardState, AwardStatus, StatusReport
from iqm_rules.policy import FlagshipBoundary, Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = [
    "assessments",
    "award_statuses",
    "complete_evidence",
    "dates",
    "decisions",
    "evidence_items",
    "findings",
    "identifiers",
    "judgement_maps",
    "policies",
    "policy_books",
    "priors",
    "school_histories",
    "schools",
    "status_reports",
    "withdrawals",
]

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def dates(min_value: date = EARLIEST, max_value: date = LATEST) -> st.SearchStrategy[date]:
    """Calendar dates, with month ends and 29 February drawn more often than chance would."""
    plain = st.dates(min_value=min_value, max_value=max_value)
    month_ends = st.builds(
        lambda d: add_months(d.replace(day=1), 1) - timedelta(days=1), plain
    ).filter(lambda d: min_value <= d <= max_value)
    leap_years = [y for y in range(min_value.year, max_value.year + 1) if _is_leap(y)]
    leap_days = st.sampled_from(leap_years or [2000]).map(lambda y: date(y, 2, 29))
    leap_days = leap_days.filter(lambda d: min_value <= d <= max_value)
    return st.one_of(plain, month_ends, leap_days)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def identifiers(prefix: str = "") -> st.SearchStrategy[str]:
    """Short non-empty ids such as ``E12``."""
    return st.integers(1, 9999).map(lambda n: f"{prefix}{n}")


def evidence_items(
    *,
    id: st.SearchStrategy[str] | None = None,
    element: st.SearchStrategy[Element] | None = None,
    principles: st.SearchStrategy[frozenset[Principle]] | None = None,
    kind: st.SearchStrategy[EvidenceKind] | None = None,
    collected_on: st.SearchStrategy[date] | None = None,
) -> st.SearchStrategy[EvidenceItem]:
    """Single evidence items; pass a strategy for any field to pin or narrow it."""
    return st.builds(
        EvidenceItem,
        id=id if id is not None else identifiers("E"),
        element=element if element is not None else st.sampled_from(Element),
        principles=principles
        if principles is not None
        else st.frozensets(st.sampled_from(Principle), min_size=1),
        kind=kind if kind is not None else st.sampled_from(EvidenceKind),
        collected_on=collected_on if collected_on is not None else dates(),
        summary=st.sampled_from(_SUMMARIES),
    )


_SUMMARIES = (
    "Pupil voice panel on the adapted reading curriculum",
    "Governors' minutes on the accessibility plan",
    "Lesson observation: scaffolded group work in Year 5",
    "Attendance and progress data for pupils with SEND",
    "Parent survey on home-school communication",
    "Local authority report on the nurture provision",
    "Staff questionnaire on inclusive pedagogy training",
    "Community partnership log with the local library",
)


def _recent_dates(held_on: date, window_months: int) -> st.SearchStrategy[date]:
    return st.dates(min_value=add_months(held_on, -window_months), max_value=held_on)


@st.composite
def complete_evidence(
    draw: st.DrawFn, held_on: date, *, window_months: int = 18, per_element: int = 2
) -> tuple[EvidenceItem, ...]:
    """Evidence that meets EV-1, EV-2 and EV-3 under the default policy, all recent.

    ``per_element`` items per element; principles and voices are spread so every principle has
    at least two items and at least three voice kinds appear.
    """
    voices = sorted(EvidenceKind.voices(), key=lambda k: k.value)
    principles = list(Principle)
    items: list[EvidenceItem] = []
    for index in range(per_element * len(Element)):
        element = list(Element)[index % len(Element)]
        required = principles[index % len(principles)]
        extra = draw(st.frozensets(st.sampled_from(Principle), max_size=2))
        kind = voices[index % 3] if index < 3 else draw(st.sampled_from(EvidenceKind))
        items.append(
            EvidenceItem(
                id=f"E{index + 1}",
                element=element,
                principles=extra | {required},
                kind=kind,
                collected_on=draw(_recent_dates(held_on, window_months)),
                summary=draw(st.sampled_from(_SUMMARIES)),
            )
        )
    return tuple(items)


@st.composite
def _sparse_evidence(draw: st.DrawFn, held_on: date) -> tuple[EvidenceItem, ...]:
    count = draw(st.integers(0, 8))
    items = []
    for index in range(count):
        collected_on = draw(st.dates(min_value=add_months(held_on, -36), max_value=held_on))
        items.append(
            draw(evidence_items(id=st.just(f"S{index + 1}"), collected_on=st.just(collected_on)))
        )
    return tuple(items)


def judgement_maps(
    minimum: Judgement = Judgement.NOT_EVIDENCED, maximum: Judgement = Judgement.EMBEDDED
) -> st.SearchStrategy[dict[Element, Judgement]]:
    """One judgement per element, each between ``minimum`` and ``maximum``."""
    allowed = [j for j in Judgement if minimum <= j <= maximum]
    return st.fixed_dictionaries({element: st.sampled_from(allowed) for element in Element})


@st.composite
def assessments(
    draw: st.DrawFn,
    *,
    id: str | None = None,
    held_on: date | st.SearchStrategy[date] | None = None,
    kind: AssessmentKind | None = None,
    level_sought: Award | None = None,
    sparse_evidence: bool = False,
    low_judgements: bool = False,
    judgements: st.SearchStrategy[dict[Element, Judgement]] | None = None,
    commitments: st.SearchStrategy[frozenset[Commitment]] | None = None,
) -> Assessment:
    """Valid assessments; by default with complete recent evidence and any judgements."""
    day = held_on if isinstance(held_on, date) else draw(held_on or dates(date(2002, 1, 1)))
    chosen_kind = kind or draw(st.sampled_from(AssessmentKind))
    if level_sought is not None:
        sought = level_sought
    elif chosen_kind is AssessmentKind.REVIEW:
        sought = draw(st.sampled_from([Award.CENTRE_OF_EXCELLENCE, Award.FLAGSHIP]))
    else:
        sought = draw(st.sampled_from(Award))
    if judgements is None:
        top = Judgement.DEVELOPING if low_judgements else Judgement.EMBEDDED
        judgements = judgement_maps(maximum=top)
    evidence = draw(_sparse_evidence(day) if sparse_evidence else complete_evidence(day))
    outcome = draw(st.none() | st.builds(RecordedOutcome, st.none() | st.sampled_from(Award)))
    return Assessment(
        id=id or draw(identifiers("A")),
        held_on=day,
        kind=chosen_kind,
        level_sought=sought,
        judgements=draw(judgements),
        evidence=evidence,
        commitments=draw(commitments or st.frozensets(st.sampled_from(Commitment))),
        cluster_meetings_attended=draw(st.integers(0, 6)),
        recorded_outcome=outcome,
    )


def withdrawals(on: st.SearchStrategy[date] | None = None) -> st.SearchStrategy[Withdrawal]:
    """Withdrawals on any date."""
    return st.builds(
        Withdrawal,
        on=on if on is not None else dates(),
        reason=st.sampled_from(("School closed", "Left the scheme", "Merged with a trust")),
    )


def schools() -> st.SearchStrategy[School]:
    """Schools with a URN-style id."""
    return st.builds(
        School,
        id=st.integers(100000, 999999).map(lambda n: f"URN-{n}"),
        name=st.sampled_from(("Example Primary", "Hillside Academy", "St Anne's C of E School")),
    )


@st.composite
def school_histories(
    draw: st.DrawFn, *, max_events: int = 6, reviews: bool = False
) -> SchoolHistory:
    """Histories of full assessments and withdrawals, a few months to years apart.

    With ``reviews=False`` (the default) every history replays without error, whatever it holds:
    reviews are only valid while a Centre of Excellence is held, which depends on the rules.
    """
    day = draw(dates(date(2002, 1, 1), date(2060, 12, 31)))
    events: list[Assessment | Withdrawal] = []
    for index in range(draw(st.integers(0, max_events))):
        day = add_months(day, draw(st.integers(0, 40)))
        if draw(st.integers(0, 5)) == 0:
            events.append(Withdrawal(on=day, reason="Left the scheme"))
            continue
        kind = AssessmentKind.REVIEW if reviews and draw(st.booleans()) else AssessmentKind.FULL
        events.append(draw(assessments(id=f"A{index + 1}", held_on=day, kind=kind)))
    return SchoolHistory(school=draw(schools()), events=events)


@st.composite
def priors(
    draw: st.DrawFn, *, holding: Award | st.SearchStrategy[Award | None] | None = None
) -> Prior:
    """What a school held just before an assessment; ladder-consistent."""
    if holding is None or isinstance(holding, st.SearchStrategy):
        level = draw(holding if holding is not None else st.none() | st.sampled_from(Award))
    else:
        level = holding
    held = frozenset(level.up_to()) if level is not None else frozenset()
    coe_since = draw(dates()) if Award.CENTRE_OF_EXCELLENCE in held else None
    return Prior(held=held, coe_since=coe_since)


def policies() -> st.SearchStrategy[Policy]:
    """Valid policies across the range of every parameter."""
    small = st.integers(0, 4)
    return st.builds(
        Policy,
        id=identifiers("policy-"),
        effective_from=dates(),
        evidence_window_months=st.integers(0, 36),
        min_items_per_element=small,
        min_items_per_principle=small,
        min_voice_kinds=small,
        coe_min_embedded=st.integers(0, 8),
        coe_required_embedded=st.frozensets(st.sampled_from(Element), max_size=3),
        flagship_min_cluster_meetings=small,
        flagship_min_coe_years=st.integers(0, 5),
        flagship_boundary=st.sampled_from(FlagshipBoundary),
        cycle_years=st.fixed_dictionaries({award: st.integers(1, 5) for award in Award}),
        renewal_window_months=st.integers(0, 12),
        grace_months=st.integers(0, 12),
    )


@st.composite
def policy_books(draw: st.DrawFn, *, max_size: int = 3) -> PolicyBook:
    """Books of policies with distinct ids and effective dates."""
    chosen: Sequence[Policy] = draw(
        st.lists(
            policies(),
            min_size=1,
            max_size=max_size,
            unique_by=(lambda p: p.id, lambda p: p.effective_from),
        )
    )
    return PolicyBook(chosen)


def findings() -> st.SearchStrategy[Finding]:
    """Findings as a decision carries them."""
    return st.builds(
        Finding,
        rule=st.sampled_from(("EV-1", "EV-2", "EV-3", "IS-1", "CE-1", "CE-2", "FS-1")),
        level=st.sampled_from(Award),
        passed=st.booleans(),
        message=st.text(max_size=40),
    )


def decisions() -> st.SearchStrategy[Decision]:
    """Structurally valid decisions (for interchange tests; not the output of the rules)."""
    return st.builds(
        Decision,
        assessment_id=identifiers("A"),
        held_on=dates(),
        level_sought=st.sampled_from(Award),
        awarded_level=st.none() | st.sampled_from(Award),
        outcome=st.sampled_from(Outcome),
        policy_id=st.just("iqm-2025.1"),
        findings=st.lists(findings(), max_size=4).map(tuple),
        ignored_evidence=st.lists(identifiers("E"), max_size=3, unique=True).map(tuple),
    )


def award_statuses(award: Award) -> st.SearchStrategy[AwardStatus]:
    """One award's status; ``not_held`` has every date empty (§7.4)."""
    not_held = st.just(AwardStatus(award=award, state=AwardState.NOT_HELD))
    held = st.builds(
        AwardStatus,
        award=st.just(award),
        state=st.sampled_from([s for s in AwardState if s.is_held]),
        since=dates(),
        due=dates(),
        lapses_on=dates(),
    )
    ended = st.builds(
        AwardStatus,
        award=st.just(award),
        state=st.sampled_from([AwardState.LAPSED, AwardState.WITHDRAWN, AwardState.REVOKED]),
        since=dates(),
        due=dates(),
        lapses_on=dates(),
        ended_on=dates(),
    )
    return st.one_of(not_held, held, ended)


def status_reports() -> st.SearchStrategy[StatusReport]:
    """Structurally valid status reports (for interchange tests; not the output of a replay)."""
    return st.builds(
        StatusReport,
        school_id=st.just("URN-100001"),
        as_of=dates(),
        policy_id=st.just("iqm-2025.1"),
        level=st.none() | st.sampled_from(Award),
        awards=st.tuples(*(award_statuses(award) for award in Award)),
        flagship_eligible_from=st.none() | dates(),
        decisions=st.lists(decisions(), max_size=2).map(tuple),
    )

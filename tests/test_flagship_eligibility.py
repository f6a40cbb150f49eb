"""`flagship_eligible_from` under a policy book (LC-7, LC-8, RULEBOOK §7.5, issue 17).

Each date is judged under the policy in force on it, so the reported date is the first from
which FS-4 passes on every later date. The properties check it against the library's own
``decide`` under the book, on every date where FS-4's answer can change.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from builders import assessment, history, review
from iqm_rules._dates import add_years
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import decide
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.rules import flagship_eligible_from
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.replay import replay, status
from iqm_rules.policy import FlagshipBoundary, Policy, PolicyBook

IS = Award.INCLUSIVE_SCHOOL
COE = Award.CENTRE_OF_EXCELLENCE
FS = Award.FLAGSHIP
AT_LEAST = FlagshipBoundary.AT_LEAST
MORE_THAN = FlagshipBoundary.MORE_THAN


def passes_fs_4(day: date, coe_since: date, book: PolicyBook) -> bool:
    """FS-4 of a flagship assessment on ``day``, centre_of_excellence held since ``coe_since``."""
    prior = Prior(held=frozenset({IS, COE}), coe_since=coe_since)
    flagship = assessment("F", day, sought=FS, meets=FS)
    return decide(flagship, prior, book).finding("FS-4").passed


def in_force_on(book: PolicyBook, day: date) -> bool:
    return any(policy.effective_from <= day for policy in book.policies)


def alone(policy: Policy, coe_since: date) -> date:
    """The one-policy formula of §7.5, written out."""
    reached = add_years(coe_since, policy.flagship_min_coe_years)
    return reached + timedelta(days=1) if policy.flagship_boundary is MORE_THAN else reached


def reproducer(first: FlagshipBoundary, then: FlagshipBoundary) -> tuple[PolicyBook, date]:
    """Issue 17's book (P1 from 2019-08-29, P2 from 2019-11-01) and the date FS-4 is tried."""
    book = PolicyBook(
        (
            Policy(id="P1", effective_from=date(2019, 8, 29), flagship_boundary=first),
            Policy(id="P2", effective_from=date(2019, 11, 1), flagship_boundary=then),
        )
    )
    return book, date(2022, 8, 31)


def kept_held_until(flagship_on: date) -> SchoolHistory:
    """Centre of Excellence from 2019-08-31, reviewed yearly, then a flagship review."""
    return history(
        assessment("A1", date(2019, 8, 31), sought=COE, meets=COE),
        review("R1", date(2020, 8, 31), sought=COE, meets=COE),
        review("R2", date(2021, 8, 31), sought=COE, meets=COE),
        review("F", flagship_on, sought=FS, meets=FS),
    )


def fs_4_on(flagship_on: date, book: PolicyBook) -> bool:
    report = replay(kept_held_until(flagship_on), book).status(flagship_on)
    return report.decisions[-1].finding("FS-4").passed


def test_issue_17_flagship_eligible_from_is_judged_under_the_policy_in_force_on_each_date() -> None:
    book, tried = reproducer(AT_LEAST, MORE_THAN)
    coe = history(assessment("A1", date(2019, 8, 31), sought=COE, meets=COE))
    assert status(coe, date(2019, 8, 31), book).flagship_eligible_from == date(2022, 9, 1)
    assert not fs_4_on(tried, book)
    assert fs_4_on(tried + timedelta(days=1), book)

    mirrored, tried = reproducer(MORE_THAN, AT_LEAST)
    assert status(coe, date(2019, 8, 31), mirrored).flagship_eligible_from == date(2022, 8, 31)
    assert fs_4_on(tried, mirrored)
    assert not fs_4_on(tried - timedelta(days=1), mirrored)


def test_a_decision_names_the_date_its_own_policy_passes_from() -> None:
    """The FS-4 finding of one decision speaks of the policy deciding it (docs/readings.md)."""
    mirrored, _ = reproducer(MORE_THAN, AT_LEAST)
    early = history(
        assessment("A1", date(2019, 8, 31), sought=COE, meets=COE),
        review("F", date(2019, 9, 30), sought=FS, meets=FS),
    )
    report = status(early, date(2019, 9, 30), mirrored)
    missing = report.decisions[-1].finding("FS-4").missing
    assert missing is not None
    assert missing.passes_from == date(2022, 9, 1)
    assert report.flagship_eligible_from == date(2022, 8, 31)


def test_a_lone_policy_applies_on_every_date_whatever_its_effective_from() -> None:
    policy = Policy(effective_from=date(2030, 1, 1), flagship_min_coe_years=2)
    assert flagship_eligible_from(date(2020, 5, 1), policy) == date(2022, 5, 1)
    assert flagship_eligible_from(date(2020, 5, 1), PolicyBook((policy,))) == date(2030, 1, 1)


boundaries = st.sampled_from(FlagshipBoundary)
years = st.integers(0, 5)


@st.composite
def books(draw: st.DrawFn, held: list[date], later: int) -> PolicyBook:
    """One policy in force from before the first of ``held``, the others starting later.

    Later starts fall near whole years after one of ``held`` (the assessment dates), so they
    often meet ``coe_since + flagship_min_coe_years`` of some policy, on the day or close by.
    """
    first = held[0] - timedelta(days=draw(st.integers(0, 400)))
    near = st.builds(
        lambda anchor, whole, days: anchor + timedelta(days=365 * whole + days),
        st.sampled_from(held),
        st.integers(0, 6),
        st.sampled_from([0, 0, 0, 1, -1, 2, -2, 60, -60]),
    )
    starts = draw(
        st.lists(near.filter(lambda day: day > first), min_size=later, max_size=later, unique=True)
    )
    policies = [
        Policy(
            id=f"P{index}",
            effective_from=day,
            flagship_min_coe_years=draw(years),
            flagship_boundary=draw(boundaries),
        )
        for index, day in enumerate([first, *starts])
    ]
    return PolicyBook(draw(st.permutations(policies)))


@st.composite
def histories_and_books(draw: st.DrawFn, later: int) -> tuple[SchoolHistory, PolicyBook, date]:
    """A history of full assessments, a book of ``1 + later`` policies in force on all of them
    (some starting after ``as_of``), and an ``as_of`` after the last assessment."""
    start = draw(st.dates(date(2001, 1, 1), date(2070, 12, 31)))
    steps = draw(
        st.lists(
            st.tuples(st.integers(0, 500), st.sampled_from([None, IS, COE, COE, COE, FS, FS])),
            min_size=1,
            max_size=5,
        )
    )
    events = []
    day = start
    for index, (gap, meets) in enumerate(steps):
        day += timedelta(days=gap)
        events.append(assessment(f"A{index}", day, sought=FS if meets is FS else COE, meets=meets))
    as_of = day + timedelta(days=draw(st.integers(0, 300)))
    book = draw(books([e.held_on for e in events], later))
    return history(*events), book, as_of


def critical_days(book: PolicyBook, coe_since: date, eligible: date) -> set[date]:
    """Every day on or after ``eligible`` where FS-4's answer could change, and one past them.

    Under a book FS-4 changes only where a policy starts or where a policy's own date is
    reached, so checking these (and the day before each) checks every later date.
    """
    edges = {eligible}
    for policy in book.policies:
        for edge in (policy.effective_from, alone(policy, coe_since)):
            edges |= {edge, edge - timedelta(days=1), edge + timedelta(days=1)}
    days = {day for day in edges if day >= eligible}
    return days | {max(days) + timedelta(days=400)}


def label(book: PolicyBook, as_of: date, coe_since: date, eligible: date) -> None:
    """Show which branches the generated cases reach (see ``--hypothesis-show-statistics``)."""
    ordered = sorted(book.policies, key=lambda policy: policy.effective_from)
    starts = [policy.effective_from for policy in ordered]
    segment = sum(1 for day in starts if day <= eligible)
    event(f"eligible in segment {segment} of {len(ordered)}")
    event("eligible on a policy's start" if eligible in starts else "eligible inside a segment")
    crossed = [day for day in starts[segment:] if day > eligible]
    event("walked back across a policy start" if crossed else "eligible under the last policy")
    on_as_of = alone(book.in_force(as_of), coe_since)
    event("as_of's policy alone would differ" if on_as_of != eligible else "as_of's policy agrees")


@given(st.integers(1, 2).flatmap(histories_and_books))
def test_flagship_eligible_from_is_where_fs_4_starts_passing_for_good(
    case: tuple[SchoolHistory, PolicyBook, date],
) -> None:
    school, book, as_of = case
    report = status(school, as_of, book)
    coe = report.award(COE)
    if not coe.state.is_held:
        event("centre_of_excellence not held")
        assert report.flagship_eligible_from is None
        return
    assert coe.since is not None
    eligible = report.flagship_eligible_from
    assert eligible is not None
    label(book, as_of, coe.since, eligible)
    for day in sorted(critical_days(book, coe.since, eligible)):
        assert passes_fs_4(day, coe.since, book), day
    before = eligible - timedelta(days=1)
    if in_force_on(book, before):
        assert not passes_fs_4(before, coe.since, book)
    else:
        event("no policy in force the day before")


@given(histories_and_books(0), boundaries, years)
def test_with_one_policy_it_is_coe_since_plus_the_years(
    case: tuple[SchoolHistory, PolicyBook, date], boundary: FlagshipBoundary, minimum: int
) -> None:
    school, book, as_of = case
    (policy,) = book.policies
    policy = attrs.evolve(policy, flagship_boundary=boundary, flagship_min_coe_years=minimum)
    for given_as in (policy, PolicyBook((policy,))):
        report = status(school, as_of, given_as)
        since = report.award(COE).since if report.award(COE).state.is_held else None
        event(f"{boundary.value}, centre_of_excellence {'held' if since else 'not held'}")
        expected = None if since is None else add_years(since, minimum)
        if expected is not None and boundary is MORE_THAN:
            expected += timedelta(days=1)
        assert report.flagship_eligible_from == expected

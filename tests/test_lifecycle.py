"""Status over time (RULEBOOK §4): worked examples 3-5, one test per LC rule, timeline, upcoming."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from builders import assessment, good_evidence, history, review, withdrawal
from iqm_rules._dates import add_days, add_months, add_years
from iqm_rules.assessment import Assessment, AssessmentKind, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Outcome, decide
from iqm_rules.decisions.facts import Prior
from iqm_rules.errors import InvalidPolicy, InvalidRecord
from iqm_rules.history import Event, SchoolHistory, event_date
from iqm_rules.lifecycle import clocks
from iqm_rules.lifecycle import replay as lifecycle
from iqm_rules.lifecycle.replay import (
    AwardState,
    AwardStatus,
    ChangeKind,
    StatusReport,
    Upcoming,
    replay,
    status,
    timeline,
    upcoming,
)
from iqm_rules.policy import DEFAULT_POLICY, FlagshipBoundary, Policy, PolicyBook
from iqm_rules.testing import assessments, judgement_maps

IS = Award.INCLUSIVE_SCHOOL
COE = Award.CENTRE_OF_EXCELLENCE
FS = Award.FLAGSHIP

days = st.dates(date(2001, 1, 1), date(2090, 12, 31))


def coe_journey(boundary: FlagshipBoundary) -> tuple[SchoolHistory, Policy]:
    """Worked example 3: Centre of Excellence from 2021-07-01, reviewed on each due date."""
    events = [
        assessment("A1", date(2021, 7, 1), sought=COE, meets=COE),
        review("A2", date(2022, 7, 1), sought=COE, meets=COE),
        review("A3", date(2023, 7, 1), sought=COE, meets=COE),
        review("A4", date(2024, 7, 1), sought=FS, meets=FS),
    ]
    return history(*events), Policy(flagship_boundary=boundary)


def test_worked_example_3_flagship_boundary() -> None:
    at_least, policy = coe_journey(FlagshipBoundary.AT_LEAST)
    report = status(at_least, date(2024, 7, 1), policy)
    assert report.decisions[-1].outcome is Outcome.GRANTED
    assert report.level is FS
    assert report.award(COE).since == date(2021, 7, 1)

    more_than, policy = coe_journey(FlagshipBoundary.MORE_THAN)
    report = status(more_than, date(2024, 7, 1), policy)
    assert report.decisions[-1].outcome is Outcome.GRANTED_LOWER
    assert report.decisions[-1].awarded_level is COE
    assert report.level is COE
    assert report.flagship_eligible_from == date(2024, 7, 2)


def example_4(*renewals: date) -> SchoolHistory:
    first = assessment("A1", date(2020, 1, 15), sought=IS, meets=IS)
    again = [assessment(f"R{i}", d, sought=IS, meets=IS) for i, d in enumerate(renewals)]
    return history(first, *again)


def test_worked_example_4_renewal_in_window_in_grace_and_lapse() -> None:
    alone = example_4()
    first = status(alone, date(2020, 1, 15)).award(IS)
    assert (first.due, first.lapses_on) == (date(2023, 1, 15), date(2023, 4, 15))
    for renewal in (date(2022, 9, 1), date(2023, 3, 1)):
        renewed = status(example_4(renewal), date(2023, 6, 1)).award(IS)
        assert renewed.due == date(2026, 1, 15)
        assert renewed.state is AwardState.ACTIVE
    assert status(alone, date(2023, 2, 1)).award(IS).state is AwardState.OVERDUE
    assert status(alone, date(2023, 4, 14)).award(IS).state is AwardState.OVERDUE
    assert status(alone, date(2023, 4, 15)).award(IS) == AwardStatus(
        IS,
        AwardState.LAPSED,
        since=date(2020, 1, 15),
        due=date(2023, 1, 15),
        lapses_on=date(2023, 4, 15),
        ended_on=date(2023, 4, 15),
    )


def test_worked_example_5_leap_day_and_revocation_below_the_window() -> None:
    school = history(
        assessment("A1", date(2020, 2, 29), sought=COE, meets=COE),
        review("A2", date(2021, 2, 28), sought=COE, meets=IS),
    )
    before = status(school, date(2020, 2, 29))
    assert before.award(IS).due == date(2023, 2, 28)
    assert before.award(COE).due == date(2021, 2, 28)
    after = status(school, date(2021, 2, 28))
    assert after.award(COE).state is AwardState.REVOKED
    assert after.award(COE).ended_on == date(2021, 2, 28)
    assert after.award(IS).state is AwardState.ACTIVE
    assert after.award(IS).since == date(2020, 2, 29)
    assert after.award(IS).due == date(2024, 2, 28)
    assert after.level is IS


def test_LC_1_decided_with_the_state_just_before_including_same_date_events() -> None:
    day = date(2022, 5, 1)
    award_then_review = history(
        assessment("A1", day, sought=COE, meets=COE),
        review("A2", day, sought=COE, meets=COE),
    )
    report = status(award_then_review, day)
    assert [d.assessment_id for d in report.decisions] == ["A1", "A2"]
    assert report.award(COE).state is AwardState.ACTIVE

    review_first = history(
        review("A2", day, sought=COE, meets=COE),
        assessment("A1", day, sought=COE, meets=COE),
    )
    with pytest.raises(InvalidRecord) as raised:
        status(review_first, day)
    assert raised.value.path == "events[0].kind"


def test_LC_1_errors_of_decide_are_located_at_the_event(monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing(event: Assessment, prior: Prior, policy: Policy | PolicyBook) -> Decision:
        raise InvalidRecord("evidence[0].collected_on", "is not a date the rules accept")

    monkeypatch.setattr(clocks, "decide", refusing)
    school = history(
        withdrawal(date(2020, 1, 1)), assessment("A1", date(2019, 1, 1), sought=IS, meets=IS)
    )
    with pytest.raises(InvalidRecord) as raised:
        status(school, date(2018, 1, 1))
    assert raised.value.path == "events[1].evidence[0].collected_on"


@given(
    start=days,
    gap=st.integers(0, 3 * 366 + 120),
    boundary=st.sampled_from([None, -6, 0, 3]),
    shift=st.integers(-1, 1),
)
def test_LC_2_renewal_anchored_inside_the_window_else_from_held_on(
    start: date, gap: int, boundary: int | None, shift: int
) -> None:
    if boundary is None:
        held_on = start + timedelta(days=gap)
    else:
        held_on = add_months(add_years(start, 3), boundary) + timedelta(days=shift)
    school = history(
        assessment("A1", start, sought=IS, meets=IS),
        assessment("A2", held_on, sought=IS, meets=IS),
    )
    old_due = add_years(start, 3)
    lapses_on = add_months(old_due, 3)
    renewed = status(school, held_on).award(IS)
    if held_on >= lapses_on:
        assert renewed.since == held_on
        assert renewed.due == add_years(held_on, 3)
    elif held_on >= add_months(old_due, -6):
        assert renewed.since == start
        assert renewed.due == add_years(old_due, 3)
    else:
        assert renewed.since == start
        assert renewed.due == add_years(held_on, 3)


def test_LC_2_anchored_dues_chain_from_the_old_due() -> None:
    school = history(
        assessment("A1", date(2020, 2, 29), sought=COE, meets=COE),
        review("A2", date(2021, 2, 28), sought=COE, meets=COE),
        review("A3", date(2022, 2, 28), sought=COE, meets=COE),
    )
    assert status(school, date(2021, 2, 28)).award(COE).due == date(2022, 2, 28)
    assert status(school, date(2022, 2, 28)).award(COE).due == date(2023, 2, 28)


def test_LC_3_levels_above_the_awarded_one_are_revoked() -> None:
    school = history(
        assessment("A1", date(2020, 1, 10), sought=COE, meets=COE),
        review("A2", date(2021, 1, 10), sought=COE, meets=COE),
        review("A3", date(2022, 1, 10), sought=COE, meets=COE),
        review("A4", date(2023, 1, 10), sought=FS, meets=FS),
        assessment("A5", date(2023, 9, 1), sought=FS, meets=IS),
    )
    report = status(school, date(2023, 9, 1))
    assert report.decisions[-1].outcome is Outcome.GRANTED_LOWER
    for award in (COE, FS):
        assert report.award(award).state is AwardState.REVOKED
        assert report.award(award).ended_on == date(2023, 9, 1)
    assert report.award(IS).state.is_held
    assert report.level is IS


def test_LC_4_a_level_is_never_held_longer_than_the_level_below() -> None:
    short_below = Policy(
        cycle_years={IS: 1, COE: 2, FS: 1},
    )
    school = history(assessment("A1", date(2020, 1, 1), sought=COE, meets=COE))
    held = status(school, date(2021, 3, 31), short_below)
    assert held.award(COE).state is AwardState.ACTIVE
    capped = status(school, date(2021, 4, 1), short_below).award(COE)
    assert capped.state is AwardState.LAPSED
    assert capped.ended_on == date(2021, 4, 1)
    assert capped.lapses_on == date(2022, 4, 1)


@given(start=days, offset=st.integers(-5, 4 * 366))
def test_LC_5_exactly_one_state_on_each_date(start: date, offset: int) -> None:
    as_of = start + timedelta(days=offset)
    report = status(history(assessment("A1", start, sought=IS, meets=IS)), as_of)
    due = add_years(start, 3)
    expected = (
        AwardState.NOT_HELD
        if as_of < start
        else AwardState.ACTIVE
        if as_of < add_months(due, -6)
        else AwardState.RENEWAL_DUE
        if as_of < due
        else AwardState.OVERDUE
        if as_of < add_months(due, 3)
        else AwardState.LAPSED
    )
    assert report.award(IS).state is expected
    assert report.award(COE).state is AwardState.NOT_HELD
    assert report.level == (IS if expected.is_held else None)


def test_LC_6_withdrawal_ends_every_held_level_and_a_new_award_starts_afresh() -> None:
    school = history(
        assessment("A1", date(2020, 3, 1), sought=COE, meets=COE),
        withdrawal(date(2020, 9, 1)),
        assessment("A2", date(2021, 1, 1), sought=IS, meets=IS),
    )
    ended = status(school, date(2020, 9, 1))
    for award in (IS, COE):
        assert ended.award(award).state is AwardState.WITHDRAWN
        assert ended.award(award).ended_on == date(2020, 9, 1)
    assert ended.level is None
    again = status(school, date(2021, 1, 1))
    assert again.award(IS).since == date(2021, 1, 1)
    assert again.award(COE).state is AwardState.WITHDRAWN


def test_LC_7_coe_since_drives_flagship_eligible_from() -> None:
    school = history(
        assessment("A1", date(2019, 5, 20), sought=COE, meets=COE),
        assessment("A2", date(2021, 2, 1), sought=COE, meets=COE),
    )
    assert status(school, date(2019, 5, 20)).flagship_eligible_from == date(2022, 5, 20)
    # A1's CoE lapsed on 2020-08-20: the re-award starts a new continuity.
    assert status(school, date(2020, 8, 20)).flagship_eligible_from is None
    assert status(school, date(2021, 2, 1)).flagship_eligible_from == date(2024, 2, 1)


def test_LC_7_flagship_eligible_from_reads_every_policy_of_the_book() -> None:
    book = PolicyBook(
        (
            Policy(id="three", effective_from=date(2000, 1, 1)),
            Policy(id="four", effective_from=date(2021, 1, 1), flagship_min_coe_years=4),
        )
    )
    school = history(assessment("A1", date(2020, 9, 1), sought=COE, meets=COE))
    # 2023-09-01 falls under "four", which is already in the book on 2020-12-31 (§7.5).
    assert status(school, date(2020, 12, 31), book).flagship_eligible_from == date(2024, 9, 1)
    assert status(school, date(2021, 1, 1), book).flagship_eligible_from == date(2024, 9, 1)


def test_LC_8_clock_keeps_the_policy_that_set_it() -> None:
    old = Policy(id="old", effective_from=date(2000, 1, 1))
    new = Policy(id="new", effective_from=date(2022, 1, 1), grace_months=6, renewal_window_months=2)
    book = PolicyBook((old, new))
    school = history(assessment("A1", date(2021, 6, 1), sought=IS, meets=IS))
    report = status(school, date(2024, 6, 1), book)
    assert report.policy_id == "new"
    assert report.award(IS).lapses_on == date(2024, 9, 1)
    assert report.award(IS).state is AwardState.OVERDUE
    assert status(school, date(2024, 3, 1), book).award(IS).state is AwardState.RENEWAL_DUE

    renewed = history(
        assessment("A1", date(2021, 6, 1), sought=IS, meets=IS),
        assessment("A2", date(2024, 5, 1), sought=IS, meets=IS),
    )
    report = status(renewed, date(2024, 5, 1), book)
    assert report.decisions[-1].policy_id == "new"
    assert report.award(IS).due == date(2027, 6, 1)
    assert report.award(IS).lapses_on == date(2027, 12, 1)
    assert status(renewed, date(2027, 3, 31), book).award(IS).state is AwardState.ACTIVE
    assert status(renewed, date(2027, 4, 1), book).award(IS).state is AwardState.RENEWAL_DUE


def test_LC_8_an_event_before_every_policy_is_located() -> None:
    book = PolicyBook((Policy(id="late", effective_from=date(2022, 1, 1)),))
    school = history(assessment("A1", date(2021, 6, 1), sought=IS, meets=IS))
    with pytest.raises(InvalidPolicy) as raised:
        status(school, date(2023, 1, 1), book)
    assert raised.value.path == "events[0].held_on"
    assert raised.value.problem == (
        "no policy is in force on 2021-06-01; the earliest takes effect on 2022-01-01"
    )


def test_timeline_lists_every_change_with_its_rule() -> None:
    school = history(
        assessment("A1", date(2020, 1, 15), sought=COE, meets=COE),
        review("A2", date(2021, 1, 15), sought=COE, meets=IS),
        withdrawal(date(2022, 1, 1)),
    )
    changes = timeline(school)
    seen = [(c.on, c.award, c.kind, c.rule, c.event_index) for c in changes]
    assert seen == [
        (date(2020, 1, 15), IS, ChangeKind.AWARDED, "LC-2", 0),
        (date(2020, 1, 15), COE, ChangeKind.AWARDED, "LC-2", 0),
        (date(2020, 7, 15), COE, ChangeKind.WINDOW_OPENED, "LC-5", None),
        (date(2021, 1, 15), IS, ChangeKind.RENEWED, "LC-2", 1),
        (date(2021, 1, 15), COE, ChangeKind.REVOKED, "LC-3", 1),
        (date(2022, 1, 1), IS, ChangeKind.WITHDRAWN, "LC-6", 2),
    ]
    assert changes[3].assessment_id == "A2"
    assert "2024-01-15" in changes[3].detail


def test_timeline_runs_the_clocks_past_the_last_event() -> None:
    changes = timeline(history(assessment("A1", date(2020, 1, 15), sought=IS, meets=IS)))
    assert [(c.on, c.kind) for c in changes] == [
        (date(2020, 1, 15), ChangeKind.AWARDED),
        (date(2022, 7, 15), ChangeKind.WINDOW_OPENED),
        (date(2023, 1, 15), ChangeKind.OVERDUE),
        (date(2023, 4, 15), ChangeKind.LAPSED),
    ]
    assert changes[-1].rule == "LC-4"


@pytest.mark.parametrize(
    ("again", "expected"),
    [
        (date(2022, 7, 15), [ChangeKind.AWARDED, ChangeKind.RENEWED]),
        (date(2023, 1, 15), [ChangeKind.AWARDED, ChangeKind.WINDOW_OPENED, ChangeKind.RENEWED]),
        (
            date(2023, 4, 15),
            [
                ChangeKind.AWARDED,
                ChangeKind.WINDOW_OPENED,
                ChangeKind.OVERDUE,
                ChangeKind.LAPSED,
                ChangeKind.AWARDED,
            ],
        ),
    ],
)
def test_timeline_on_a_boundary_day_time_comes_first_and_only_what_happened(
    again: date, expected: list[ChangeKind]
) -> None:
    school = example_4(again)
    changes = [c for c in timeline(school) if c.on <= again]
    assert [c.kind for c in changes] == expected
    assert changes[-1].on == again


def test_timeline_omits_a_window_already_open_when_the_clock_is_set() -> None:
    wide = Policy(renewal_window_months=12)
    school = history(assessment("A1", date(2020, 1, 15), sought=COE, meets=COE))
    kinds = [(c.award, c.kind) for c in timeline(school, wide)]
    assert (COE, ChangeKind.WINDOW_OPENED) not in kinds
    assert (IS, ChangeKind.WINDOW_OPENED) in kinds
    assert status(school, date(2020, 1, 15), wide).award(COE).state is AwardState.RENEWAL_DUE


def test_upcoming_lists_held_awards_due_or_ending_within_the_horizon() -> None:
    school = history(assessment("A1", date(2020, 1, 15), sought=COE, meets=COE))
    assert upcoming(school, date(2020, 6, 1), months=6) == ()
    soon = upcoming(school, date(2020, 6, 1), months=8)
    assert [(u.award, u.due, u.state) for u in soon] == [
        (COE, date(2021, 1, 15), AwardState.ACTIVE)
    ]
    assert soon[0].window_opens == date(2020, 7, 15)
    assert soon[0].ends_on == date(2021, 4, 15)
    in_grace = upcoming(school, date(2021, 2, 1), days=73)
    assert [(u.award, u.ends_on, u.state) for u in in_grace] == [
        (COE, date(2021, 4, 15), AwardState.OVERDUE)
    ]
    assert upcoming(school, date(2021, 2, 1), days=72) == ()
    with pytest.raises(ValueError, match="days: must be a whole number ≥ 0, got -1") as raised:
        upcoming(school, date(2021, 2, 1), days=-1)
    assert not isinstance(raised.value, InvalidRecord)


def test_replay_decides_each_assessment_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(event: Assessment, prior: Prior, policy: Policy | PolicyBook) -> Decision:
        calls.append(event.id)
        return decide(event, prior, policy)

    monkeypatch.setattr(clocks, "decide", counting)
    events = [assessment("A0", date(2000, 1, 1), sought=COE, meets=COE)]
    events += [review(f"A{i}", date(2000 + i, 1, 1), sought=COE, meets=COE) for i in range(1, 40)]
    whole = replay(history(*events))
    assert calls == [f"A{i}" for i in range(40)]
    for year in range(2000, 2045):
        whole.status(date(year, 6, 1))
    assert whole.status(date(2020, 6, 1)).award(COE).since == date(2000, 1, 1)
    assert len(calls) == 40


def shifted(day: date | None) -> date | None:
    return None if day is None else day.replace(year=day.year + 400)


@given(
    start=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    gaps=st.lists(st.integers(0, 800), min_size=1, max_size=5),
    levels=st.lists(st.sampled_from([None, IS, COE]), min_size=5, max_size=5),
    look=st.integers(0, 4000),
)
def test_shifting_by_400_years_shifts_every_date_and_nothing_else(
    start: date, gaps: list[int], levels: list[Award | None], look: int
) -> None:
    events = []
    day = start
    for i, gap in enumerate(gaps):
        day += timedelta(days=gap)
        events.append(assessment(f"A{i}", day, sought=COE, meets=levels[i]))
    later = [
        assessment(e.id, e.held_on.replace(year=e.held_on.year + 400), sought=COE, meets=m)
        for e, m in zip(events, levels, strict=False)
    ]
    as_of = start + timedelta(days=look)
    now, then = status(history(*events), as_of), status(history(*later), shifted(as_of) or as_of)
    assert then.as_of == shifted(now.as_of)
    assert then.level == now.level
    assert then.flagship_eligible_from == shifted(now.flagship_eligible_from)
    for a, b in zip(now.awards, then.awards, strict=True):
        assert b.state is a.state
        assert (b.since, b.due, b.lapses_on, b.ended_on) == tuple(
            shifted(d) for d in (a.since, a.due, a.lapses_on, a.ended_on)
        )
    assert [d.outcome for d in then.decisions] == [d.outcome for d in now.decisions]
    assert isinstance(then, StatusReport)


def test_default_policy_is_used_when_none_is_given() -> None:
    school = history(assessment("A1", date(2020, 1, 15), sought=IS, meets=IS))
    assert status(school, date(2020, 1, 15)).policy_id == DEFAULT_POLICY.id


def test_LC_5_upcoming_due_date_exactly_on_as_of_is_inside_the_empty_horizon() -> None:
    school = example_4()
    on_due = Upcoming(
        award=IS,
        state=AwardState.OVERDUE,
        due=date(2023, 1, 15),
        window_opens=date(2022, 7, 15),
        lapses_on=date(2023, 4, 15),
        ends_on=date(2023, 4, 15),
    )
    assert upcoming(school, date(2023, 1, 15)) == (on_due,)
    assert replay(school).upcoming(date(2023, 1, 15)) == (on_due,)
    for as_of in (date(2023, 1, 14), date(2022, 12, 15)):
        assert upcoming(school, as_of) == ()
        assert replay(school).upcoming(as_of) == ()
    assert upcoming(school, date(2023, 4, 14)) == ()
    assert upcoming(school, date(2023, 4, 14), days=1) == (on_due,)


def test_LC_5_upcoming_soonest_first_then_by_level() -> None:
    school = history(assessment("A1", date(2020, 1, 15), sought=COE, meets=COE))
    soon = upcoming(school, date(2020, 6, 1), months=36)
    assert [(u.award, u.due, u.ends_on) for u in soon] == [
        (COE, date(2021, 1, 15), date(2021, 4, 15)),
        (IS, date(2023, 1, 15), date(2023, 4, 15)),
    ]
    yearly = Policy(cycle_years=dict.fromkeys(Award, 1))
    same_day = upcoming(school, date(2020, 6, 1), months=8, policy=yearly)
    assert [(u.award, u.due) for u in same_day] == [
        (IS, date(2021, 1, 15)),
        (COE, date(2021, 1, 15)),
    ]


def test_LC_8_upcoming_reads_the_policy_it_is_given() -> None:
    school = example_4()
    short = Policy(grace_months=1, renewal_window_months=2)
    (item,) = upcoming(school, date(2023, 1, 1), months=1, policy=short)
    assert (item.window_opens, item.lapses_on, item.ends_on) == (
        date(2022, 11, 15),
        date(2023, 2, 15),
        date(2023, 2, 15),
    )
    assert item.state is AwardState.RENEWAL_DUE


@pytest.mark.parametrize(
    ("horizon", "message"),
    [
        ({"months": -1}, "months: must be a whole number ≥ 0, got -1"),
        ({"days": True}, "days: must be a whole number ≥ 0, got True"),
        ({"months": 1.0}, "months: must be a whole number ≥ 0, got 1.0"),
    ],
)
def test_upcoming_refuses_a_horizon_that_is_not_a_whole_number(
    horizon: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        upcoming(example_4(), date(2021, 1, 1), **horizon)
    assert str(raised.value) == message


def test_status_as_of_must_be_a_date_and_the_message_names_the_fix() -> None:
    whole = replay(example_4())
    with pytest.raises(TypeError) as raised:
        whole.status("2025-09-01")  # type: ignore[arg-type]
    assert str(raised.value) == (
        "as_of must be a datetime.date, got str: use date.fromisoformat('2025-09-01')"
    )
    with pytest.raises(TypeError) as raised:
        whole.upcoming(20250901)  # type: ignore[arg-type]
    assert str(raised.value) == "as_of must be a datetime.date, got int"


def test_status_report_names_the_school_and_refuses_awards_out_of_order() -> None:
    report = status(example_4(), date(2021, 1, 1))
    assert report.school_id == "URN-100001"
    with pytest.raises(KeyError) as raised:
        report.award("flagship")  # type: ignore[arg-type]
    assert raised.value.args == ("flagship",)
    wrong_awards: list[tuple[Any, str]] = [
        (("x",), "x"),
        ((), "none"),
        (report.awards[::-1], "flagship, "),
    ]
    for awards, got in wrong_awards:
        with pytest.raises(InvalidRecord) as wrong:
            attrs.evolve(report, awards=awards)
        assert str(wrong.value).startswith(
            "awards: must hold one status per award, in order "
            f"(inclusive_school, centre_of_excellence, flagship), got {got}"
        )
    with pytest.raises(InvalidRecord) as bare:
        attrs.evolve(report, awards=tuple(Award))
    assert str(bare.value) == ("awards: must hold AwardStatus values, got Award.INCLUSIVE_SCHOOL")


def test_LC_2_timeline_texts_anchored_or_from_held_on_and_same_date_events_in_order() -> None:
    """A2 renews on the day centre_of_excellence's window opens (anchored); A3, the same day,
    awards only inclusive_school: each event's changes stay together, in application order."""
    school = history(
        assessment("A1", date(2020, 1, 15), sought=COE, meets=COE),
        review("A2", date(2020, 7, 15), sought=COE, meets=COE),
        assessment("A3", date(2020, 7, 15), sought=COE, meets=IS),
        withdrawal(date(2021, 1, 1)),
    )
    seen = [
        (c.on, c.award, c.kind, c.event_index, c.assessment_id, c.detail) for c in timeline(school)
    ]
    policy = "policy iqm-2025.1"
    assert seen == [
        (
            date(2020, 1, 15),
            IS,
            ChangeKind.AWARDED,
            0,
            "A1",
            f"granted; due 2023-01-15 (from held_on), {policy}",
        ),
        (
            date(2020, 1, 15),
            COE,
            ChangeKind.AWARDED,
            0,
            "A1",
            f"granted; due 2021-01-15 (from held_on), {policy}",
        ),
        (
            date(2020, 7, 15),
            IS,
            ChangeKind.RENEWED,
            1,
            "A2",
            f"granted; due 2023-07-15 (from held_on), {policy}",
        ),
        (
            date(2020, 7, 15),
            COE,
            ChangeKind.RENEWED,
            1,
            "A2",
            f"granted; due 2022-01-15 (anchored), {policy}",
        ),
        (
            date(2020, 7, 15),
            IS,
            ChangeKind.RENEWED,
            2,
            "A3",
            f"granted_lower; due 2023-07-15 (from held_on), {policy}",
        ),
        (
            date(2020, 7, 15),
            COE,
            ChangeKind.REVOKED,
            2,
            "A3",
            "by A3, which awarded inclusive_school (§7.9)",
        ),
        (date(2021, 1, 1), IS, ChangeKind.WITHDRAWN, 3, None, "by the withdrawal at events[3]"),
    ]


def test_LC_4_timeline_texts_of_time_passing_come_before_the_event_of_that_date() -> None:
    school = history(
        assessment("A1", date(2020, 1, 15), sought=COE, meets=COE),
        assessment("A2", date(2021, 4, 15), sought=IS, meets=IS),
    )
    seen = [(c.on, c.award, c.kind, c.detail) for c in timeline(school)][2:6]
    assert seen == [
        (date(2020, 7, 15), COE, ChangeKind.WINDOW_OPENED, "renewal window opens; due 2021-01-15"),
        (
            date(2021, 1, 15),
            COE,
            ChangeKind.OVERDUE,
            "due date passed; lapses on 2021-04-15 unless renewed",
        ),
        (date(2021, 4, 15), COE, ChangeKind.LAPSED, "not renewed after due 2021-01-15"),
        (
            date(2021, 4, 15),
            IS,
            ChangeKind.RENEWED,
            "granted; due 2024-04-15 (from held_on), policy iqm-2025.1",
        ),
    ]


def test_LC_3_a_refusal_revokes_with_its_reason() -> None:
    school = history(
        assessment("A1", date(2020, 1, 15), sought=COE, meets=COE),
        assessment("A2", date(2020, 3, 1), sought=COE, meets=None),
    )
    revoked = [(c.award, c.kind, c.assessment_id, c.detail) for c in timeline(school)][2:]
    assert revoked == [
        (IS, ChangeKind.REVOKED, "A2", "by A2, refused (§7.2)"),
        (COE, ChangeKind.REVOKED, "A2", "by A2, refused (§7.2)"),
    ]


@pytest.mark.parametrize(
    ("ending", "why"),
    [
        (
            withdrawal(date(2020, 3, 1)),
            "was withdrawn on 2020-03-01 (by the withdrawal at events[1])",
        ),
        (
            assessment("A2", date(2020, 3, 1), sought=COE, meets=None),
            "was revoked on 2020-03-01 (by A2, refused (§7.2))",
        ),
        (
            assessment("A2", date(2020, 3, 1), sought=IS, meets=IS),
            "was revoked on 2020-03-01 (by A2, which awarded inclusive_school (§7.9))",
        ),
    ],
)
def test_LC_6_a_review_after_the_end_names_how_centre_of_excellence_ended(
    ending: Event, why: str
) -> None:
    school = history(
        assessment("A1", date(2020, 1, 15), sought=COE, meets=COE),
        ending,
        review("A3", date(2020, 4, 1), sought=COE, meets=COE),
    )
    with pytest.raises(InvalidRecord) as raised:
        replay(school)
    assert str(raised.value) == (
        "events[2].kind: review A3 needs centre_of_excellence or flagship held on 2020-04-01; "
        f"centre_of_excellence {why}"
    )


def test_LC_4_a_level_capped_by_the_level_below_says_so() -> None:
    """inclusive_school due yearly, centre_of_excellence every two years: the lower lapses first."""
    capped = Policy(cycle_years={IS: 1, COE: 2, Award.FLAGSHIP: 1})
    first = assessment("A1", date(2020, 1, 15), sought=COE, meets=COE)
    ends = [(c.on, c.award, c.kind, c.detail) for c in timeline(history(first), capped)][-2:]
    assert ends == [
        (date(2021, 4, 15), IS, ChangeKind.LAPSED, "not renewed after due 2021-01-15"),
        (
            date(2021, 4, 15),
            COE,
            ChangeKind.LAPSED,
            "capped by inclusive_school, which ended then (LC-4, §7.3)",
        ),
    ]
    late = review("A2", date(2021, 6, 1), sought=COE, meets=COE)
    with pytest.raises(InvalidRecord) as raised:
        replay(history(first, late), capped)
    assert str(raised.value).endswith(
        "; centre_of_excellence lapsed on 2021-04-15 "
        "(capped by inclusive_school, which ended then (LC-4, §7.3))"
    )


def test_LC_2_a_renewal_window_before_the_calendar_names_the_held_on() -> None:
    early = Policy(evidence_window_months=3, renewal_window_months=1_200)
    held_on = date(1, 6, 1)
    first = assessment("A1", held_on, sought=IS, meets=IS, evidence=good_evidence(held_on))
    with pytest.raises(InvalidRecord) as raised:
        replay(history(first), early)
    assert str(raised.value) == (
        "events[0].held_on: renewal window 1200 months before 0004-06-01 is before 0001-01-01"
    )


def test_LC_7_flagship_eligibility_is_checked_under_every_policy_of_the_book() -> None:
    """Centre of Excellence awarded in 9990: three years on is in the calendar, but the older
    policy's hundred years are not, and a status could read that policy (§7.11)."""
    book = PolicyBook(
        (
            Policy(id="old", flagship_min_coe_years=100),
            Policy(id="new", effective_from=date(2000, 1, 1)),
        )
    )
    late = history(assessment("A1", date(9990, 1, 1), sought=COE, meets=COE))
    with pytest.raises(InvalidRecord) as raised:
        replay(late, book)
    assert str(raised.value) == (
        "events[0].held_on: Flagship eligibility 100 years after 9990-01-01 is past 9999-12-31"
    )
    assert replay(late, book.policies[1]).status(date(9990, 1, 1)).level is COE


@st.composite
def _awarding_histories(draw: st.DrawFn) -> SchoolHistory:
    """Histories whose assessments are judged established or better, months to years apart:
    awards, renewals, revocations, lapses and withdrawals, so the timeline has changes."""
    day = draw(days)
    events: list[Event] = []
    for index in range(draw(st.integers(1, 6))):
        day = add_months(day, draw(st.integers(0, 40)))
        if draw(st.integers(0, 5)) == 0:
            events.append(withdrawal(day))
            continue
        events.append(
            draw(
                assessments(
                    id=f"A{index + 1}",
                    held_on=day,
                    kind=AssessmentKind.FULL,
                    judgements=judgement_maps(minimum=Judgement.ESTABLISHED),
                )
            )
        )
    return history(*events)


@given(_awarding_histories(), st.integers(0, 12 * 20), st.integers(0, 30))
def test_a_replay_without_its_timeline_has_the_same_steps_status_and_upcoming(
    school: SchoolHistory, months: int, days_on: int
) -> None:
    """status and upcoming replay without describing the changes; nothing else differs."""
    as_of = add_days(add_months(event_date(school.events[0]), months), days_on)
    full = lifecycle.replay(school)
    bare = lifecycle._replay(school, DEFAULT_POLICY, timeline=False)
    event(
        "no changes" if not full.changes else f"{'1-5' if len(full.changes) <= 5 else '6+'} changes"
    )
    event("some award held on as_of" if full.status(as_of).level else "nothing held on as_of")
    assert bare.changes == ()
    assert bare.steps == full.steps
    assert lifecycle.status(school, as_of) == full.status(as_of)
    assert lifecycle.upcoming(school, as_of, months=30) == full.upcoming(as_of, months=30)

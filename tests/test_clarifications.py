"""The clarifications of RULEBOOK §7 that concern status over time, one test each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import assessment, history, review, withdrawal
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import Event
from iqm_rules.lifecycle.replay import AwardState, AwardStatus, ChangeKind, status, timeline
from iqm_rules.policy import Policy

IS = Award.INCLUSIVE_SCHOOL
COE = Award.CENTRE_OF_EXCELLENCE
FS = Award.FLAGSHIP

COE_AWARDED = assessment("A1", date(2023, 1, 1), sought=COE, meets=COE)
"""Centre of Excellence due 2024-01-01, lapsing 2024-04-01."""


def invalid_review(*before: Event, on: date) -> InvalidRecord:
    school = history(*before, review("R", on, sought=COE, meets=COE))
    with pytest.raises(InvalidRecord) as raised:
        status(school, on)
    assert raised.value.path == f"events[{len(before)}].kind"
    return raised.value


def test_clarification_7_1_review_the_day_before_the_lapse_is_valid() -> None:
    school = history(COE_AWARDED, review("R", date(2024, 3, 31), sought=COE, meets=COE))
    assert status(school, date(2024, 3, 31)).award(COE).due == date(2025, 1, 1)


def test_clarification_7_1_review_on_the_lapse_day_is_invalid() -> None:
    error = invalid_review(COE_AWARDED, on=date(2024, 4, 1))
    assert str(error) == (
        "events[1].kind: review R needs centre_of_excellence or flagship held on 2024-04-01; "
        "centre_of_excellence lapsed on 2024-04-01 (not renewed after due 2024-01-01)"
    )


def test_clarification_7_1_review_after_a_withdrawal_is_invalid() -> None:
    error = invalid_review(COE_AWARDED, withdrawal(date(2023, 6, 1)), on=date(2023, 6, 1))
    assert "centre_of_excellence was withdrawn on 2023-06-01" in str(error)


def test_clarification_7_1_review_after_a_refusal_is_invalid() -> None:
    refused = assessment("A2", date(2023, 6, 1), sought=COE, meets=None)
    error = invalid_review(COE_AWARDED, refused, on=date(2023, 7, 1))
    assert "centre_of_excellence was revoked on 2023-06-01 (by A2, refused" in str(error)


def test_clarification_7_1_review_as_first_event_is_invalid() -> None:
    error = invalid_review(on=date(2023, 7, 1))
    assert "centre_of_excellence was never held" in str(error)


def test_clarification_7_1_prior_is_taken_after_earlier_same_date_events() -> None:
    same_day = date(2023, 6, 1)
    error = invalid_review(COE_AWARDED, withdrawal(same_day), on=same_day)
    assert "withdrawn" in str(error)
    school = history(
        withdrawal(same_day),
        assessment("A2", same_day, sought=COE, meets=COE),
        review("R", same_day, sought=FS, meets=COE),
    )
    assert status(school, same_day).award(COE).state is AwardState.ACTIVE


def reaching(level: Award) -> list[Event]:
    """Events that leave ``level`` held on 2021-01-01 (due 2022-01-01 for CoE and Flagship)."""
    if level is not FS:
        return [assessment("A1", date(2021, 1, 1), sought=level, meets=level)]
    events: list[Event] = [assessment("A1", date(2018, 1, 1), sought=COE, meets=COE)]
    events += [review(f"R{y}", date(2018 + y, 1, 1), sought=COE, meets=COE) for y in (1, 2)]
    return [*events, review("A3", date(2021, 1, 1), sought=FS, meets=FS)]


@given(held=st.sampled_from(Award), later=st.integers(0, 300), sought=st.sampled_from(Award))
def test_clarification_7_2_refusal_revokes_every_held_level(
    held: Award, later: int, sought: Award
) -> None:
    refused_on = date(2021, 1, 1) + timedelta(days=later)
    refusal = assessment("A9", refused_on, sought=sought, meets=None)
    before = status(history(*reaching(held)), refused_on)
    assert before.level is held
    report = status(history(*reaching(held), refusal), refused_on)
    assert report.level is None
    for award in Award:
        if award <= held:
            assert report.award(award).state is AwardState.REVOKED
            assert report.award(award).ended_on == refused_on
            assert report.award(award).due == before.award(award).due
        else:
            assert report.award(award).state is AwardState.NOT_HELD


def test_clarification_7_3_capped_level_lapses_on_the_cap_with_its_own_lapses_on() -> None:
    policy = Policy(cycle_years={IS: 1, COE: 2, FS: 1}, grace_months=2)
    school = history(assessment("A1", date(2020, 5, 31), sought=COE, meets=COE))
    assert status(school, date(2021, 7, 30), policy).award(COE).state is AwardState.ACTIVE
    capped = status(school, date(2021, 7, 31), policy)
    assert capped.award(IS).ended_on == date(2021, 7, 31)
    assert capped.award(COE) == AwardStatus(
        COE,
        AwardState.LAPSED,
        since=date(2020, 5, 31),
        due=date(2022, 5, 31),
        lapses_on=date(2022, 7, 31),
        ended_on=date(2021, 7, 31),
    )
    lapses = [c for c in timeline(school, policy) if c.kind is ChangeKind.LAPSED]
    assert [(c.award, c.on) for c in lapses] == [(IS, date(2021, 7, 31)), (COE, date(2021, 7, 31))]


def test_clarification_7_4_ended_awards_keep_their_clock_and_not_held_has_none() -> None:
    school = history(COE_AWARDED, withdrawal(date(2023, 8, 1)))
    report = status(school, date(2030, 1, 1))
    assert report.award(COE) == AwardStatus(
        COE,
        AwardState.WITHDRAWN,
        since=date(2023, 1, 1),
        due=date(2024, 1, 1),
        lapses_on=date(2024, 4, 1),
        ended_on=date(2023, 8, 1),
    )
    assert report.award(FS) == AwardStatus(FS, AwardState.NOT_HELD, None, None, None, None)


def test_clarification_7_4_withdrawal_when_nothing_is_held_changes_nothing() -> None:
    lapsed = history(COE_AWARDED)
    withdrawn_late = history(COE_AWARDED, withdrawal(date(2027, 1, 1)))
    as_of = date(2028, 1, 1)
    assert status(withdrawn_late, as_of).awards == status(lapsed, as_of).awards
    assert timeline(withdrawn_late) == timeline(lapsed)
    empty = history(withdrawal(date(2020, 1, 1)))
    assert all(a.state is AwardState.NOT_HELD for a in status(empty, as_of).awards)


def test_clarification_7_5_flagship_eligible_from_while_coe_is_held() -> None:
    events: list[Event] = [assessment("A1", date(2020, 3, 1), sought=COE, meets=COE)]
    events += [review(f"R{y}", date(2020 + y, 3, 1), sought=COE, meets=COE) for y in (1, 2)]
    events.append(review("A3", date(2023, 3, 1), sought=FS, meets=FS))
    events.append(review("A4", date(2024, 3, 1), sought=COE, meets=IS))
    school = history(*events)
    assert status(school, date(2020, 3, 1)).flagship_eligible_from == date(2023, 3, 1)
    with_flagship = status(school, date(2023, 3, 1))
    assert with_flagship.level is FS
    assert with_flagship.flagship_eligible_from == date(2023, 3, 1)
    assert status(school, date(2024, 2, 29)).flagship_eligible_from == date(2023, 3, 1)
    revoked = status(school, date(2024, 3, 1))
    assert revoked.level is IS
    assert revoked.flagship_eligible_from is None


def test_clarification_7_8_later_events_ignored_but_validated_and_order_is_by_date() -> None:
    school = history(
        review("A3", date(2021, 6, 1), sought=COE, meets=COE),
        assessment("A1", date(2020, 6, 1), sought=COE, meets=COE),
    )
    report = status(school, date(2021, 6, 1))
    assert [d.assessment_id for d in report.decisions] == ["A1", "A3"]
    assert [d.assessment_id for d in status(school, date(2020, 6, 1)).decisions] == ["A1"]
    bad_later = history(
        assessment("A1", date(2020, 6, 1), sought=COE, meets=COE),
        review("A2", date(2022, 6, 1), sought=COE, meets=COE),
    )
    with pytest.raises(InvalidRecord) as raised:
        status(bad_later, date(2020, 6, 1))
    assert raised.value.path == "events[1].kind"


def test_clarification_7_9_a_success_renews_lower_levels_and_revokes_higher() -> None:
    school = history(
        assessment("A1", date(2020, 1, 1), sought=COE, meets=COE),
        review("A2", date(2020, 12, 1), sought=COE, meets=COE),
        assessment("A3", date(2021, 6, 1), sought=IS, meets=FS),
    )
    assert status(school, date(2020, 1, 1)).award(IS).due == date(2023, 1, 1)
    renewed = status(school, date(2020, 12, 1))
    assert renewed.award(IS).due == date(2023, 12, 1)
    assert renewed.award(COE).due == date(2022, 1, 1)
    lower = status(school, date(2021, 6, 1))
    assert lower.decisions[-1].awarded_level is IS
    assert lower.award(COE).state is AwardState.REVOKED
    assert lower.award(COE).ended_on == date(2021, 6, 1)
    assert lower.award(IS).state is AwardState.ACTIVE
    assert lower.award(IS).due == date(2024, 6, 1)

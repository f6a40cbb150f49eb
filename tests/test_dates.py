"""Whole-number month arithmetic gives exactly ``relativedelta``'s answers; past the calendar,
the library's own :class:`DateOutOfRange` where ``relativedelta`` fails (RULEBOOK §7.11)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from iqm_rules import _dates
from iqm_rules._dates import DateOutOfRange, add_months, add_years, parse_date
from iqm_rules.awards import Award
from iqm_rules.policy import DEFAULT_POLICY

CYCLE_START = date(2000, 1, 1)
CYCLE_DAYS = 146_097
"""The Gregorian calendar repeats every 400 years: 146,097 days."""


def _offsets_used() -> list[int]:
    """Every month offset the rules and the replay use under the default policy, and neighbours."""
    policy = DEFAULT_POLICY
    used = {
        -policy.evidence_window_months,
        -policy.renewal_window_months,
        policy.grace_months,
        12 * policy.flagship_min_coe_years,
        *(12 * policy.cycle(award) for award in Award),
    }
    return sorted(used | {1, -1, 0})


def test_a_400_year_cycle_is_146097_days() -> None:
    assert date(2400, 1, 1) - CYCLE_START == timedelta(days=CYCLE_DAYS)


@pytest.mark.parametrize("months", _offsets_used())
def test_add_months_equals_relativedelta_on_every_day_of_a_400_year_cycle(months: int) -> None:
    step = relativedelta(months=months)
    one = timedelta(days=1)
    day = CYCLE_START
    wrong = []
    for _ in range(CYCLE_DAYS):
        if add_months(day, months) != day + step:
            wrong.append(day)
        day += one
    assert wrong == []


@given(st.dates(), st.integers(-130_000, 130_000))
def test_add_months_equals_relativedelta_anywhere(day: date, months: int) -> None:
    try:
        expected: date | str = day + relativedelta(months=months)
    except (ValueError, OverflowError):
        expected = "past the calendar"  # the library's own error instead (RULEBOOK §7.11)
    try:
        found: date | str = add_months(day, months)
    except DateOutOfRange:
        found = "past the calendar"
    assert found == expected


@given(st.dates(), st.integers(-10_000, 10_000))
def test_add_years_is_twelve_months(day: date, years: int) -> None:
    try:
        expected: date | str = day + relativedelta(years=years)
    except ValueError:
        expected = "past the calendar"  # the library's own error instead (RULEBOOK §7.11)
    try:
        found: date | str = add_years(day, years)
    except DateOutOfRange:
        found = "past the calendar"
    assert found == expected


def test_month_ends_clamp_as_the_rulebook_says() -> None:
    assert add_years(date(2020, 2, 29), 3) == date(2023, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2100, 3, 31), -1) == date(2100, 2, 28)
    assert add_months(date(9999, 12, 31), 0) == date(9999, 12, 31)
    with pytest.raises(DateOutOfRange, match="1 month after 9999-12-01 is past 9999-12-31"):
        add_months(date(9999, 12, 1), 1)


_WRITTEN_TEXT = st.one_of(
    st.dates().map(date.isoformat),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.text(alphabet="0123456789-T: ", max_size=12),
)


@given(st.lists(_WRITTEN_TEXT, max_size=20))
def test_parse_date_answers_as_the_calendar_does_whatever_it_has_seen(texts: list[str]) -> None:
    """The remembered dates change no answer: each text, read twice, gives what
    ``date.fromisoformat`` gives for text written ``YYYY-MM-DD``, and nothing for the rest."""
    for text in texts * 2:
        written = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is not None
        try:
            expected: date | str | None = date.fromisoformat(text) if written else None
        except ValueError:
            expected = "refused"
        try:
            found: date | str | None = parse_date(text)
        except ValueError:
            found = "refused"
        assert found == expected


def test_parse_date_remembers_a_bounded_number_of_dates() -> None:
    start = date(2000, 1, 1)
    for offset in range(_dates._REMEMBERED + 10):
        parse_date((start + timedelta(days=offset)).isoformat())
        assert len(_dates._PARSED) <= _dates._REMEMBERED
    assert parse_date("2000-01-01") == start

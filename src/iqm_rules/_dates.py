"""The one date arithmetic helper: calendar months and years, as ``dateutil.relativedelta``.

Adding months or years to a day the target month lacks gives that month's last day, as the
rulebook (section 1) requires: 29 Feb 2020 + 3 years = 28 Feb 2023. The arithmetic is whole
numbers (a replay does it several times per event, and ``relativedelta`` costs a few µs a call);
``tests/test_dates.py`` compares both over every day of a 400-year calendar cycle. A result
outside years 1-9999 raises :class:`DateOutOfRange` (RULEBOOK §7.11).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Final

from iqm_rules.errors import InvalidRecord

__all__ = ["DateOutOfRange", "add_days", "add_months", "add_years", "is_date", "parse_date"]

_WRITTEN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class DateOutOfRange(InvalidRecord):
    """A date the rules compute falls outside ``0001-01-01`` to ``9999-12-31`` (§7.11).

    Its path is that of the date that produced it; callers place it further with
    :meth:`~iqm_rules.errors.InvalidRecord.within`.
    """

    @classmethod
    def moving(cls, what: str, day: date, amount: int, unit: str, at: str) -> DateOutOfRange:
        """``due date 3 years after 9999-03-12 is past 9999-12-31``, at path ``at``."""
        shown = f"{abs(amount)} {unit}{'' if abs(amount) == 1 else 's'}"
        if amount >= 0:
            return cls(at, f"{what} {shown} after {day.isoformat()} is past {date.max.isoformat()}")
        return cls(at, f"{what} {shown} before {day.isoformat()} is before {date.min.isoformat()}")


def add_months(day: date, months: int, what: str = "date", at: str = "") -> date:
    """``day`` moved by ``months`` calendar months (negative moves back), clamped to month end.

    ``what`` names the computed date, and ``at`` the path of ``day``, in the
    :class:`DateOutOfRange` raised past the calendar.

    >>> add_months(date(2024, 3, 10), -18)
    datetime.date(2022, 9, 10)
    >>> add_months(date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    >>> add_months(date(1, 3, 1), -18, "recency window")
    Traceback (most recent call last):
    iqm_rules._dates.DateOutOfRange: recency window 18 months before 0001-03-01 is before 0001-01-01
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise DateOutOfRange.moving(what, day, months, "month", at)
    last = _DAYS_IN_MONTH[month]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return day.replace(year=year, month=month, day=min(day.day, last))


def add_years(day: date, years: int, what: str = "date", at: str = "") -> date:
    """``day`` moved by ``years`` calendar years, clamped to month end.

    >>> add_years(date(2020, 2, 29), 3)
    datetime.date(2023, 2, 28)
    >>> add_years(date(9999, 3, 12), 3, "due date")
    Traceback (most recent call last):
    iqm_rules._dates.DateOutOfRange: due date 3 years after 9999-03-12 is past 9999-12-31
    """
    if not 1 <= day.year + years <= 9999:
        raise DateOutOfRange.moving(what, day, years, "year", at)
    return add_months(day, 12 * years)


def add_days(day: date, days: int, what: str = "date", at: str = "") -> date:
    """``day`` moved by ``days`` days.

    >>> add_days(date(9999, 12, 31), 1, "Flagship eligibility")
    Traceback (most recent call last):
    iqm_rules._dates.DateOutOfRange: Flagship eligibility 1 day after 9999-12-31 is past 9999-12-31
    """
    if not date.min.toordinal() <= day.toordinal() + days <= date.max.toordinal():
        raise DateOutOfRange.moving(what, day, days, "day", at)
    return day + timedelta(days=days)


def is_date(value: object) -> bool:
    """A calendar date, and not a ``datetime`` (which carries a time the rules do not have)."""
    return type(value) is date or (isinstance(value, date) and not isinstance(value, datetime))


def parse_date(text: str) -> date | None:
    """The date ``text`` writes exactly as ``YYYY-MM-DD``; ``None`` if it is written otherwise.

    Raises ``ValueError`` for a date written well that the calendar lacks.

    >>> parse_date("2024-02-29"), parse_date("20240229")
    (datetime.date(2024, 2, 29), None)
    >>> parse_date("2023-02-29")
    Traceback (most recent call last):
    ValueError: day is out of range for month
    """
    # Fast path: the same few hundred days recur across a history's evidence, and one dict
    # lookup costs a fifth of the pattern match and the parse (the load + status benchmark
    # target). Text not seen before falls through to both.
    day = _PARSED.get(text)
    if day is not None:
        return day
    if not _WRITTEN.fullmatch(text):
        return None
    day = date.fromisoformat(text)
    if len(_PARSED) >= _REMEMBERED:
        _PARSED.clear()
    _PARSED[text] = day
    return day


_REMEMBERED: Final = 16384
"""Enough for every day of some forty years: the evidence of a whole scheme's histories (a
batch of thousands of schools holds about 10,000 different dates), where a smaller table filled
and was emptied over and over; at most about 2 MB."""
_PARSED: dict[str, date] = {}
"""Text already parsed to a date; emptied when it holds :data:`_REMEMBERED` entries."""

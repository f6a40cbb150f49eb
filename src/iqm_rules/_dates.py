"""The one date arithmetic helper: calendar months and years, as ``dateutil.relativedelta``.

Adding months or years to a day the target month lacks gives that month's last day, as the
rulebook (section 1) requires: 29 Feb 2020 + 3 years = 28 Feb 2023. The arithmetic is whole
numbers (a replay does it several times per event, and ``relativedelta`` costs a few µs a call);
a result outside years 1-9999 goes through ``relativedelta`` itself, so that even its errors are
the same. ``tests/test_dates.py`` compares both over every day of a 400-year calendar cycle.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache, lru_cache

from dateutil.relativedelta import relativedelta

__all__ = ["add_months", "add_years", "is_date", "parse_date"]

_WRITTEN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative moves back), clamped to month end.

    >>> add_months(date(2024, 3, 10), -18)
    datetime.date(2022, 9, 10)
    >>> add_months(date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if not 1 <= year <= 9999:
        moved: date = day + _months(months)
        return moved
    last = _DAYS_IN_MONTH[month]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return day.replace(year=year, month=month, day=min(day.day, last))


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` calendar years, clamped to month end.

    >>> add_years(date(2020, 2, 29), 3)
    datetime.date(2023, 2, 28)
    """
    return add_months(day, 12 * years)


@cache
def _months(count: int) -> relativedelta:
    """One ``relativedelta`` per month count, made once (they are immutable in use): the way
    of results outside years 1-9999."""
    return relativedelta(months=count)


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
    if not _WRITTEN.fullmatch(text):
        return None
    return _calendar(text)


@lru_cache(maxsize=4096)
def _calendar(text: str) -> date:
    """The date of ``YYYY-MM-DD`` text; the same days recur across a history's evidence."""
    return date.fromisoformat(text)

"""The one date arithmetic helper: calendar months and years via ``dateutil.relativedelta``.

Adding months or years to a day the target month lacks gives that month's last day, as the
rulebook (section 1) requires: 29 Feb 2020 + 3 years = 28 Feb 2023.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from dateutil.relativedelta import relativedelta

__all__ = ["add_months", "add_years", "is_date", "parse_date"]

_WRITTEN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative moves back), clamped to month end.

    >>> add_months(date(2024, 3, 10), -18)
    datetime.date(2022, 9, 10)
    >>> add_months(date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    """
    moved: date = day + _months(months)
    return moved


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` calendar years, clamped to month end.

    >>> add_years(date(2020, 2, 29), 3)
    datetime.date(2023, 2, 28)
    """
    moved: date = day + _months(12 * years)
    return moved


@cache
def _months(count: int) -> relativedelta:
    """One ``relativedelta`` per month count, made once (they are immutable in use)."""
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
    return date.fromisoformat(text)

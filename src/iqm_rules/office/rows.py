"""The scheme office's view of many schools: the dates coming up, and who holds what.

``upcoming`` and ``register`` read many histories (a JSON Lines file, a directory of documents,
or one document) through :mod:`iqm_rules.cli.batching`. Each history becomes a few small
:class:`Due` or :class:`Holding` rows in a worker; only the rows are kept, never the histories,
so ``upcoming`` can sort them all at the end. Rows come out as text for people (award and
state titles, long dates) or as CSV and JSON Lines for programs (the raw values of the formats,
ISO dates).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from attrs import frozen

from iqm_rules.awards import Award
from iqm_rules.interchange import load_history
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.lifecycle.next_steps import next_steps
from iqm_rules.lifecycle.replay import AwardState, replay
from iqm_rules.policy import Policy, PolicyBook

__all__ = [
    "Due",
    "Holding",
    "due_header",
    "due_rows",
    "holding_header",
    "holding_rows",
    "rows_csv",
    "rows_json",
]


@frozen
class Due:
    """One date ahead for one school's award: its window opens, it falls due, or it lapses."""

    school_id: str
    school_name: str
    award: Award
    what: str
    """``window_opens``, ``annual_review_due``, ``reassessment_due`` or ``lapses``."""
    on: date
    days_left: int
    also_ends: tuple[Award, ...] = ()

    def sort_key(self) -> tuple[date, str, int, int]:
        return (self.on, self.school_id, self.award.rank, _WHAT_ORDER.index(self.what))

    def happens(self) -> str:
        """What happens, in plain words."""
        said = _WHAT_WORDS[self.what]
        if self.also_ends:
            said += ", and " + " and ".join(a.title for a in self.also_ends) + " with it"
        return said


_WHAT_ORDER = ("window_opens", "reassessment_due", "annual_review_due", "lapses")
_WHAT_WORDS = {
    "window_opens": "renewal window opens",
    "reassessment_due": "reassessment due",
    "annual_review_due": "annual review due",
    "lapses": "lapses if not renewed",
}


@frozen
class Holding:
    """One award a school holds on the date of the register, with its dates."""

    school_id: str
    school_name: str
    award: Award
    state: AwardState
    since: date | None
    due: date | None
    lapses_on: date | None


class Policies(Protocol):
    """Where a worker finds the policy book: loaded once per process, as the command line's
    ``--policy`` source is (:class:`iqm_rules.cli.inputs.PolicySource`)."""

    def load(self) -> Policy | PolicyBook: ...


def due_rows(as_of: date, within: int, policy: Policies, text: bytes) -> tuple[Due, ...]:
    """Every window opening, due date and lapse of one history in ``[as_of, as_of + within]``
    (run in a worker with ``--jobs``)."""
    history = load_history(text)
    replayed = replay(history, policy.load())
    until = as_of + timedelta(days=within)
    rows: list[Due] = []
    for step in next_steps(replayed, as_of):
        dates = (
            ("window_opens", step.window_opens, ()),
            (f"{step.what.value}_due", step.due, ()),
            ("lapses", step.lapses_on, step.also_ends),
        )
        for what, on, also in dates:
            if as_of <= on <= until:
                rows.append(
                    Due(
                        history.school.id,
                        history.school.name,
                        step.award,
                        what,
                        on,
                        (on - as_of).days,
                        also,
                    )
                )
    return tuple(rows)


def holding_rows(as_of: date, policy: Policies, text: bytes) -> tuple[Holding, ...]:
    """Every award one history holds on ``as_of`` (run in a worker with ``--jobs``)."""
    history = load_history(text)
    report = replay(history, policy.load()).status(as_of)
    return tuple(
        Holding(
            history.school.id,
            history.school.name,
            held.award,
            held.state,
            held.since,
            held.due,
            held.lapses_on,
        )
        for held in report.awards
        if held.state.is_held
    )


# --- output for programs -------------------------------------------------------------------------


def _raw(value: object) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Award | AwardState):
        return value.value
    if isinstance(value, tuple):
        return [_raw(v) for v in value]
    return value


def _fields(row: Due | Holding) -> dict[str, Any]:
    if isinstance(row, Due):
        return {
            "school_id": row.school_id,
            "school_name": row.school_name,
            "award": _raw(row.award),
            "what": row.what,
            "on": _raw(row.on),
            "days_left": row.days_left,
            "also_ends": _raw(row.also_ends),
        }
    return {
        "school_id": row.school_id,
        "school_name": row.school_name,
        "award": _raw(row.award),
        "state": _raw(row.state),
        "since": _raw(row.since),
        "due": _raw(row.due),
        "lapses_on": _raw(row.lapses_on),
    }


def rows_json(rows: Iterable[Due | Holding]) -> Iterable[str]:
    """One compact JSON object a line, keys sorted: what ``--json`` prints."""
    for row in rows:
        yield canonical_json(_fields(row))


def rows_csv(header: Sequence[str], rows: Iterable[Due | Holding]) -> Iterable[str]:
    """The CSV lines of ``rows`` under ``header`` (raw values, ISO dates, ``;`` within a cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        fields = _fields(row)
        writer.writerow(
            ";".join(v) if isinstance(v, list) else ("" if v is None else v)
            for v in (fields[name] for name in header)
        )
        yield buffer.getvalue()


def due_header() -> tuple[str, ...]:
    return ("on", "days_left", "school_id", "school_name", "award", "what", "also_ends")


def holding_header() -> tuple[str, ...]:
    return ("school_id", "school_name", "award", "state", "since", "due", "lapses_on")

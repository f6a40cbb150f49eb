"""Status on request: what the decision log says a school held on a date, and on whose word.

Only status records answer (a decision record says what one assessment decided, not what the
school held). A status record of a school on ``A`` **covers** a date ``d`` when ``A ≤ d`` and
``d`` is before the earliest ``lapses_on`` of the awards it shows held on ``A``: until then,
unless something happened that it did not know of, the awards it shows held stay held (a
renewal window opening or a due date passing changes an award's state, not whether it is
held). A record showing nothing held covers every date from ``A`` on. Of the records that cover
``d``, the **latest logged** (highest sequence number) answers: it is the office's latest word,
a correction logged later included. See ``docs/readings.md``.

The answer gives the awards as that record shows them on its own date, the entry (its sequence
number, time, hash and signature) and the record itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from attrs import frozen

from iqm_rules._dates import parse_date
from iqm_rules.awards import Award
from iqm_rules.decision_log.entries import Entry, LogProblem
from iqm_rules.interchange.formats import LOG_STATUS_FORMAT

__all__ = ["HELD", "STANDING_FORMAT", "Standing", "Unanswered", "covered_until", "standing"]

STANDING_FORMAT: Final = LOG_STATUS_FORMAT
"""The ``format`` of the JSON answer (``log status --json``, ``GET /schools/{id}/status``)."""

HELD: Final = frozenset({"active", "renewal_due", "overdue"})
"""The award states in which an award is held (LC-5)."""


@frozen
class Standing:
    """The answer: what ``entry``'s status record, of ``record_as_of``, shows held, and the
    last day it covers (``None``: no end)."""

    school_id: str
    as_of: date
    entry: Entry
    record_as_of: date
    covers_until: date | None
    held: tuple[Award, ...]
    awards: Mapping[str, Any]

    def document(self) -> dict[str, Any]:
        """The ``iqm-rules/log-status@1`` JSON data of the answer, the record included."""
        entry = self.entry
        return {
            "format": STANDING_FORMAT,
            "school_id": self.school_id,
            "as_of": self.as_of.isoformat(),
            "held": [award.value for award in self.held],
            "awards": dict(self.awards),
            "record_as_of": self.record_as_of.isoformat(),
            "covers_until": None if self.covers_until is None else self.covers_until.isoformat(),
            "entry": {
                "sequence": entry.sequence,
                "written_at": entry.written_at,
                "hash": entry.hash,
                "signature": entry.signature_document(),
            },
            "record": json.loads(entry.record),
        }


@frozen
class Unanswered:
    """No record covers the date: ``known`` says whether the log holds any record of the
    school; ``latest`` is its latest logged status record, if any (what it covers is shown)."""

    school_id: str
    as_of: date
    known: bool
    latest: Standing | None

    def reason(self) -> str:
        """Why there is no answer, for people and for a 404."""
        if not self.known:
            return f"the log holds no record of school {self.school_id}"
        if self.latest is None:
            return f"the log holds no status record of school {self.school_id}"
        latest = self.latest
        end = "on" if latest.covers_until is None else f"to {latest.covers_until}"
        return (
            f"no status record of school {self.school_id} covers {self.as_of}; the latest "
            f"logged, entry {latest.entry.sequence}, covers {latest.record_as_of} {end}"
        )


def _status(entry: Entry, school_id: str, as_of: date) -> Standing | None:
    """The answer ``entry`` gives if it holds a status record of the school (its own
    ``as_of`` as the date asked for); ``None`` otherwise."""
    try:
        data = json.loads(entry.record)
    except (ValueError, RecursionError):
        return None
    question = data.get("question") if isinstance(data, dict) else None
    output = data.get("output") if isinstance(data, dict) else None
    if not isinstance(question, dict) or question.get("kind") != "status":
        return None
    if not isinstance(output, dict) or output.get("school_id", school_id) != school_id:
        return None
    awards = output.get("awards")
    recorded = _date(question.get("as_of"))
    if not isinstance(awards, dict) or recorded is None:
        return None
    held = tuple(a for a in Award if _member(awards, a.value).get("state") in HELD)
    return Standing(
        school_id, as_of, entry, recorded, covered_until(awards, recorded), held, awards
    )


def covered_until(awards: Mapping[str, Any], recorded: date) -> date | None:
    """The last day a status of ``recorded`` covers: the day before the earliest
    ``lapses_on`` after it of an award it shows held; ``None`` if it shows none held.

    >>> covered_until({"flagship": {"state": "active", "lapses_on": "2026-10-01"},
    ...                "inclusive_school": {"state": "lapsed", "lapses_on": None}},
    ...               date(2025, 9, 1))
    datetime.date(2026, 9, 30)
    """
    ends = [
        day
        for status in awards.values()
        if isinstance(status, dict) and status.get("state") in HELD
        if (day := _date(status.get("lapses_on"))) is not None and day > recorded
    ]
    return None if not ends else date.fromordinal(min(ends).toordinal() - 1)


def standing(entries: Iterable[Entry], school_id: str, as_of: date) -> Standing | Unanswered:
    """What the log's ``entries`` (those of the school, in sequence order) say the school held
    on ``as_of`` (see the module docs). The answering entry must still give its own hash
    (:class:`LogProblem` otherwise: the log should be verified)."""
    known = False
    answer: Standing | None = None
    latest: Standing | None = None
    for entry in entries:
        known = True
        found = _status(entry, school_id, as_of)
        if found is None:
            continue
        latest = found
        end = found.covers_until
        if found.record_as_of <= as_of and (end is None or as_of <= end):
            answer = found
    if answer is None:
        return Unanswered(school_id, as_of, known, latest)
    if answer.entry.computed_hash() != answer.entry.hash:
        raise LogProblem(
            f"entry {answer.entry.sequence} does not give its own hash; run iqm-rules log verify"
        )
    return answer


def _member(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _date(value: object) -> date | None:
    try:
        return parse_date(value) if isinstance(value, str) else None
    except ValueError:
        return None

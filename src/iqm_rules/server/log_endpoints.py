"""The endpoints of ``serve --log LOG``: status on request and the log's head, read-only.

Each request opens the log read-only (:meth:`~iqm_rules.decision_log.sqlite.SQLiteStore.
read_only`) and closes it before answering: nothing a client sends writes to it, and entries
another process appends meanwhile are seen by the next request. ``GET /schools/{id}/status``
answers what :func:`iqm_rules.decision_log.standing.standing` answers (404 when the log does
not know the school, or no record of it covers the date); ``GET /log/head`` gives the last
sequence number and hash, which an office publishes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final

from iqm_rules._dates import parse_date
from iqm_rules.auditing.record import dump_record, record_status
from iqm_rules.decision_log.chain import head_of
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.standing import Unanswered, standing
from iqm_rules.decision_log.store import append_records
from iqm_rules.interchange import load_history
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.examples import example_text
from iqm_rules.server.endpoints import Call, Endpoint, Problem

__all__ = ["EXAMPLE_SCHOOL", "LOG_ENDPOINTS", "example_log"]


def _log(call: Call) -> str:
    if call.log is None:  # pragma: no cover - the routes exist only with a log
        raise Problem(404, "not_found", "this service was started without a decision log")
    return call.log


def _as_of(call: Call) -> date:
    text = call.query.get("as_of")
    if text is None:
        return date.today()  # the service's one clock read for an answer: today, as --as-of
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise Problem(
            422,
            "invalid_record",
            f"as_of: must be a date written YYYY-MM-DD, got {text!r}",
            path="as_of",
        )
    return day


def _school_status(call: Call) -> str:
    school, as_of = call.params["id"], _as_of(call)
    with SQLiteStore.read_only(_log(call)) as store:
        answer = standing(store.entries(school), school, as_of)
    if isinstance(answer, Unanswered):
        raise Problem(404, "not_found", answer.reason(), path="id")
    return canonical_json(answer.document())


def _log_head(call: Call) -> str:
    with SQLiteStore.read_only(_log(call)) as store:
        last = store.head()
    head = head_of(last)
    moment = None if last is None else last.written_at
    return canonical_json({"sequence": head.sequence, "hash": head.hash, "written_at": moment})


EXAMPLE_SCHOOL: Final = "URN-140876"
"""The school of the example log (the bundled ``flagship-journey``)."""


@contextmanager
def example_log() -> Iterator[str]:
    """A log of one status record of the bundled ``flagship-journey``, written at a fixed
    time, in a temporary directory removed afterwards: the OpenAPI document's examples."""
    history = load_history(example_text("flagship-journey"))
    record = dump_record(record_status(history, date(2025, 9, 1)))
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "example.log")
        with SQLiteStore.open(path) as store:
            append_records(store, [record], lambda: datetime(2025, 9, 1, 9, tzinfo=UTC))
        yield path


LOG_ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    Endpoint(
        "GET",
        "/schools/{id}/status",
        "What the decision log says a school held on as_of (default: today), from the latest "
        "logged status record that covers it, with that record and its entry",
        _school_status,
        "LogStatus",
        query=("as_of",),
    ),
    Endpoint(
        "GET",
        "/log/head",
        "The decision log's last sequence number and hash, and when that entry was written",
        _log_head,
        "LogHead",
    ),
)
"""The endpoints a service started with a decision log adds."""

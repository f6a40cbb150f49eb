"""Decision logs for the tests: real records of the bundled examples, a fixed clock, and
entries changed directly in SQL, as someone with the file could change them."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from iqm_rules import dump_record, example_text, load_history, record_decision, record_status
from iqm_rules.decision_log.entries import Entry, entry_hash
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.store import append_records

START = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def ticking(start: datetime = START) -> functools.partial[datetime]:
    """A clock that gives ``start``, then one second later at each read."""
    return functools.partial(next, _seconds(start))


def _seconds(start: datetime) -> Iterator[datetime]:
    moment = start
    while True:
        yield moment
        moment += timedelta(seconds=1)


@functools.cache
def records() -> tuple[str, ...]:
    """Real records: a status and a decision of each of three bundled examples."""
    made = []
    for name, assessment in (
        ("first-award", "HB-2024-01"),
        ("flagship-journey", "AG-2024-01"),
        ("coe-lapsed", None),
    ):
        history = load_history(example_text(name))
        made.append(dump_record(record_status(history, date(2025, 9, 1))))
        if assessment is not None:
            made.append(dump_record(record_decision(history, assessment)))
    return tuple(made)


def fake(number: int) -> str:
    """A small stand-in for a record's text, for tests of the chain alone."""
    return f'{{"format":"iqm-rules/record@1","n":{number}}}'


def written(path: Path, texts: list[str], one_by_one: bool = True) -> list[Entry]:
    """A log at ``path`` holding ``texts`` (one append each, or all in one), its entries."""
    clock = ticking()
    with SQLiteStore.open(str(path)) as store:
        if one_by_one:
            for text in texts:
                append_records(store, [text], clock)
        else:
            append_records(store, texts, clock)
        return list(store.entries())


def read(path: Path) -> list[Entry]:
    with SQLiteStore.read_only(str(path)) as store:
        return list(store.entries())


def sql(path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Run ``statements`` on the log's file in one transaction, as an editor of the file."""
    connection = sqlite3.connect(path)
    with connection:
        for statement, arguments in statements:
            connection.execute(statement, arguments)
    connection.close()


def insert(path: Path, entry: Entry) -> None:
    sql(
        path,
        (
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.sequence,
                entry.written_at,
                entry.record,
                entry.previous_hash,
                entry.hash,
                entry.signature,
                entry.key_id,
                entry.public_key,
            ),
        ),
    )


def renumber(path: Path, start: int, by: int) -> None:
    """Add ``by`` to the sequence number of every entry from ``start`` on (in two steps, so
    that no two rows share a number on the way)."""
    sql(
        path,
        ("UPDATE entries SET sequence = -sequence WHERE sequence >= ?", (start,)),
        ("UPDATE entries SET sequence = -sequence + ? WHERE sequence < 0", (by,)),
    )


def crafted(sequence: int, previous: str, text: str = '{"n":"crafted"}') -> Entry:
    """An entry whose own hash holds at ``sequence``, linking to ``previous``."""
    moment = "2025-09-01T12:00:00.000000Z"
    return Entry(sequence, moment, text, previous, entry_hash(sequence, moment, text, previous))

"""How a break of the chain is told, entry by entry, on chains built by hand; and the store's
errors for a log held by another writer, a path that is not a file, a folder that is not there."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import attrs
import pytest

from iqm_rules.decision_log.chain import Breach, Head, first_break
from iqm_rules.decision_log.entries import Entry, LogProblem, about, chained
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.standing import Unanswered, covered_until, standing
from logs import START, crafted, fake


def _chain(count: int) -> list[Entry]:
    return list(chained(None, [fake(i) for i in range(count)], START))


def _told(entries: list[Entry]) -> tuple[int, Breach, str]:
    found = first_break(entries)
    assert found is not None
    return found.entry, found.how, found.reason


def test_a_gap_before_an_entry_that_was_also_changed_is_a_deletion() -> None:
    chain = _chain(5)
    changed = attrs.evolve(chain[4], hash="0" * 64)
    assert _told([*chain[:2], changed]) == (
        3,
        Breach.DELETED,
        "the next entry is numbered 5",
    )


def test_two_deleted_entries_are_named_together() -> None:
    chain = _chain(5)
    assert _told([*chain[:1], *chain[3:]])[2] == (
        "entries 2 to 3 are missing: the next entry is numbered 4"
    )


def test_a_row_numbered_before_its_place_is_an_insertion() -> None:
    chain = _chain(3)
    stray = attrs.evolve(chain[1], sequence=1, hash="1" * 64)
    assert _told([chain[0], stray])[:2] == (2, Breach.INSERTED)


def test_garbage_put_in_before_an_entry_is_an_insertion() -> None:
    chain = _chain(3)
    garbage = Entry(2, "x", "{}", "y", "z" * 64)
    renumbered = attrs.evolve(chain[1], sequence=3)
    assert _told([chain[0], garbage, renumbered])[:2] == (2, Breach.INSERTED)


def test_a_sequence_number_changed_alone_is_an_edit() -> None:
    chain = _chain(3)
    moved = attrs.evolve(chain[2], sequence=7)
    assert _told([*chain[:2], moved]) == (3, Breach.EDITED, "its sequence number was changed to 7")


def test_an_entry_linking_past_the_one_before_it_names_those_put_in_between() -> None:
    chain = _chain(2)
    between = crafted(2, chain[0].hash)
    after = crafted(3, chain[0].hash)  # links to entry 1, past entry 2
    assert _told([chain[0], between, after])[:2] == (2, Breach.INSERTED)


def test_a_first_entry_that_links_to_nothing_is_an_edit() -> None:
    first = crafted(1, "a" * 64)
    assert _told([first]) == (1, Breach.EDITED, "it does not link to the start of a chain")


def test_a_published_head_with_sequence_0_asks_nothing() -> None:
    assert first_break(_chain(2), Head(0, "0" * 64)) is None
    with pytest.raises(ValueError, match="SEQUENCE:HASH"):
        Head.parse("2:" + "G" * 64)


def test_what_a_record_is_about_is_none_where_it_does_not_say() -> None:
    assert about('{"question":{"kind":"status","as_of":"2025-02-30"}}').as_of is None
    assert about("[1, 2]").school_id is None
    assert Entry(1, "t", "not JSON", "p", "h").document()["record"] == "not JSON"


def test_records_that_are_not_status_records_of_the_school_do_not_answer() -> None:
    texts = [
        "not JSON",
        '{"question":{"kind":"status","as_of":"2025-09-01"},"output":{"school_id":"B"}}',
        '{"question":{"kind":"status","as_of":"2025-09-01"},"output":{"awards":[]}}',
    ]
    entries = chained(None, texts, START)
    answer = standing(entries, "A", date(2025, 9, 1))
    assert isinstance(answer, Unanswered)
    assert answer.known
    assert answer.latest is None
    unreadable = {"flagship": {"state": "active", "lapses_on": "2025-02-30"}}
    assert covered_until(unreadable, START.date()) is None
    assert covered_until({}, START.date()) is None


def test_a_log_held_by_another_writer_is_waited_for_then_refused(tmp_path: Path) -> None:
    path = tmp_path / "log"
    store = SQLiteStore.open(str(path), timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # held until this test lets it go
    try:
        with pytest.raises(LogProblem) as appending:
            store.append(lambda head: chained(head, [fake(1)], START))
        with pytest.raises(LogProblem) as opening:
            SQLiteStore.open(str(path), timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.close()
    held = f"{path}: another program held the log for more than 0.2 s; nothing was appended"
    assert str(appending.value) == held
    assert str(opening.value) == held


def test_a_log_must_be_a_file_in_a_folder_that_is_there(tmp_path: Path) -> None:
    with pytest.raises(LogProblem, match="a decision log must be a file, got '-'"):
        SQLiteStore.open("-")
    with pytest.raises(LogProblem, match="cannot open it: no such file; nothing was done"):
        SQLiteStore.open(str(tmp_path / "missing" / "log"))

"""Any deletion, insertion, swap or edit of a log's entries, made directly in SQL, is found by
verifying the log, at the right entry (with the head published before the change, so that
deleting the last entries shows too)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iqm_rules.decision_log.chain import Breach, first_break, head_of, verify_log
from iqm_rules.decision_log.entries import GENESIS, entry_hash
from logs import crafted, fake, insert, read, records, renumber, sql, written

Change = Callable[[Path, int], tuple[int, Breach | None]]
"""A change of a log of ``n`` entries, and the entry (and how) verifying must name."""


def _delete(k: int) -> Change:
    def change(path: Path, n: int) -> tuple[int, Breach | None]:
        sql(path, ("DELETE FROM entries WHERE sequence = ?", (k,)))
        return k, Breach.DELETED

    return change


def _delete_and_renumber(k: int) -> Change:
    def change(path: Path, n: int) -> tuple[int, Breach | None]:
        sql(path, ("DELETE FROM entries WHERE sequence = ?", (k,)))
        renumber(path, k + 1, -1)
        return k, Breach.DELETED

    return change


def _insert(k: int, linked: bool) -> Change:
    """An entry put in at ``k``, the others moved up; ``linked``: it links to entry k-1."""

    def change(path: Path, n: int) -> tuple[int, Breach | None]:
        entries = read(path)
        previous = entries[k - 2].hash if k > 1 else GENESIS
        renumber(path, k, 1)
        insert(path, crafted(k, previous if linked else "f" * 64))
        return k, Breach.INSERTED

    return change


def _insert_at_the_end() -> Change:
    def change(path: Path, n: int) -> tuple[int, Breach | None]:
        insert(path, crafted(n + 1, "e" * 64))
        return n + 1, None

    return change


def _swap(i: int, j: int) -> Change:
    def change(path: Path, n: int) -> tuple[int, Breach | None]:
        sql(
            path,
            ("UPDATE entries SET sequence = -1 WHERE sequence = ?", (i,)),
            ("UPDATE entries SET sequence = ? WHERE sequence = ?", (i, j)),
            ("UPDATE entries SET sequence = ? WHERE sequence = -1", (j,)),
        )
        return i, Breach.REORDERED

    return change


def _move_to_the_end(k: int) -> Change:
    def change(path: Path, n: int) -> tuple[int, Breach | None]:
        sql(path, ("UPDATE entries SET sequence = ? WHERE sequence = ?", (n + 1, k)))
        renumber(path, k + 1, -1)
        return k, Breach.REORDERED

    return change


_FIELDS = ("written_at", "record", "previous_hash", "hash")


def _edit(k: int, column: str, rehash: bool) -> Change:
    def change(path: Path, n: int) -> tuple[int, Breach | None]:
        edited = (
            "substr(record, 1, length(record) - 1) || ',\"x\":1}'"  # still JSON, for the index
            if column == "record"
            else f"{column} || 'x'"
        )
        sql(path, (f"UPDATE entries SET {column} = {edited} WHERE sequence = ?", (k,)))
        if not rehash:
            return k, Breach.EDITED
        (entry,) = [e for e in read(path) if e.sequence == k]
        digest = entry_hash(entry.sequence, entry.written_at, entry.record, entry.previous_hash)
        sql(path, ("UPDATE entries SET hash = ? WHERE sequence = ?", (digest, k)))
        if column == "previous_hash":
            return k - 1 if k > 1 else 1, Breach.EDITED  # one of k - 1 and k: see chain.py
        return k, Breach.EDITED if k < n else Breach.REWRITTEN

    return change


@st.composite
def _changes(draw: st.DrawFn) -> tuple[int, Change]:
    n = draw(st.integers(2, 9))
    k = draw(st.integers(1, n))
    kind = draw(st.sampled_from(["delete", "renumber", "insert", "end", "swap", "move", "edit"]))
    if kind == "delete":
        return n, _delete(k)
    if kind == "renumber":
        return n, _delete_and_renumber(k)
    if kind == "insert":
        return n, _insert(k, draw(st.booleans()))
    if kind == "end":
        return n, _insert_at_the_end()
    if kind == "swap":
        j = draw(st.integers(1, n).filter(lambda j: j != k))
        return n, _swap(min(j, k), max(j, k))
    if kind == "move":
        return n, _move_to_the_end(draw(st.integers(1, n - 1)))
    column = draw(st.sampled_from(_FIELDS))
    rehash = column != "hash" and draw(st.booleans())
    return n, _edit(k, column, rehash)


@given(_changes())
def test_any_change_is_found_at_the_right_entry(case: tuple[int, Change]) -> None:
    n, change = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.sqlite"
        before = written(path, [fake(i) for i in range(n)])
        published = head_of(before[-1])
        assert first_break(before, published) is None
        entry, how = change(path, n)
        found = first_break(read(path), published)
    assert found is not None
    assert found.entry == entry, found
    if how is not None:
        assert found.how is how, found


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            _delete(2),
            "broken at entry 2: deleted (entry 2 is missing: the next entry is numbered 3)",
        ),
        (
            _delete_and_renumber(2),
            "broken at entry 2: deleted (entry 2 is missing: the entry written as 3 stands at 2)",
        ),
        (
            _insert(2, True),
            "broken at entry 2: inserted (entry 2 was put in before the entry written as 2)",
        ),
        (
            _swap(1, 3),
            "broken at entry 1: reordered (the entry written as 3 stands here and links to "
            "entry 2, after it)",
        ),
        (_edit(3, "record", False), "broken at entry 3: edited (its fields do not give its hash)"),
        (
            _edit(2, "record", True),
            "broken at entry 2: edited (entry 3 does not link to it: one of them was edited "
            "and hashed again)",
        ),
        (
            _edit(4, "record", True),
            "broken at entry 4: rewritten (its hash is not the published ",
        ),
    ],
)
def test_each_change_is_said_in_words(change: Change, line: str, tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    published = head_of(written(path, [fake(i) for i in range(4)])[-1])
    change(path, 4)
    found = first_break(read(path), published)
    assert found is not None
    assert found.line().startswith(line)


def test_a_log_of_real_records_verifies_and_an_edit_shows_in_its_record_too(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.sqlite"
    written(path, list(records()), one_by_one=False)
    verification = verify_log(read(path))
    assert verification.holds
    assert [n for n, _ in verification.records] == list(range(1, len(records()) + 1))
    sql(
        path,
        (
            "UPDATE entries SET record = replace(record, '\"granted\"', '\"refused\"') "
            "WHERE sequence = 2",
            (),
        ),
    )
    changed = verify_log(read(path))
    assert changed.broken is not None
    assert changed.broken.entry == 2
    ((number, verdict),) = changed.failed_records
    assert number == 2
    assert not isinstance(verdict, str)
    assert verdict.verdict.value == "tampered"

"""The log's SQLite file: what it holds, its schema version and migrations, the files it refuses,
a read-only and a full disk, and entries' signatures."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from iqm_rules.auditing.signing import SigningKey
from iqm_rules.decision_log.chain import Signature, check_signature, verify_log
from iqm_rules.decision_log.entries import GENESIS, Entry, LogProblem, chained, entry_hash
from iqm_rules.decision_log.sqlite import APPLICATION_ID, SCHEMA_VERSION, SQLiteStore, migrate
from iqm_rules.decision_log.store import append_records
from logs import START, fake, read, records, sql, ticking, written


def test_an_entry_s_hash_is_sha_256_of_the_canonical_json_of_its_fields() -> None:
    import hashlib
    import json

    (entry,) = chained(None, ['{"a":1}'], START)
    document = {
        "format": "iqm-rules/log-entry@1",
        "sequence": 1,
        "written_at": "2025-09-01T09:00:00.000000Z",
        "record": '{"a":1}',
        "previous": GENESIS,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert entry.hash == entry_hash(1, entry.written_at, '{"a":1}', GENESIS)


def test_entries_chain_each_to_the_one_before(tmp_path: Path) -> None:
    entries = written(tmp_path / "log", [fake(i) for i in range(5)])
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    assert [e.previous_hash for e in entries] == [GENESIS, *(e.hash for e in entries[:-1])]
    assert [e.written_at for e in entries][:2] == [
        "2025-09-01T09:00:00.000000Z",
        "2025-09-01T09:00:01.000000Z",
    ]


def test_one_append_of_several_records_is_one_transaction_read_once_from_the_clock(
    tmp_path: Path,
) -> None:
    reads = []

    def clock() -> object:
        reads.append(1)
        return START

    with SQLiteStore.open(str(tmp_path / "log")) as store:
        made = append_records(store, [fake(1), fake(2), fake(3)], clock)  # type: ignore[arg-type]
    assert len(reads) == 1
    assert {e.written_at for e in made} == {"2025-09-01T09:00:00.000000Z"}


def test_the_file_is_a_log_of_this_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, [fake(1)])
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()


def test_a_head_and_a_school_s_entries_are_read_by_the_store(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, list(records()))
    with SQLiteStore.read_only(str(path)) as store:
        head = store.head()
        ours = [e.about().school_id for e in store.entries("URN-131245")]
    assert head is not None
    assert head.sequence == len(records())
    assert ours == ["URN-131245", "URN-131245"]


def test_reading_opens_the_file_read_only_and_never_changes_it(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, [fake(1), fake(2)])
    before = path.read_bytes()
    with SQLiteStore.read_only(str(path)) as store:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._connection.execute("DELETE FROM entries")
        assert len(list(store.entries())) == 2
    assert path.read_bytes() == before


# --- files that are not logs, and schema versions ------------------------------------------------


def _refused(path: Path, message: str) -> None:
    for opening in (SQLiteStore.open, SQLiteStore.read_only):
        with pytest.raises(LogProblem, match=message) as raised:
            opening(str(path))
        assert "\n" not in str(raised.value)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the records you are looking for\n" * 20, encoding="utf-8")
    before = path.read_bytes()
    _refused(path, r"notes.txt: not a decision log \(not a SQLite database\)")
    assert path.read_bytes() == before


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sql(path, ("CREATE TABLE things (x INTEGER)", ()))
    _refused(path, r"not a decision log \(a SQLite database of another program\)")


def test_a_log_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, [fake(1)])
    sql(path, (f"PRAGMA user_version = {SCHEMA_VERSION + 1}", ()))
    _refused(path, f"schema version {SCHEMA_VERSION + 1}, newer than this library's")


def test_an_empty_file_becomes_a_log_when_appended_to_and_is_refused_to_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log"
    path.touch()
    with pytest.raises(LogProblem, match=r"not a decision log \(an empty file\)"):
        SQLiteStore.read_only(str(path))
    written(path, [fake(1)])
    assert len(read(path)) == 1


def test_a_missing_file_or_a_directory_is_refused_to_read(tmp_path: Path) -> None:
    with pytest.raises(LogProblem, match="no such file"):
        SQLiteStore.read_only(str(tmp_path / "missing"))
    with pytest.raises(LogProblem, match="a directory"):
        SQLiteStore.read_only(str(tmp_path))
    with pytest.raises(LogProblem, match="a directory"):
        SQLiteStore.open(str(tmp_path))


def _version_2(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE entries ADD COLUMN note TEXT")


def test_migrations_run_from_the_log_s_version_to_the_last_step(tmp_path: Path) -> None:
    """The machinery, with a made-up second version: a version-1 log is taken to version 2
    and keeps its entries; a new file is taken through every step."""
    from iqm_rules.decision_log.sqlite import MIGRATIONS

    path = tmp_path / "log"
    written(path, [fake(1), fake(2)])
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    assert migrate(connection, (*MIGRATIONS, _version_2)) == 2
    connection.execute("COMMIT")
    assert connection.execute("PRAGMA user_version").fetchone() == (2,)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(entries)")]
    assert columns[-1] == "note"
    assert connection.execute("SELECT count(*) FROM entries").fetchone() == (2,)
    connection.close()
    fresh = sqlite3.connect(tmp_path / "new", isolation_level=None)
    assert migrate(fresh, (*MIGRATIONS, _version_2)) == 2
    assert fresh.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    fresh.close()


def test_an_older_log_is_migrated_when_opened_to_append_and_refused_to_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iqm_rules.decision_log import sqlite as module

    path = tmp_path / "log"
    written(path, [fake(1)])
    monkeypatch.setattr(module, "MIGRATIONS", (*module.MIGRATIONS, _version_2))
    monkeypatch.setattr(module, "SCHEMA_VERSION", 2)
    with pytest.raises(LogProblem, match="schema version 1, older than this library's 2"):
        SQLiteStore.read_only(str(path))
    SQLiteStore.open(str(path)).close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (2,)
    assert len(read(path)) == 1


# --- a read-only and a full disk ----------------------------------------------------------------


def _as_a_user(command: list[str]) -> list[str]:
    """``command`` run without the power to write over file permissions (as root has)."""
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:  # pragma: no cover - util-linux is everywhere we run
        pytest.skip("running as root without setpriv, file permissions cannot be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]


def _append(log: Path, record: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "iqm_rules", "log", "append", str(log), str(record)]
    return subprocess.run(_as_a_user(command), capture_output=True, text=True, check=False)


@pytest.mark.parametrize("what", ["file", "directory"])
def test_a_read_only_log_gives_one_clear_line_and_no_entry(what: str, tmp_path: Path) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    log, record = folder / "log", tmp_path / "record.json"
    record.write_text(records()[0] + "\n", encoding="utf-8")
    written(log, [records()[1]])
    (log if what == "file" else folder).chmod(0o444 if what == "file" else 0o555)
    try:
        done = _append(log, record)
    finally:
        folder.chmod(0o755)
        log.chmod(0o644)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stdout == ""
    assert "nothing was appended" in done.stderr
    assert f"{log}: " in done.stderr
    assert [e.record for e in read(log)] == [records()[1]]


def test_a_full_log_gives_one_clear_line_and_no_partial_entry(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, [records()[0]])
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    with SQLiteStore.open(str(path), page_limit=pages + 1) as store:
        with pytest.raises(LogProblem) as raised:
            append_records(store, list(records()), ticking())
        assert str(raised.value) == f"{path}: the disk or the log is full; nothing was appended"
        assert store.head() == read(path)[0]
    assert verify_log(read(path)).holds
    written(path, [records()[1]])  # with room again, the chain goes on
    assert [e.sequence for e in read(path)] == [1, 2]


# --- signatures -----------------------------------------------------------------------------------


def _signed(path: Path, key: SigningKey, count: int = 2) -> list[Entry]:
    with SQLiteStore.open(str(path)) as store:
        append_records(store, [fake(i) for i in range(count)], ticking(), key)
        return list(store.entries())


def test_a_signed_entry_verifies_with_its_key_and_is_trusted_only_with_it(tmp_path: Path) -> None:
    key, other = SigningKey.generate(), SigningKey.generate()
    entries = _signed(tmp_path / "log", key)
    assert all(e.key_id == key.key_id for e in entries)
    assert all(key.public.verifies(e.hash.encode("ascii"), str(e.signature)) for e in entries)
    for trusted, state in (
        (None, Signature.SIGNED),
        ([key.public], Signature.SIGNED),
        ([other.public, key.public], Signature.SIGNED),
        ([other.public], Signature.UNTRUSTED),
    ):
        checks = [check_signature(e, trusted) for e in entries]
        assert {c.state for c in checks} == {state}
        failed = verify_log(entries, trusted).failed_signatures
        assert (failed == []) is (state is Signature.SIGNED)


def test_an_unsigned_entry_holds_only_without_trusted_keys(tmp_path: Path) -> None:
    entries = written(tmp_path / "log", [fake(1)])
    key = SigningKey.generate()
    assert check_signature(entries[0], None).state is Signature.UNSIGNED
    assert check_signature(entries[0], None).passes
    assert not check_signature(entries[0], [key.public]).passes


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("signature", "AAAA"),
        ("signature", "not base64!"),
        ("key_id", "0123456789abcdef"),
        ("public_key", "QUJD"),
    ],
)
def test_a_changed_signature_or_key_is_forged(column: str, value: str, tmp_path: Path) -> None:
    key = SigningKey.generate()
    path = tmp_path / "log"
    _signed(path, key)
    sql(path, (f"UPDATE entries SET {column} = ? WHERE sequence = 2", (value,)))
    states = [check_signature(e, [key.public]).state for e in read(path)]
    assert states == [Signature.SIGNED, Signature.FORGED]
    (failed,) = verify_log(read(path)).failed_signatures
    assert failed.sequence == 2, "a forged signature fails even without trusted keys"


def test_a_signature_moved_to_another_entry_is_forged(tmp_path: Path) -> None:
    key = SigningKey.generate()
    path = tmp_path / "log"
    entries = _signed(path, key)
    sql(
        path,
        ("UPDATE entries SET signature = ? WHERE sequence = 2", (entries[0].signature,)),
    )
    assert check_signature(read(path)[1], None).state is Signature.FORGED

"""The decision log's store in a SQLite file (the standard library's :mod:`sqlite3`, no ORM).

The file is in WAL mode with ``synchronous = FULL``: an append that returned is on disk, and
readers (``log verify``, the service) read while another process appends. Each append is one
``BEGIN IMMEDIATE`` transaction, so two processes appending at once queue for the write lock
(waiting up to ``timeout`` seconds) and form one chain; a process killed in the middle of one
leaves the file as it was before that append.

A log is told from other files by its ``PRAGMA application_id`` (:data:`APPLICATION_ID`), and
its schema's version is ``PRAGMA user_version``. :data:`MIGRATIONS` lists the steps from each
version to the next; opening a log to append migrates it to :data:`SCHEMA_VERSION`, in one
transaction. A log of a newer version, a database of another program and a file that is not a
database are refused with one line; so is an older log opened only to read.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Final, Self

from iqm_rules.decision_log.entries import Entry, LogProblem

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLiteStore",
    "migrate",
]

APPLICATION_ID: Final = 0x49514D4C
"""``PRAGMA application_id`` of a decision log: the bytes ``IQML``."""

_COLUMNS: Final = "sequence, written_at, record, previous_hash, hash, signature, key_id, public_key"
_SCHOOL: Final = "json_extract(record, '$.inputs.history.school.id')"


def _version_1(connection: sqlite3.Connection) -> None:
    """Version 1: the entries, and an index of them by the school of their record (an index
    on an expression of the record, so it cannot disagree with the records)."""
    connection.execute(
        "CREATE TABLE entries ("
        " sequence INTEGER PRIMARY KEY,"
        " written_at TEXT NOT NULL,"
        " record TEXT NOT NULL,"
        " previous_hash TEXT NOT NULL,"
        " hash TEXT NOT NULL,"
        " signature TEXT,"
        " key_id TEXT,"
        " public_key TEXT"
        ") STRICT"
    )
    connection.execute(f"CREATE INDEX entries_by_school ON entries ({_SCHOOL}, sequence)")


Step = Callable[[sqlite3.Connection], None]

MIGRATIONS: Final[tuple[Step, ...]] = (_version_1,)
"""``MIGRATIONS[n]`` takes a log from schema version ``n`` to ``n + 1`` (0: an empty file)."""

SCHEMA_VERSION: Final = len(MIGRATIONS)
"""The schema version this library writes."""


def _schema(connection: sqlite3.Connection, path: str) -> tuple[int, bool]:
    """The log's schema version, and whether the file is an empty database (no log yet)."""
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    objects = connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if application == 0 and version == 0 and objects == 0:
        return 0, True
    if application != APPLICATION_ID:
        raise LogProblem(f"{path}: not a decision log (a SQLite database of another program)")
    if version > SCHEMA_VERSION:
        raise LogProblem(
            f"{path}: a decision log of schema version {version}, newer than this library's "
            f"{SCHEMA_VERSION}: upgrade iqm-rules to read it"
        )
    return version, False


def migrate(connection: sqlite3.Connection, steps: Sequence[Step] | None = None) -> int:
    """Run the steps from the log's version to the last of ``steps`` (default:
    :data:`MIGRATIONS`), inside the caller's transaction; the version reached."""
    steps = MIGRATIONS if steps is None else steps
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    for step in steps[version:]:
        step(connection)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {len(steps)}")
    return len(steps)


def _problem(error: sqlite3.Error, path: str, doing: str, timeout: float) -> LogProblem:
    """One line for a SQLite error, naming the log and what was being done."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith("SQLITE_FULL"):
        why = "the disk or the log is full"
    elif name.startswith("SQLITE_READONLY"):
        why = "it is read-only"
    elif name.startswith("SQLITE_BUSY"):
        why = f"another program held the log for more than {timeout:g} s"
    elif name.startswith("SQLITE_NOTADB"):
        return LogProblem(f"{path}: not a decision log (not a SQLite database)")
    elif name.startswith("SQLITE_CANTOPEN"):
        why = "cannot open it" + ("" if os.path.exists(path) else ": no such file")
    else:
        why = str(error)
    return LogProblem(f"{path}: {why}; {doing}")


def _row(row: tuple[object, ...]) -> Entry:
    """An entry from a row, whatever it holds (a table changed by hand may hold anything)."""
    sequence, *texts = row
    number = sequence if isinstance(sequence, int) else -1
    written_at, record, previous, digest = (_text(value) for value in texts[:4])
    signature, key_id, public_key = (None if v is None else _text(v) for v in texts[4:])
    return Entry(number, written_at, record, previous, digest, signature, key_id, public_key)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


class SQLiteStore:
    """The entries of one SQLite file (see the module docs); a context manager that closes it.

    :meth:`open` opens a log to append (creating the file if there is none, and migrating an
    older schema); :meth:`read_only` opens one only to read, and never writes to it.
    """

    __slots__ = ("_connection", "path", "timeout")

    def __init__(self, connection: sqlite3.Connection, path: str, timeout: float) -> None:
        self._connection = connection
        self.path = path
        self.timeout = timeout

    @classmethod
    def open(cls, path: str, timeout: float = 60.0, page_limit: int | None = None) -> Self:
        """The log at ``path``, to append to: a new, empty one if there is no such file.

        ``page_limit`` bounds the file's size in pages (SQLite's ``max_page_count``): an append
        that would pass it fails, as on a full disk, and adds nothing.
        """
        store = cls(_connect(path, "rwc", timeout), path, timeout)
        try:
            connection = store._connection
            connection.execute("PRAGMA synchronous = FULL")
            if page_limit is not None:
                connection.execute(f"PRAGMA max_page_count = {int(page_limit)}")
            connection.execute("BEGIN IMMEDIATE")
            try:
                version, _ = _schema(connection, path)
                if version < SCHEMA_VERSION:
                    migrate(connection)
                connection.execute("COMMIT")
            finally:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
            if connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                raise LogProblem(f"{path}: cannot keep it in WAL mode; nothing was appended")
        except sqlite3.Error as error:
            store.close()
            raise _problem(error, path, "nothing was appended", timeout) from None
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def read_only(cls, path: str, timeout: float = 60.0) -> Self:
        """The log at ``path``, to read: refused if there is none, or it is not a log."""
        if not os.path.isfile(path):
            what = "a directory" if os.path.isdir(path) else "no such file"
            raise LogProblem(f"{path}: cannot read it: {what}")
        store = cls(_connect(path, "ro", timeout), path, timeout)
        try:
            version, empty = _schema(store._connection, path)
            if empty:
                raise LogProblem(f"{path}: not a decision log (an empty file)")
            if version < SCHEMA_VERSION:
                raise LogProblem(
                    f"{path}: a decision log of schema version {version}, older than this "
                    f"library's {SCHEMA_VERSION}: appending to it migrates it"
                )
        except sqlite3.Error as error:
            store.close()
            raise _problem(error, path, "nothing was read", timeout) from None
        except BaseException:
            store.close()
            raise
        return store

    def append(self, extend: Callable[[Entry | None], Sequence[Entry]]) -> tuple[Entry, ...]:
        """See :class:`~.store.LogStore`: one ``BEGIN IMMEDIATE`` transaction."""
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                made = tuple(extend(self.head()))
                connection.executemany(
                    f"INSERT INTO entries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            e.sequence,
                            e.written_at,
                            e.record,
                            e.previous_hash,
                            e.hash,
                            e.signature,
                            e.key_id,
                            e.public_key,
                        )
                        for e in made
                    ],
                )
                connection.execute("COMMIT")
            finally:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
        except sqlite3.Error as error:
            raise _problem(error, self.path, "nothing was appended", self.timeout) from None
        return made

    def entries(self, school_id: str | None = None) -> Iterator[Entry]:
        """See :class:`~.store.LogStore`."""
        arguments: tuple[str, ...] = ()
        if school_id is None:
            query = f"SELECT {_COLUMNS} FROM entries ORDER BY sequence"
        else:
            query = f"SELECT {_COLUMNS} FROM entries WHERE {_SCHOOL} = ? ORDER BY sequence"
            arguments = (school_id,)
        try:
            for row in self._connection.execute(query, arguments):
                yield _row(row)
        except sqlite3.Error as error:
            raise _problem(error, self.path, "it could not be read", self.timeout) from None

    def head(self) -> Entry | None:
        """See :class:`~.store.LogStore`."""
        try:
            row = self._connection.execute(
                f"SELECT {_COLUMNS} FROM entries ORDER BY sequence DESC LIMIT 1"
            ).fetchone()
        except sqlite3.Error as error:
            raise _problem(error, self.path, "it could not be read", self.timeout) from None
        return None if row is None else _row(row)

    def close(self) -> None:
        """Close the file (the store cannot be used after)."""
        self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _connect(path: str, mode: str, timeout: float) -> sqlite3.Connection:
    """A connection to ``path`` in ``mode`` (``rwc`` or ``ro``), autocommit (every transaction
    is begun explicitly), waiting up to ``timeout`` seconds for another writer."""
    if path == "-" or not path:
        raise LogProblem(f"a decision log must be a file, got {path!r}")
    if os.path.isdir(path):
        raise LogProblem(f"{path}: a directory, not a decision log")
    uri = Path(os.path.abspath(path)).as_uri() + f"?mode={mode}"
    try:
        return sqlite3.connect(uri, timeout=timeout, isolation_level=None, uri=True)
    except sqlite3.Error as error:
        raise _problem(error, path, "nothing was done", timeout) from None

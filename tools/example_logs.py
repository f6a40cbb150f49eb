"""Write the decision logs the documentation shows, in ``docs/examples``.

    python tools/example_logs.py

``decisions.sqlite`` holds four records of the bundled examples, appended at fixed times from
9:00 UTC on 1 September 2025 and signed with a key made for the purpose, whose public half is
``office.pub`` (the private half is not kept: nobody can add to these logs in the office's
name). ``tampered.sqlite`` is the same log with the awarded level in its second entry's record
changed to ``flagship``, directly in SQL. Both are left in rollback-journal mode, so that
reading them (as the docs' examples do, read-only) leaves no ``-wal`` or ``-shm`` file beside
them; a log appended to is in WAL mode again.

Run it when the log's format changes; the docs' console examples then show the new output.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from iqm_rules import dump_record, example_text, load_history, record_decision, record_status
from iqm_rules.auditing.signing import SigningKey
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.store import append_records

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
START = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def _records() -> list[str]:
    on = date(2025, 9, 1)
    first = load_history(example_text("first-award"))
    return [
        dump_record(record_decision(first, "HB-2024-01")),
        dump_record(record_status(first, on)),
        dump_record(record_status(load_history(example_text("flagship-journey")), on)),
        dump_record(record_status(load_history(example_text("coe-lapsed")), on)),
    ]


def _at(moment: datetime) -> datetime:
    """The clock of an example: always ``moment``."""
    return moment


def _one_file(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("VACUUM")
    connection.close()


def main() -> int:
    key = SigningKey.generate()
    (EXAMPLES / "office.pub").write_bytes(key.public.pem())
    log = EXAMPLES / "decisions.sqlite"
    log.unlink(missing_ok=True)
    with SQLiteStore.open(str(log)) as store:
        for minutes, record in enumerate(_records()):
            at = partial(_at, START + timedelta(minutes=minutes))
            append_records(store, [record], at, key)
    _one_file(log)
    tampered = EXAMPLES / "tampered.sqlite"
    shutil.copyfile(log, tampered)
    connection = sqlite3.connect(tampered)
    with connection:
        connection.execute(
            "UPDATE entries SET record = replace(record, "
            '\'"awarded_level":"inclusive_school"\', \'"awarded_level":"flagship"\') '
            "WHERE sequence = 2"
        )
    connection.close()
    _one_file(tampered)
    print(f"wrote {log.name}, {tampered.name} and office.pub (key {key.key_id})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write the decision logs the documentation shows, in ``docs/examples``.

    python tools/example_logs.py

``decisions.sqlite`` holds four records of the bundled examples, appended at fixed times from
9:00 UTC on 1 September 2025, each record and each entry signed with the documentation's
example key ``body.key`` (published with the docs, so never to sign real records with), whose
public half is ``body.pub``. ``tampered.sqlite`` is the same log with the awarded level in
its second entry's record changed to ``flagship``, directly in SQL. Both are left in
rollback-journal mode, so that
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


def _records(key: SigningKey) -> list[str]:
    on = date(2025, 9, 1)
    first = load_history(example_text("first-award"))
    journey = load_history(example_text("flagship-journey"))
    return [
        dump_record(record_decision(first, "HB-2024-01", signer=key)),
        dump_record(record_status(first, on, signer=key)),
        dump_record(record_status(journey, on, signer=key)),
        dump_record(record_status(load_history(example_text("coe-lapsed")), on, signer=key)),
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
    key = SigningKey.read(EXAMPLES / "body.key")
    log = EXAMPLES / "decisions.sqlite"
    log.unlink(missing_ok=True)
    with SQLiteStore.open(str(log)) as store:
        for minutes, record in enumerate(_records(key)):
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
    print(f"wrote {log.name} and {tampered.name} (key {key.key_id})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

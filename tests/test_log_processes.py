"""The log's file under real processes: two appending at once form one chain; one killed in the
middle of an append loses at most that entry, and the log still verifies.

Nothing here waits for a time to pass: the processes start together when told to, and the kills
land wherever the child happens to be (the invariants hold wherever that is).
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

from iqm_rules.decision_log.chain import first_break, verify_log
from logs import read, records

_APPENDER = """
import sys
from datetime import UTC, datetime
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.store import append_records

path, name, count, step = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
padding = sys.stdin.readline().strip()  # the go: every appender has started
store = SQLiteStore.open(path)
for number in range(count):
    if step and number and number % step == 0:
        print("waiting", flush=True)
        sys.stdin.readline()  # every appender has come this far
    print(f"begun {number}", flush=True)
    text = '{"by":"%s","n":%d,"padding":"%s"}' % (name, number, padding)
    append_records(store, [text], lambda: datetime.now(UTC))
    print(f"done {number}", flush=True)
store.close()
"""


def _appender(path: Path, name: str, count: int, step: int = 0) -> subprocess.Popen[str]:
    """A process appending ``count`` entries one by one, that waits to be told to go on at
    the start and after every ``step`` entries (0: only at the start)."""
    return subprocess.Popen(
        [sys.executable, "-c", _APPENDER, str(path), name, str(count), str(step)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")},
    )


def _until_waiting(stdout: IO[str]) -> int:
    """How many appends a child reports done before it waits (or ends)."""
    done = 0
    for line in stdout:
        if line.startswith("waiting"):
            break
        done += line.startswith("done")
    return done


def _by(path: Path) -> list[tuple[str, int]]:
    import json

    return [(data["by"], data["n"]) for data in (json.loads(e.record) for e in read(path))]


def test_two_processes_appending_500_each_make_one_chain_of_1000(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"  # not there yet: both may create it
    step = 50  # both go on together after every 50 entries: they race ten times
    children = [_appender(path, name, 500, step) for name in ("a", "b")]
    for phase in range(500 // step):
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        if phase < 500 // step - 1:
            for child in children:
                assert child.stdout is not None
                assert _until_waiting(child.stdout) == step
    for child in children:
        assert child.stdout is not None
        assert child.stdin is not None
        assert _until_waiting(child.stdout) == step
        assert child.wait(timeout=600) == 0
        child.stdout.close()
        child.stdin.close()
    entries = read(path)
    assert [e.sequence for e in entries] == list(range(1, 1001))
    assert first_break(entries) is None
    appended = _by(path)
    for name in ("a", "b"):
        assert [n for by, n in appended if by == name] == list(range(500))
    switches = sum(1 for (one, _), (other, _) in itertools.pairwise(appended) if one != other)
    assert switches >= 500 // step - 1, "each phase holds entries of both"
    moments = [e.written_at for e in entries]
    assert moments == sorted(moments), "the clock is read inside the append's transaction"


def test_a_process_killed_in_the_middle_of_an_append_loses_at_most_that_entry(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.sqlite"
    padding = "p" * 20_000  # entries of several pages, as real records are
    chance = random.Random()
    for run in range(12):
        child = _appender(path, f"run{run}", 10_000)
        assert child.stdin is not None
        assert child.stdout is not None
        child.stdin.write(padding + "\n")
        child.stdin.flush()
        stop_at = chance.randint(1, 40)
        begun = done = 0
        for line in child.stdout:
            if line.startswith("begun"):
                begun += 1
                if begun == stop_at:
                    child.send_signal(signal.SIGKILL)
                    break
            else:
                done += 1
        child.wait(timeout=60)
        assert child.returncode == -signal.SIGKILL
        for line in child.stdout:  # what it said before it died
            begun += line.startswith("begun")
            done += line.startswith("done")
        child.stdout.close()
        child.stdin.close()
        kept = [n for by, n in _by(path) if by == f"run{run}"]
        assert done <= len(kept) <= begun, (done, len(kept), begun)
        assert len(kept) >= begun - 1, "at most the entry in flight is lost"
        assert kept == list(range(len(kept)))
        assert first_break(read(path)) is None


def test_a_log_of_real_records_appended_by_two_processes_verifies(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    script = (
        "import sys; from iqm_rules.cli import main; "
        "raise SystemExit(main(['log', 'append', sys.argv[1], *sys.argv[2:]]))"
    )
    files = []
    for number, text in enumerate(records()):
        file = tmp_path / f"{number}.record.json"
        file.write_text(text + "\n", encoding="utf-8")
        files.append(str(file))
    children = [
        subprocess.Popen([sys.executable, "-c", script, str(path), *files[half::2]])
        for half in (0, 1)
    ]
    assert [child.wait(timeout=600) for child in children] == [0, 0]
    verification = verify_log(read(path))
    assert verification.holds
    assert verification.count == len(files)

"""``iqm-rules batch``: one history a line in, one status a line out, streaming and safe."""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from datetime import date
from pathlib import Path
from typing import IO

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iqm_rules import cli
from iqm_rules.cli import batching, pool
from iqm_rules.cli.commands import batch as batch_command
from iqm_rules.interchange import load_history, schema
from iqm_rules.interchange.answers import status_answer
from iqm_rules.interchange.examples import example_text, examples

AS_OF = date(2025, 1, 1)
HISTORIES = tuple(json.dumps(json.loads(example_text(name))) for name in examples())
"""Each bundled example, as one JSON line."""

STATUSES = {line: status_answer(load_history(line), AS_OF) for line in HISTORIES}  # status --json

_late = json.loads(HISTORIES[0])
_late["events"][0]["evidence"][5]["collected_on"] = "2099-01-01"
BAD_LINES = {
    "not json": "malformed JSON at column 1",
    '{"format": "iqm-rules/history@1"}': "school: required key missing",
    json.dumps(_late): "events[0].evidence[5].collected_on: 2099-01-01 is after held_on",
}
"""Lines that cannot be read, each with what its error says."""


def write_lines(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


def batch(*args: str) -> tuple[int, str, str]:
    """``iqm-rules batch ARGS`` in process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["batch", *args, "--as-of", AS_OF.isoformat()])
    return code, out.getvalue(), err.getvalue()


# --- lines in, lines out -----------------------------------------------------------------------


def test_a_bad_line_in_the_middle_is_reported_and_the_others_still_come_out(
    tmp_path: Path,
) -> None:
    bad = next(iter(BAD_LINES))
    lines = [*HISTORIES[:3], bad, *HISTORIES[3:]]
    target = tmp_path / "out.jsonl"
    source = write_lines(tmp_path / "in.jsonl", lines)
    code, out, err = batch(source, "-o", str(target))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"{source}:4: {BAD_LINES[bad]}: Expecting value",
        f"iqm-rules: 1 of {len(lines)} lines failed; they have no output line",
    ]
    assert target.read_text(encoding="utf-8").splitlines() == [STATUSES[h] for h in HISTORIES]
    assert leftovers(tmp_path) == []
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask, "made like any new file"


@given(
    st.lists(
        st.sampled_from(HISTORIES) | st.sampled_from(sorted(BAD_LINES)) | st.just("  "),
        max_size=12,
    )
)
def test_every_good_line_has_its_status_in_order_and_every_bad_line_its_number(
    lines: list[str],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        source = write_lines(Path(directory) / "in.jsonl", lines)
        code, out, err = batch(source)
    good = [STATUSES[line] for line in lines if line in STATUSES]
    bad = [(number, line) for number, line in enumerate(lines, 1) if line in BAD_LINES]
    assert out.splitlines() == good
    reported = err.splitlines()
    assert reported[: len(bad)] == [line for line in reported if line.startswith(source)]
    for (number, line), message in zip(bad, reported, strict=False):
        assert message.startswith(f"{source}:{number}: {BAD_LINES[line]}")
    assert code == (1 if bad else 0)
    if bad:
        assert reported[-1].startswith(f"iqm-rules: {len(bad)} of ")
    else:
        assert reported == []


def test_output_validates_against_the_status_schema(tmp_path: Path) -> None:
    code, out, _ = batch(write_lines(tmp_path / "in.jsonl", list(HISTORIES)))
    assert code == 0
    published = schema("status")
    for line in out.splitlines():
        jsonschema.validate(json.loads(line), published)


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n".join(HISTORIES[:2]) + "\n\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), "utf-8"))
    code, out, err = batch("-")
    assert (code, err) == (0, "")
    assert out.splitlines() == [STATUSES[h] for h in HISTORIES[:2]]


def test_jobs_2_in_process_gives_the_jobs_1_output(tmp_path: Path) -> None:
    lines = [*HISTORIES, *BAD_LINES, *HISTORIES] * 3
    source = write_lines(tmp_path / "in.jsonl", lines)
    one = batch(source, "--jobs", "1")
    two = batch(source, "--jobs", "2")
    assert one == two
    assert one[0] == 1


@pytest.mark.parametrize("name", examples())
def test_an_example_stands_in_for_the_input_as_one_line(name: str) -> None:
    code, out, err = batch("--example", name)
    assert (code, err) == (0, "")
    assert out == STATUSES[json.dumps(json.loads(example_text(name)))] + "\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give IN.jsonl, - for standard input, or --example NAME"),
        (("--example", "nope"), "--example: no example 'nope'; the examples are coe-lapsed"),
        (("in.jsonl", "--example", "first-award"), "give IN.jsonl or --example, not both"),
    ],
)
def test_batch_needs_exactly_one_input(args: tuple[str, ...], message: str) -> None:
    code, out, err = batch(*args)
    assert (code, out) == (2, "")
    assert err == f"iqm-rules: error: {message}" + err.split(message, 1)[1]
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "cannot read missing.jsonl: No such file or directory"),
        (["-", "-o", "no/such/dir/out.jsonl"], "cannot write no/such/dir/out.jsonl: "),
        (["-", "--as-of", "2025-1-1"], "argument --as-of: must be a date written YYYY-MM-DD"),
    ],
)
def test_unreadable_input_or_unwritable_output_is_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["batch", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("iqm-rules: error: ")
    assert message in err


def test_an_unexpected_error_on_one_line_does_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> object:
        raise RuntimeError("out of order")

    monkeypatch.setattr(batch_command, "status_answer", broken)
    source = write_lines(tmp_path / "in.jsonl", list(HISTORIES[:2]))
    code, out, err = batch(source)
    assert (code, out) == (1, "")
    assert err.splitlines()[:2] == [
        f"{source}:1: cannot decide: RuntimeError: out of order",
        f"{source}:2: cannot decide: RuntimeError: out of order",
    ]


def test_batch_outside_the_main_thread_leaves_signals_alone(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", list(HISTORIES[:2]))
    results: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: results.append(batch(source)))
    worker.start()
    worker.join()
    assert results == [(0, "".join(STATUSES[h] + "\n" for h in HISTORIES[:2]), "")]


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_a_closed_output_pipe_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_lines(tmp_path / "in.jsonl", list(HISTORIES))
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert cli.main(["batch", source, "--as-of", AS_OF.isoformat()]) == 1
    assert capsys.readouterr().err == (
        "iqm-rules: error: output closed before everything was written\n"
    )


# --- progress bar ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_stderr_only(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", [*HISTORIES, "not json"])
    out, err = io.StringIO(), Terminal()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["batch", source, "--as-of", AS_OF.isoformat()])
    assert code == 1
    assert out.getvalue().splitlines() == [STATUSES[h] for h in HISTORIES]
    assert "iqm-rules: 100%" in err.getvalue()
    assert f"{len(HISTORIES) + 1}/{len(HISTORIES) + 1} [" in err.getvalue()  # schools, not bytes
    assert "schools/s]" in err.getvalue()
    assert f"{source}:{len(HISTORIES) + 1}: malformed JSON" in err.getvalue()


def test_without_tqdm_there_is_no_bar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    source = write_lines(tmp_path / "in.jsonl", list(HISTORIES))
    out, err = io.StringIO(), Terminal()
    with redirect_stdout(out), redirect_stderr(err):
        assert cli.main(["batch", source, "--as-of", AS_OF.isoformat()]) == 0
    assert err.getvalue() == ""


def test_a_piped_input_has_no_size() -> None:
    read, write = os.pipe()
    with os.fdopen(read, "rb") as pipe, os.fdopen(write, "wb"):
        assert batching.input_size(pipe) is None
    assert batching.input_size(io.BytesIO(b"")) is None


# --- interrupted runs leave nothing half written -----------------------------------------------


@contextmanager
def interrupted_on_line(
    monkeypatch: pytest.MonkeyPatch, number: int, interrupt: type[BaseException] | None
) -> Iterator[None]:
    """Make the ``number``-th status computed raise ``interrupt``, or send SIGTERM if None."""
    calls = []
    real = status_answer

    def failing(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == number:
            if interrupt is None:
                os.kill(os.getpid(), signal.SIGTERM)
            else:
                raise interrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_command, "status_answer", failing)
    yield


@pytest.mark.parametrize(("interrupt", "code"), [(KeyboardInterrupt, 130), (None, 143)])
def test_an_interrupted_run_keeps_the_old_output_and_removes_its_temporary_file(
    interrupt: type[BaseException] | None,
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_lines(tmp_path / "in.jsonl", list(HISTORIES))
    target = tmp_path / "out.jsonl"
    target.write_text("previous run\n", encoding="utf-8")
    with interrupted_on_line(monkeypatch, 3, interrupt):
        assert cli.main(["batch", source, "-o", str(target), "--as-of", "2025-01-01"]) == code
    assert target.read_text(encoding="utf-8") == "previous run\n"
    assert leftovers(tmp_path) == []
    assert capsys.readouterr().err.startswith("iqm-rules: error: ")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


class Feeder(threading.Thread):
    """Writes histories to a child's standard input until told to stop.

    While it feeds, the child's run cannot be complete: its input is still open.
    """

    def __init__(self, stdin: IO[bytes]) -> None:
        super().__init__(daemon=True)
        self.stdin = stdin
        self.stop = threading.Event()

    def run(self) -> None:
        lines = itertools.cycle(line.encode() + b"\n" for line in HISTORIES)
        with suppress(OSError):
            while not self.stop.is_set():
                self.stdin.write(next(lines))
                self.stdin.flush()
        with suppress(OSError):
            self.stdin.close()


def busy(process: subprocess.Popen[bytes], directory: Path) -> bool:
    """Whether the run has written statuses to its temporary file: its workers are busy."""
    written = [p for p in directory.iterdir() if p.name.endswith(".part") and p.stat().st_size]
    return bool(written) or process.poll() is not None


@pytest.mark.parametrize(
    ("sent", "code", "jobs"), [(signal.SIGTERM, 143, "2"), (signal.SIGINT, 130, "1")]
)
def test_a_signalled_process_leaves_no_output_and_no_temporary_file(
    sent: signal.Signals, code: int, jobs: str, tmp_path: Path
) -> None:
    """A handshake, not a guess: the signal goes once statuses have reached the temporary file,
    while the input is still open, so the run is surely under way and surely not finished."""
    target = tmp_path / "out.jsonl"
    with subprocess.Popen(
        [sys.executable, "-m", "iqm_rules", "batch", "-", "-o", str(target), "--jobs", jobs],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdin is not None
        assert process.stderr is not None
        feeder = Feeder(process.stdin)
        feeder.start()
        try:
            deadline = time.monotonic() + 60
            while not busy(process, tmp_path):
                assert time.monotonic() < deadline, "the run never wrote a status"
                time.sleep(0.01)
            assert process.poll() is None, "the run ended while its input was open"
            process.send_signal(sent)
            code_seen = process.wait(timeout=60)
        finally:
            feeder.stop.set()
            feeder.join(timeout=60)
        err = process.stderr.read().decode()
    assert code_seen == code, err
    assert err.endswith(f"iqm-rules: error: {'terminated' if code == 143 else 'interrupted'}\n")
    assert "Traceback" not in err
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_jobs_2_through_the_entry_point_matches_jobs_1(tmp_path: Path) -> None:
    lines = [*HISTORIES, *BAD_LINES] * 5
    source = write_lines(tmp_path / "in.jsonl", lines)
    target = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "iqm_rules", "batch", source, "-o", str(target)]
    done = subprocess.run(
        [*command, "--jobs", "2", "--as-of", AS_OF.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    _, out, err = batch(source, "--jobs", "1")
    assert target.read_text(encoding="utf-8") == out
    assert done.stderr == err
    assert leftovers(tmp_path) == []


# --- the machinery, reusable by any many-document command --------------------------------------


def shout(text: bytes) -> str:
    """A picklable per-item function: fails on items holding ``bad``."""
    if b"bad" in text:
        raise ValueError("bad item")
    return text.decode().strip().upper()


@given(st.lists(st.sampled_from(["a", "b", "bad", "  ", "c"]), max_size=40))
def test_mapped_keeps_input_order_and_reports_failures_where_they_are(lines: list[str]) -> None:
    stream = io.BytesIO("".join(line + "\n" for line in lines).encode())
    with batching.mapped(batching.lines_of(stream), shout, 1) as results:
        got = list(results)
    expected = [
        batching.Failed(f"stdin:{n}", len(line) + 1, "cannot decide: ValueError: bad item")
        if line == "bad"
        else batching.Done(f"stdin:{n}", len(line) + 1, line.upper())
        for n, line in enumerate(lines, 1)
        if line.strip()
    ]
    assert got == expected


def test_mapped_in_a_pool_gives_what_one_process_gives() -> None:
    lines = [f"item {n}" if n % 7 else "bad" for n in range(1, 500)]
    text = "".join(line + "\n" for line in lines).encode()
    runs = []
    for jobs in (1, 2):
        with batching.mapped(batching.lines_of(io.BytesIO(text)), shout, jobs) as results:
            runs.append(list(results))
    assert runs[0] == runs[1]
    assert len(runs[0]) == len(lines)


def test_files_in_a_directory_are_items_in_name_order(tmp_path: Path) -> None:
    for name, text in [("b.json", "2"), ("a.json", "1"), ("notes.txt", "x")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    items = list(batching.files_in(tmp_path))
    assert items == [
        batching.Item(str(tmp_path / "a.json"), b"1"),
        batching.Item(str(tmp_path / "b.json"), b"2"),
    ]


def test_an_unreadable_file_in_a_directory_is_an_item_that_fails_naming_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.json").mkdir()
    (tmp_path / "b.json").write_text("2", encoding="utf-8")
    items = list(batching.files_in(tmp_path))
    assert items == [
        batching.Item(str(tmp_path / "a.json"), b"", "cannot read it: Is a directory"),
        batching.Item(str(tmp_path / "b.json"), b"2"),
    ]
    with batching.mapped(iter(items), shout, 1) as results:
        assert list(results) == [
            batching.Failed(str(tmp_path / "a.json"), 0, "cannot read it: Is a directory"),
            batching.Done(str(tmp_path / "b.json"), 1, "2"),
        ]


def test_the_feeder_reads_ahead_only_into_free_slots_and_gives_up_once_stopped() -> None:
    items = [batching.Item(f"line {n}", b"{}") for n in (1, 2, 3)]
    slots, stop = threading.BoundedSemaphore(1), threading.Event()
    fed = pool._throttled(iter(items), slots, stop)
    assert next(fed) == items[0]
    stop.set()
    assert list(fed) == [], "no slot free, and stopped: the feeder gives up"
    slots.release()
    assert list(pool._throttled(iter(items), slots, stop)) == [], "a free slot, but stopped"

"""``iqm-rules batch``: one history a line in (JSON Lines), one status (or, with ``--records``,
one decision record) a line out, in order; with ``--log LOG``, each line's record is also
appended to a decision log, in groups of :data:`GROUP` records as the run goes (an interrupted
run keeps the groups appended before it stopped)."""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from iqm_rules.auditing.record import dump_record, record_status
from iqm_rules.cli import batching, inputs
from iqm_rules.cli.commands import signer
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.inputs import Input, KeySource, PolicySource
from iqm_rules.cli.text import PROG
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import load_history
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.answers import status_answer

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import SigningKey
    from iqm_rules.decision_log.store import LogStore


def run(args: argparse.Namespace) -> int:
    as_of = inputs.as_of(args.as_of)
    policy = PolicySource.named(args.policy)
    policy.load()
    source = Input.given(args.input, args.example, name="IN.jsonl", wanted="IN.jsonl")
    if source.file not in (None, "-"):
        _not_one_document(source.file)
    key = signer(args, records=args.records or args.log is not None)
    if args.records or args.log:
        work = functools.partial(record_line, as_of, policy, args.max_bytes, key)
    else:
        work = functools.partial(status_line, as_of, policy, args.max_bytes)
    with (
        _log(args.log, key) as log,
        batching.running(source, args.output, work, args.jobs) as batch,
    ):
        for line in batch.values():
            batch.out.write(line if args.records or log is None else _output(line))
            batch.out.write("\n")
            if log is not None:
                log.add(line)
        if log is not None:
            log.flush()  # before the output is moved into place
    if batch.failed:
        batch.progress.say(
            f"{PROG}: {batch.failed} of {batch.total} lines failed; they have no output line"
        )
        return ExitStatus.LINE_FAILED
    return ExitStatus.OK


class _Appending:
    """The records of a run, appended to the log in groups of :data:`GROUP` as they come."""

    def __init__(self, store: LogStore, signer: SigningKey | None) -> None:
        self.store = store
        self.signer = signer
        self.pending: list[str] = []

    def add(self, record: str) -> None:
        self.pending.append(record)
        if len(self.pending) >= GROUP:
            self.flush()

    def flush(self) -> None:
        from iqm_rules.decision_log.store import append_records

        if self.pending:
            append_records(self.store, self.pending, inputs.now, self.signer)
            self.pending = []


GROUP = 500
"""How many records ``batch --log`` appends in one transaction."""


@contextmanager
def _log(path: str | None, key: KeySource) -> Iterator[_Appending | None]:
    """The log the run appends to (``--log``), opened before the run starts, so that a file
    that is not a log stops it before any work; what is pending is appended once the run
    ends without an error."""
    if path is None:
        yield None
        return
    from iqm_rules.decision_log.sqlite import SQLiteStore  # only when a log is asked for

    with SQLiteStore.open(path) as store:
        appending = _Appending(store, key.load())
        yield appending
        appending.flush()


def _output(record: str) -> str:
    """The status line of a record line: its output, as the record holds it."""
    return canonical_json(json.loads(record)["output"])


def _not_one_document(file: str) -> None:
    """A :class:`Failure` if ``file`` starts as one pretty-printed document, not JSON Lines."""
    try:
        with open(file, "rb") as stream:
            first = next((line for line in stream if line.strip()), b"")
    except OSError:
        return  # the run itself reports an unreadable file
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        if first.strip().startswith(b"{"):
            raise Failure(
                f"{file} looks like one pretty-printed document, not JSON Lines (one history a "
                f"line): for one history use: {PROG} status {file}"
            ) from None


def status_line(as_of: date, policy: PolicySource, max_bytes: int, line: bytes) -> str:
    """The status JSON of one history line, as ``status --json`` gives it (run in a worker with
    ``--jobs``); a line longer than ``--max-bytes`` is refused unread."""
    _within(line, max_bytes)
    return status_answer(load_history(line), as_of, policy.load())


def record_line(
    as_of: date, policy: PolicySource, max_bytes: int, key: KeySource, line: bytes
) -> str:
    """The ``iqm-rules/record@2`` JSON of one history line's status (``--records``), signed
    with the ``--sign-with`` key if one was given."""
    _within(line, max_bytes)
    history = load_history(line)
    return dump_record(record_status(history, as_of, policy.load(), signer=key.load()))


def _within(line: bytes, max_bytes: int) -> None:
    """A line longer than ``--max-bytes`` is refused unread."""
    if len(line) > max_bytes:
        raise InvalidRecord("", f"larger than --max-bytes {max_bytes:,} bytes")

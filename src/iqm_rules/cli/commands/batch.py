"""``iqm-rules batch``: one history a line in (JSON Lines), one status (or, with ``--records``,
one decision record) a line out, in order."""

from __future__ import annotations

import argparse
import functools
import json
from datetime import date

from iqm_rules.auditing.record import dump_record, record_status
from iqm_rules.cli import batching, inputs
from iqm_rules.cli.commands import signer
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.inputs import Input, KeySource, PolicySource
from iqm_rules.cli.text import PROG
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import load_history
from iqm_rules.interchange.answers import status_answer


def run(args: argparse.Namespace) -> int:
    as_of = inputs.as_of(args.as_of)
    policy = PolicySource.named(args.policy)
    policy.load()
    source = Input.given(args.input, args.example, name="IN.jsonl", wanted="IN.jsonl")
    if source.file not in (None, "-"):
        _not_one_document(source.file)
    key = signer(args, records=args.records)
    if args.records:
        work = functools.partial(record_line, as_of, policy, args.max_bytes, key)
    else:
        work = functools.partial(status_line, as_of, policy, args.max_bytes)
    with batching.running(source, args.output, work, args.jobs) as batch:
        for line in batch.values():
            batch.out.write(line)
            batch.out.write("\n")
    if batch.failed:
        batch.progress.say(
            f"{PROG}: {batch.failed} of {batch.total} lines failed; they have no output line"
        )
        return ExitStatus.LINE_FAILED
    return ExitStatus.OK


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

"""One handler module per command, each with ``run(args) -> int``; what they share is here.

Adding a command: a parser entry in :mod:`iqm_rules.cli.parser` and a module here named after
the command. Handlers read with :mod:`iqm_rules.cli.inputs`, compute with the library, and
print the text :mod:`iqm_rules.cli.school_text` or :mod:`iqm_rules.cli.office_text` makes of
it; many-document commands run through :mod:`iqm_rules.cli.batching`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from iqm_rules.auditing.audit import Disagreement
from iqm_rules.cli.exits import Failure
from iqm_rules.cli.inputs import Input, KeySource
from iqm_rules.cli.school_text import disagreement_line
from iqm_rules.cli.text import PROG
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import load_history

if TYPE_CHECKING:
    from iqm_rules.auditing.record import Record
    from iqm_rules.auditing.signing import SigningKey

__all__ = [
    "history",
    "keep_record",
    "log_record",
    "signer",
    "write",
    "write_disagreements",
    "write_record",
]


def history(args: argparse.Namespace) -> SchoolHistory:
    """The history named by ``FILE``, ``-`` or ``--example``; exit status 2 if unreadable, the
    error naming the file (and, for JSON Lines, the command that reads them)."""
    source = Input.given(args.file, args.example)
    try:
        return load_history(source.read(args.max_bytes))
    except InvalidRecord as error:
        name = source.example or ("standard input" if source.file == "-" else source.file)
        message = f"{name}: {error}"
        if "looks like JSON Lines" in error.problem:
            message += f"; for one history a line use: {PROG} batch {source.file}"
        raise Failure(message) from None


def write(text: str) -> None:
    """``text`` on standard output, ending in one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_disagreements(found: Iterable[Disagreement]) -> None:
    """Each disagreement as a line on standard error (beside JSON on standard output)."""
    for item in found:
        print(disagreement_line(item), file=sys.stderr)


def signer(args: argparse.Namespace, *, records: bool) -> KeySource:
    """The ``--sign-with`` key, read and checked before any work (``.load()`` gives it, or
    None); refused when the command records nothing."""
    if args.sign_with is not None and not records:
        raise Failure(
            "--sign-with signs records: give --record FILE or --log LOG (batch: --records or "
            "--log LOG) too"
        )
    return KeySource.named(args.sign_with)


def keep_record(args: argparse.Namespace, record: Record, key: SigningKey | None) -> None:
    """``record`` written to ``--record`` and appended to ``--log``, whichever were given."""
    if args.record:
        write_record(args.record, record)
    if args.log:
        log_record(args.log, record, key)


def write_record(target: str, record: Record) -> None:
    """The ``iqm-rules/record@2`` document of ``record`` written to ``target`` (``--record``),
    whole or not at all."""
    from iqm_rules.auditing.record import dump_record  # only when a record is asked for
    from iqm_rules.cli.files import written

    with written(target) as out:
        out.write(dump_record(record) + "\n")


def log_record(log: str, record: Record, key: SigningKey | None = None) -> None:
    """``record`` appended to the decision log ``log`` (``--log``), as one transaction, its
    entry signed with ``key`` (``--sign-with``) if given."""
    from iqm_rules.auditing.record import dump_record
    from iqm_rules.cli.appending import append_to  # only when a log is asked for

    append_to(log, [dump_record(record)], key)

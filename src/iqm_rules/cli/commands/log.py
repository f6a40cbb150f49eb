"""``iqm-rules log ACTION LOG``: the decision log (see :mod:`iqm_rules.decision_log`).

``append`` reads every record first and appends them all in one transaction, or none: a
record that cannot be read, or whose digests do not hold, stops it before the log is opened.
The clock is read once per append, inside its transaction. The other actions open the log
read-only. ``verify`` exits 1 unless the chain, every record and every signature hold;
``status`` exits 1 when the log has no answer for the school on that date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from iqm_rules._shown import shown
from iqm_rules.auditing.record import dump_record
from iqm_rules.auditing.verify import Seal, Verdict
from iqm_rules.cli import inputs
from iqm_rules.cli.appending import append_to
from iqm_rules.cli.commands import write
from iqm_rules.cli.commands.verify import records
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.files import written
from iqm_rules.cli.inputs import KeySource
from iqm_rules.cli.log_text import entry_line, standing_text, verification_text
from iqm_rules.cli.text import PROG
from iqm_rules.decision_log.chain import head_of, verified, verify_log
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.standing import Unanswered, standing
from iqm_rules.errors import IQMRulesError
from iqm_rules.interchange._jsontext import canonical_json

__all__ = ["run"]


def _append(args: argparse.Namespace) -> int:
    key = KeySource.named(args.sign_with).load()  # read and checked before any record
    texts: list[str] = []
    for where, loaded in records(args.records):
        if isinstance(loaded, Failure):
            raise Failure(f"{loaded}; nothing was appended")
        try:
            record = loaded()
        except IQMRulesError as error:
            raise Failure(f"{where}: {error}; nothing was appended") from None
        verification = verified(record)
        if verification.verdict is Verdict.TAMPERED or verification.seal is Seal.FORGED:
            raise Failure(f"{where}: {verification.lines()[0]}; nothing was appended")
        texts.append(dump_record(record))
    made = append_to(args.log, texts, key)
    if args.json:
        for entry in made:
            write(
                canonical_json(
                    {"sequence": entry.sequence, "hash": entry.hash, "written_at": entry.written_at}
                )
            )
    return ExitStatus.OK


def _verify(args: argparse.Namespace) -> int:
    trusted = None
    if args.trust:
        from iqm_rules.auditing.signing import public_keys

        trusted = public_keys(args.trust)
    with SQLiteStore.read_only(args.log) as store:
        verification = verify_log(store.entries(), trusted, args.head)
    if args.json:
        write(canonical_json(verification.document()))
    else:
        write(verification_text(args.log, verification))
    if verification.holds:
        return ExitStatus.OK
    print(shown(f"{PROG}: {args.log} does not verify"), file=sys.stderr)
    return ExitStatus.DISAGREEMENT


def _show(args: argparse.Namespace) -> int:
    since = None if args.since is None else args.since.isoformat()
    with SQLiteStore.read_only(args.log) as store:
        for entry in store.entries(args.school):
            if since is not None and entry.written_at[:10] < since:
                continue
            write(canonical_json(entry.document()) if args.json else entry_line(entry))
    return ExitStatus.OK


def _export(args: argparse.Namespace) -> int:
    with SQLiteStore.read_only(args.log) as store, written(args.output) as out:
        for entry in store.entries():
            out.write(entry.record + "\n")
    return ExitStatus.OK


def _head(args: argparse.Namespace) -> int:
    with SQLiteStore.read_only(args.log) as store:
        last = store.head()
    head = head_of(last)
    if args.json:
        moment = None if last is None else last.written_at
        write(canonical_json({"sequence": head.sequence, "hash": head.hash, "written_at": moment}))
    else:
        write(head.text())
    return ExitStatus.OK


def _status(args: argparse.Namespace) -> int:
    as_of = inputs.as_of(args.as_of)
    with SQLiteStore.read_only(args.log) as store:
        answer = standing(store.entries(args.school), args.school, as_of)
    if isinstance(answer, Unanswered):
        print(shown(f"{PROG}: {args.log}: {answer.reason()}"), file=sys.stderr)
        return ExitStatus.DISAGREEMENT
    write(canonical_json(answer.document()) if args.json else standing_text(answer))
    return ExitStatus.OK


_ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "append": _append,
    "verify": _verify,
    "show": _show,
    "export": _export,
    "head": _head,
    "status": _status,
}


def run(args: argparse.Namespace) -> int:
    return _ACTIONS[args.action](args)

"""The arguments of ``iqm-rules log ACTION``: append, verify, show, export, head, status.

Every action names the log ``LOG``; ``append`` updates it (reads and writes it in place), the
others only read it, opening the file read-only. The handler is
:mod:`iqm_rules.cli.commands.log`, which runs ``args.action``.
"""

from __future__ import annotations

import argparse

from iqm_rules.cli.files import FileOption
from iqm_rules.cli.options import Parser, a_date, output

__all__ = ["add_actions"]

_READ = FileOption("LOG", "reads", "the decision log")


def _head(text: str) -> object:
    from iqm_rules.decision_log.chain import Head

    try:
        return Head.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _action(actions: argparse._SubParsersAction[Parser], name: str, summary: str) -> Parser:
    return actions.add_parser(name, help=summary, description=summary[0].upper() + summary[1:])


def _log(sub: Parser, role: FileOption = _READ) -> None:
    sub.add_argument("log", type=role, metavar="LOG", help="the decision log (a SQLite file)")


def _json(sub: Parser, what: str) -> None:
    sub.add_argument("--json", action="store_true", help=f"print {what}")


def add_actions(sub: Parser) -> None:
    """The actions of ``log`` (each with its own arguments)."""
    actions = sub.add_subparsers(title="actions", metavar="ACTION", dest="action", required=True)
    append = _action(actions, "append", "append records to the log, in order, as one transaction")
    _log(append, FileOption("LOG", "updates", "the decision log"))
    append.add_argument(
        "records",
        nargs="+",
        type=FileOption("RECORD", "reads", "a record"),
        metavar="RECORD",
        help="a record file, or JSON Lines of records",
    )
    append.add_argument(
        "--sign-with",
        type=FileOption("--sign-with", "reads", "the signing key"),
        metavar="KEY",
        help="sign each entry's hash with this Ed25519 private key (PEM)",
    )
    _json(append, "the entries appended, one JSON line each (sequence and hash)")

    verify = _action(
        actions,
        "verify",
        "re-hash the whole chain, verify every record and signature (exit 1 unless all hold)",
    )
    _log(verify)
    verify.add_argument(
        "--trust",
        action="append",
        type=FileOption("--trust", "reads", "a trusted key"),
        metavar="KEY.pub|DIR",
        help="a trusted public key, or a directory of *.pub keys (repeatable): every entry "
        "must then be signed by one of them",
    )
    verify.add_argument(
        "--head",
        type=_head,
        metavar="SEQUENCE:HASH",
        help="a head published earlier (log head): the log must still hold it",
    )
    _json(verify, "the iqm-rules/log-verification@1 JSON document")

    show = _action(actions, "show", "the entries of the log, one a line")
    _log(show)
    show.add_argument("--school", metavar="ID", help="only the entries of this school")
    show.add_argument(
        "--since", type=a_date, metavar="DATE", help="only entries written on DATE (UTC) or after"
    )
    _json(show, "each entry as a JSON line, its record included")

    export = _action(actions, "export", "the log's records as JSON Lines, which verify reads")
    _log(export)
    output(export, "OUT.jsonl")

    head = _action(actions, "head", "the last sequence number and hash, to publish")
    _log(head)
    _json(head, "the head as JSON")

    status = _action(actions, "status", "what the log says a school held on a date, and why")
    _log(status)
    status.add_argument("school", metavar="SCHOOL", help="the school's id")
    status.add_argument("--as-of", type=a_date, metavar="DATE", help="YYYY-MM-DD (default: today)")
    _json(status, "the iqm-rules/log-status@1 JSON answer, its record included")

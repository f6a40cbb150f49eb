"""The options the commands of ``iqm-rules`` share, and the types of their values.

Each helper adds one option (or a group of them) to a command's parser, the same wherever it
appears: ``FILE``/``--example``/``--policy``/``--max-bytes`` of a one-history command, ``-o``,
``--as-of``, ``--jobs``, the ``IN`` of a many-school command, ``--csv``/``--json`` tables. An
argument naming a file has a :class:`~iqm_rules.cli.files.FileOption` as its ``type``.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any, NoReturn

from iqm_rules._dates import parse_date
from iqm_rules.cli.exits import Failure
from iqm_rules.cli.files import FileOption
from iqm_rules.cli.inputs import MAX_BYTES

__all__ = [
    "HISTORY",
    "MANY",
    "POLICY_FILE",
    "Parser",
    "a_date",
    "as_of",
    "command",
    "history_source",
    "jobs",
    "log_option",
    "many",
    "max_bytes",
    "on",
    "output",
    "policy_option",
    "positive",
    "record_option",
    "table_forms",
    "whole",
]


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors become :class:`Failure` (no exit, no usage dump)."""

    def error(self, message: str) -> NoReturn:
        raise Failure(f"{message} (see {self.prog} --help)")


def command(commands: Any, name: str, summary: str, epilog: str | None = None) -> Parser:
    """A command's parser; its handler is the module ``iqm_rules.cli.commands.<name>``."""
    sub: Parser = commands.add_parser(name, help=summary, description=summary, epilog=epilog)
    sub.set_defaults(command=name.replace("-", "_"))
    language(sub, argparse.SUPPRESS)
    return sub


def language(parser: argparse.ArgumentParser, default: object = None) -> None:
    """``--lang LANG``: the language of text output (``en``, ``cy``), before or after the
    command's name; by default the environment's (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``). JSON, JSON Lines and CSV are the same in every language."""
    from iqm_rules.words import LANGUAGES

    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default,
        metavar="LANG",
        help="language of text output: en or cy (default: from LANGUAGE or LC_MESSAGES)",
    )


HISTORY = FileOption("FILE", "reads", "the history")
"""The ``type`` of a one-history command's ``FILE``."""
POLICY_FILE = FileOption("FILE", "reads", "the policy")
"""The ``type`` of a policy command's ``FILE``."""


def on(sub: argparse.ArgumentParser) -> None:
    """``--on DATE``: the date a policy command looks at."""
    sub.add_argument(
        "--on", type=a_date, metavar="DATE", help="YYYY-MM-DD (default: the latest policy's date)"
    )


MANY = (
    "IN is a JSON Lines file (one history a line), a directory (its *.json documents) or one "
    "history document (a *.json file). A document that cannot be read or decided is reported "
    "on standard error with its file and line and the others are still processed; the exit "
    "status is then 1."
)
"""The epilog of every many-school command: what ``IN`` may be, and what a bad document does."""


def many(sub: Parser) -> None:
    """``IN`` and the options of every many-school command (see :data:`MANY`)."""
    sub.add_argument(
        "input",
        type=FileOption("IN", "reads", "a history"),
        metavar="IN",
        help="IN.jsonl, a directory, or one FILE.json",
    )
    as_of(sub)
    policy_option(sub)
    output(sub, "OUT")
    jobs(sub)


def table_forms(sub: Parser) -> None:
    """``--csv`` or ``--json`` instead of the table for people."""
    forms = sub.add_mutually_exclusive_group()
    forms.add_argument("--csv", action="store_true", help="CSV with a header row, ISO dates")
    forms.add_argument("--json", action="store_true", help="one JSON object a line")


def output(sub: Parser, metavar: str) -> None:
    """``-o``: the file the command writes (default: standard output), see :mod:`.files`."""
    sub.add_argument(
        "-o",
        "--output",
        type=FileOption("-o", "writes", "the output"),
        metavar=metavar,
        help="output file (default: stdout)",
    )


def record_option(sub: Parser) -> None:
    """``--record FILE`` (also write the decision record) and ``--sign-with KEY``."""
    sub.add_argument(
        "--record",
        type=FileOption("--record", "writes", "a record"),
        metavar="FILE",
        help="also write the iqm-rules/record@2 document to FILE",
    )
    sign_with(sub, "the record")


def sign_with(sub: Parser, what: str) -> None:
    """``--sign-with KEY``: sign what is recorded with a private key (the signing extra)."""
    sub.add_argument(
        "--sign-with",
        type=FileOption("--sign-with", "reads", "the private key"),
        metavar="KEY",
        help=f"sign {what} with this Ed25519 private key (PEM, from: keys generate)",
    )


def log_option(sub: Parser, made: str) -> None:
    """``--log LOG``: also append the record(s) ``made`` to a decision log."""
    sub.add_argument(
        "--log",
        type=FileOption("--log", "updates", "the decision log"),
        metavar="LOG",
        help=f"also append {made} to the decision log LOG (created if there is none)",
    )


def history_source(sub: Parser) -> None:
    """``FILE``, ``--example``, ``--policy`` and ``--max-bytes``: where one history comes from."""
    sub.add_argument(
        "file", nargs="?", type=HISTORY, metavar="FILE", help="a history document; - for stdin"
    )
    sub.add_argument("--example", metavar="NAME", help="a bundled example instead of FILE")
    policy_option(sub)
    max_bytes(sub)


def max_bytes(sub: Parser, what: str = "FILE") -> None:
    """``--max-bytes N``: the largest input (``what``) read."""
    sub.add_argument(
        "--max-bytes",
        type=positive,
        default=MAX_BYTES,
        metavar="N",
        help=f"refuse a {what} larger than N bytes before reading it all (default: {MAX_BYTES:,})",
    )


def policy_option(sub: Parser) -> None:
    """``--policy FILE``: the policy to decide under."""
    sub.add_argument(
        "--policy",
        type=FileOption("--policy", "reads", "the policy"),
        metavar="FILE",
        help="a policy file, TOML or JSON (default: policy iqm-2025.1 on every date)",
    )


def as_of(sub: Parser) -> None:
    """``--as-of DATE``: the day to look from (default: today)."""
    sub.add_argument("--as-of", type=a_date, metavar="DATE", help="YYYY-MM-DD (default: today)")


def jobs(sub: Parser) -> None:
    """``--jobs N``: how many worker processes."""
    sub.add_argument(
        "--jobs", type=positive, default=1, metavar="N", help="worker processes (default: 1)"
    )


def a_date(text: str) -> date:
    """A ``YYYY-MM-DD`` calendar date, for ``--as-of``."""
    try:
        day = parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a calendar date") from None
    if day is None:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, got {text!r}")
    return day


def whole(text: str) -> int:
    """A whole number ≥ 0, for ``--within``."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 0, got {text!r}")
    return int(text)


def positive(text: str) -> int:
    """A whole number ≥ 1, for ``--jobs``."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 1, got {text!r}")
    return int(text)

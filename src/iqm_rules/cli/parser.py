"""The arguments of ``iqm-rules``: one parser entry per command, naming its handler module.

A command is a parser entry here (its name, summary and arguments) and a handler module
``iqm_rules.cli.commands.NAME`` with ``run(args) -> int``. Handlers are imported only when
their command runs, so ``--help`` and a one-file command load nothing a batch run needs. The
options several commands share, and the types of their values, are in
:mod:`~iqm_rules.cli.options`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from iqm_rules.cli.exits import EXIT_STATUSES
from iqm_rules.cli.files import FileOption
from iqm_rules.cli.options import (
    MANY,
    POLICY_FILE,
    Parser,
    a_date,
    as_of,
    command,
    history_source,
    jobs,
    language,
    log_option,
    many,
    max_bytes,
    on,
    output,
    policy_option,
    record_option,
    sign_with,
    table_forms,
    whole,
)
from iqm_rules.cli.parser_conformance import add_conformance
from iqm_rules.cli.text import PROG
from iqm_rules.interchange import SCHEMAS

__all__ = ["COMMANDS", "EPILOG", "Parser", "build"]

EPILOG = (
    "Exit status: "
    + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_STATUSES)
    + f". Try: {PROG} status --example flagship-journey"
)
"""The epilog of ``iqm-rules --help``: every exit status and what it means."""


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, read only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        from importlib.metadata import version  # only here: a plain command never needs it

        sys.stdout.write(f"{PROG} {version('iqm-rules')}\n")
        parser.exit()


def build(argv: Sequence[str] | None = None) -> Parser:
    """The parser of every command; ``args.command`` names the handler module to run.

    Given the arguments about to be parsed, and when they name a command, only that command's
    arguments are added (its parse, its help and its errors are the same; a one-file command
    does not pay for the others). Otherwise every command is added, for the list in
    ``--help`` and the "invalid choice" error.
    """
    parser = Parser(
        prog=PROG,
        description="Inclusion Quality Mark award eligibility and renewals, rule by rule.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="print the version of iqm-rules and exit"
    )
    language(parser)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    wanted = _named_command(sys.argv[1:] if argv is None else argv)
    for name, add in COMMANDS.items():
        if wanted in (None, name):
            add(commands)
    return parser


def _named_command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word that is not an option, if a command's name.

    >>> _named_command(["status", "--example", "first-award"]), _named_command(["--help"])
    ('status', None)
    """
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def _status(commands: Any) -> None:
    sub = command(commands, "status", "what a school holds on a date, and what must happen next")
    history_source(sub)
    as_of(sub)
    sub.add_argument("--json", action="store_true", help="print iqm-rules/status@1 JSON")
    record_option(sub)
    log_option(sub, "its record")


def _decide(commands: Any) -> None:
    sub = command(commands, "decide", "one assessment's decision, rule by rule")
    history_source(sub)
    sub.add_argument("--assessment", required=True, metavar="ID", help="the assessment's id")
    sub.add_argument("--json", action="store_true", help="print iqm-rules/decision@1 JSON")
    record_option(sub)
    log_option(sub, "its record")


def _timeline(commands: Any) -> None:
    sub = command(commands, "timeline", "the school's journey: what happened, what is projected")
    history_source(sub)
    as_of(sub)
    sub.add_argument(
        "--json", action="store_true", help="print iqm-rules/timeline@1 JSON, each change flagged"
    )


def _rules(commands: Any) -> None:
    sub = command(commands, "rules", "the rulebook, from the rule registry")
    sub.add_argument("--markdown", action="store_true", help="print a Markdown page")
    policy_option(sub)
    sub.add_argument(
        "--as-of",
        type=a_date,
        metavar="DATE",
        help="with --policy, the policy in force on DATE (default: today)",
    )


def _schema(commands: Any) -> None:
    sub = command(commands, "schema", "the JSON Schema of a format")
    sub.add_argument("name", choices=SCHEMAS)


def _example(commands: Any) -> None:
    sub = command(commands, "example", "list the bundled examples, or print one")
    sub.add_argument("name", nargs="?", metavar="NAME", help="the example to print")


def _audit(commands: Any) -> None:
    sub = command(
        commands,
        "audit",
        "recorded outcomes that disagree with the rules, over one school or many (exit 1)",
        epilog=(
            "SOURCE is a history document, a JSON Lines file of histories (one a line), a "
            "directory of history files (*.json), or - for standard input. A file or line that "
            "cannot be read is reported with its location; the others are still audited. With "
            "-o, the report appears under its name only once the run is complete."
        ),
    )
    sub.add_argument(
        "file",
        nargs="?",
        type=FileOption("SOURCE", "reads", "a history"),
        metavar="SOURCE",
        help="history, JSONL file or directory",
    )
    sub.add_argument("--example", metavar="NAME", help="a bundled example instead of SOURCE")
    policy_option(sub)
    shape = sub.add_mutually_exclusive_group()
    shape.add_argument(
        "--json", action="store_true", help="the report as one iqm-rules/audit-report@1 JSON object"
    )
    shape.add_argument("--jsonl", action="store_true", help="one disagreement a line (JSON)")
    shape.add_argument("--csv", action="store_true", help="one disagreement a row (CSV)")
    output(sub, "OUT")
    jobs(sub)


def _verify(commands: Any) -> None:
    sub = command(
        commands,
        "verify",
        "recompute decision records: reproduces, tampered or differs; signed by a key, "
        "forged or unsigned (exit 0 only if all reproduce and none is forged)",
    )
    sub.add_argument(
        "records",
        nargs="+",
        type=FileOption("RECORD", "reads", "a record"),
        metavar="RECORD",
        help="a record file, or JSON Lines of records",
    )
    sub.add_argument(
        "--trust",
        action="append",
        type=FileOption("--trust", "reads", "a trusted public key"),
        metavar="KEY.pub|DIR",
        help="a public key (or a directory of *.pub keys) to trust; may be repeated; an "
        "unsigned record, or one signed by any other key, then fails (exit 1)",
    )
    sub.add_argument(
        "--json", action="store_true", help="print the iqm-rules/verification@2 document"
    )


def _keys(commands: Any) -> None:
    sub = command(commands, "keys", "Ed25519 keys that sign records (the signing extra)")
    actions = sub.add_subparsers(title="actions", metavar="ACTION", dest="action", required=True)
    generate = actions.add_parser(
        "generate",
        help="a new private key (mode 0600) and its public key beside it (.pub)",
        description="A new Ed25519 private key in PEM (mode 0600), and its public key in a "
        "file of the same name ending .pub; neither is ever written over an existing file.",
    )
    generate.add_argument(
        "--out",
        required=True,
        type=FileOption("--out", "creates", "the private key"),
        metavar="KEY",
        help="the private key file to write (the public key goes to KEY.pub, or KEY's name "
        "with .key replaced by .pub)",
    )
    language(generate, argparse.SUPPRESS)


def _readiness(commands: Any) -> None:
    sub = command(commands, "readiness", "how ready a school is for a planned assessment")
    sub.add_argument(
        "file",
        nargs="?",
        type=FileOption("FILE", "reads", "the plan"),
        metavar="FILE",
        help="an iqm-rules/planned@1 document, or a history whose last assessment is planned",
    )
    sub.add_argument("--example", metavar="NAME", help="a bundled example instead of FILE")
    policy_option(sub)
    sub.add_argument(
        "--evidence",
        type=FileOption("--evidence", "reads", "the evidence log"),
        metavar="CSV",
        help="the evidence log as CSV, instead of the plan's evidence",
    )
    sub.add_argument("--json", action="store_true", help="print iqm-rules/readiness@1 JSON")


def _report(commands: Any) -> None:
    sub = command(commands, "report", "a school's report page, as one self-contained HTML file")
    history_source(sub)
    as_of(sub)
    output(sub, "OUT.html")


def _evidence_to_json(commands: Any) -> None:
    sub = command(commands, "evidence-to-json", "an evidence log in CSV, as a JSON array")
    sub.add_argument(
        "csv",
        type=FileOption("EVIDENCE.csv", "reads", "the evidence log"),
        metavar="EVIDENCE.csv",
        help="the evidence log; - for stdin",
    )
    output(sub, "OUT.json")


def _batch(commands: Any) -> None:
    sub = command(
        commands,
        "batch",
        "one history a line in (JSON Lines), one status a line out",
        epilog=(
            "A line that cannot be read or decided is reported on standard error with its file "
            "and line number and produces no output line; the others are still processed and "
            "the exit status is 1. Blank lines are skipped. With -o, the output appears under "
            "its name only once the run is complete."
        ),
    )
    sub.add_argument(
        "input",
        nargs="?",
        type=FileOption("IN.jsonl", "reads", "the histories"),
        metavar="IN.jsonl",
        help="histories, one a line; - for stdin",
    )
    sub.add_argument(
        "--example", metavar="NAME", help="a bundled example, as one line, instead of IN.jsonl"
    )
    as_of(sub)
    policy_option(sub)
    output(sub, "OUT.jsonl")
    sub.add_argument(
        "--records", action="store_true", help="write one iqm-rules/record@2 a line instead"
    )
    sign_with(sub, "each record (with --records or --log)")
    log_option(sub, "the record of each line")
    jobs(sub)
    max_bytes(sub, "line")


def _upcoming(commands: Any) -> None:
    sub = command(
        commands,
        "upcoming",
        "every renewal window, due date and lapse ahead, across many schools",
        epilog=MANY,
    )
    many(sub)
    sub.add_argument(
        "--within",
        type=whole,
        default=90,
        metavar="DAYS",
        help="how far ahead, in days (default: 90)",
    )
    table_forms(sub)


def _register(commands: Any) -> None:
    sub = command(
        commands,
        "register",
        "one row per school and award held on a date, across many schools",
        epilog=MANY,
    )
    many(sub)
    table_forms(sub)


def _serve(commands: Any) -> None:
    from iqm_rules.server.command import add_arguments  # only when serve is named or listed

    sub = command(commands, "serve", "the library as a web service (needs the server extra)")
    add_arguments(sub)


def _policy(commands: Any) -> None:
    sub = command(commands, "policy", "show, compare and check policy files (TOML or JSON)")
    actions = sub.add_subparsers(title="actions", metavar="ACTION", dest="action", required=True)
    show = actions.add_parser(
        "show",
        help="the parameters in force on a date and which policy set each",
        description="The parameters in force on a date and which policy set each.",
    )
    show.add_argument("file", nargs="?", type=POLICY_FILE, metavar="FILE", help="a policy file")
    show.add_argument(
        "--default", action="store_true", help="print the shipped default policy file"
    )
    show.add_argument(
        "--json", action="store_true", help="print the iqm-rules/policy-settings@1 document"
    )
    on(show)
    language(show, argparse.SUPPRESS)
    diff = actions.add_parser(
        "diff",
        help="the parameters that differ between two policy files",
        description="The parameters that differ between two policy files on a date.",
    )
    diff.add_argument(
        "a", type=FileOption("A", "reads", "a policy"), metavar="A", help="a policy file"
    )
    diff.add_argument(
        "b", type=FileOption("B", "reads", "a policy"), metavar="B", help="another policy file"
    )
    on(diff)
    language(diff, argparse.SUPPRESS)
    check = actions.add_parser(
        "lint",
        help="problems in a policy file, each with its path (exit 1 if any)",
        description="Problems in a policy file, each with its path (exit status 1 if any).",
    )
    check.add_argument("file", type=POLICY_FILE, metavar="FILE", help="a policy file")
    check.add_argument(
        "--history",
        type=FileOption("--history", "reads", "a history"),
        metavar="FILE|IN.jsonl|DIR",
        help="also report events dated before any policy is in force",
    )
    language(check, argparse.SUPPRESS)


def _test_cases(commands: Any) -> None:
    sub = command(
        commands,
        "test",
        "run rule case files or directories of them (exit 1 on any failure)",
        epilog="Each mismatch is a line: where in the case file, expected and actual value. "
        "The last line is 'N passed, M failed'.",
    )
    sub.add_argument(
        "paths",
        nargs="+",
        type=FileOption("CASES", "reads", "a case file", recursive=True),
        metavar="CASES",
        help="case files (.toml, .json) or dirs",
    )
    sub.add_argument(
        "--coverage",
        action="store_true",
        help="list the rules, outcomes, award states and changes seen, and those never seen",
    )


def _what_if(commands: Any) -> None:
    sub = command(
        commands,
        "what-if",
        "the schools a policy change would affect, and the rules behind each change",
        epilog=(
            "A line or file that cannot be read is reported on standard error with its line "
            "number or name; the others are still compared and the exit status is 1. With -o, "
            "the output appears under its name only once the run is complete."
        ),
    )
    sub.set_defaults(command="whatif")
    sub.add_argument(
        "input",
        type=FileOption("IN.jsonl|DIR", "reads", "a history"),
        metavar="IN.jsonl|DIR",
        help="histories one a line, - for stdin, or a directory",
    )
    sub.add_argument(
        "--policy",
        required=True,
        type=FileOption("--policy", "reads", "the proposed policy"),
        metavar="NEW",
        help="the proposed policy file",
    )
    sub.add_argument(
        "--base",
        type=FileOption("--base", "reads", "the policy in force"),
        metavar="OLD",
        help="the policy file in force (default: policy iqm-2025.1)",
    )
    as_of(sub)
    form = sub.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON document")
    form.add_argument("--jsonl", action="store_true", help="one JSON line per changed school")
    form.add_argument("--csv", action="store_true", help="one CSV row per change")
    output(sub, "OUT")
    jobs(sub)


def _completion(commands: Any) -> None:
    from iqm_rules.cli.completion import SHELLS  # only when completion is named or listed

    sub = command(
        commands,
        "completion",
        "a shell completion script for iqm-rules, from its own parser",
        epilog=(
            "bash: source <(iqm-rules completion bash), or save it in the directory of "
            "bash-completion (~/.local/share/bash-completion/completions/iqm-rules). zsh: save "
            "it as _iqm-rules in a directory of $fpath, before compinit runs."
        ),
    )
    sub.add_argument("shell", choices=SHELLS, help="the shell the script is for")


def _log(commands: Any) -> None:
    from iqm_rules.cli.log_parser import add_actions  # only when log is named or listed

    sub = command(
        commands,
        "log",
        "the decision log: append records, verify the chain, show, export, head, status",
    )
    add_actions(sub)


COMMANDS: dict[str, Callable[[Any], None]] = {
    "status": _status,
    "decide": _decide,
    "timeline": _timeline,
    "rules": _rules,
    "schema": _schema,
    "example": _example,
    "audit": _audit,
    "verify": _verify,
    "keys": _keys,
    "readiness": _readiness,
    "report": _report,
    "evidence-to-json": _evidence_to_json,
    "batch": _batch,
    "upcoming": _upcoming,
    "register": _register,
    "serve": _serve,
    "policy": _policy,
    "test": _test_cases,
    "what-if": _what_if,
    "log": _log,
    "completion": _completion,
    "conformance": add_conformance,
}
"""Each command's name and the function that adds its parser, in the order ``--help`` lists them."""

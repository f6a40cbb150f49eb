"""The arguments of ``iqm-rules conformance export|run|adapter`` (the conformance suite)."""

from __future__ import annotations

from typing import Any

from iqm_rules.cli.files import FileOption
from iqm_rules.cli.options import command, positive

__all__ = ["add_conformance"]

SUITE = FileOption("DIR", "reads", "the suite")


def add_conformance(commands: Any) -> None:
    """``conformance``: export the suite, run it against an implementation, or answer it."""
    sub = command(
        commands,
        "conformance",
        "the conformance suite: export it, run it on an implementation, or answer it",
    )
    actions = sub.add_subparsers(title="actions", metavar="ACTION", dest="action", required=True)
    export = actions.add_parser(
        "export",
        help="write every case (request and expected response) as JSON files in DIR",
        description="Write the suite as JSON: DIR/index.json, DIR/cases/ID.json for each case "
        "and DIR/schemas/ the JSON Schemas of its messages. DIR must be new or empty.",
    )
    export.add_argument(
        "directory",
        type=FileOption("DIR", "writes", "the suite", directory=True),
        metavar="DIR",
        help="a new or empty directory",
    )
    export.add_argument(
        "--cases",
        action="append",
        default=[],
        type=FileOption("--cases", "reads", "a case file", recursive=True),
        metavar="CASES",
        help="rule case files or directories to include (the project's: cases/)",
    )
    run = actions.add_parser(
        "run",
        help="run the suite in DIR on a program or a service (exit 1 on any failure)",
        description="Run every case of an exported suite on a program (--command: one request "
        "on standard input, one response on standard output) or on a service (--url). Each "
        "failure is a line: the case, the first field that differs, both values. The last "
        "line is 'N passed, N failed'.",
    )
    run.add_argument(
        "suite", type=SUITE, metavar="DIR", help="a directory conformance export wrote"
    )
    target = run.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--command",
        dest="program",
        metavar="CMD",
        help="the program to run for each case, split as a shell would",
    )
    target.add_argument(
        "--url", metavar="URL", help="a service with this project's endpoints (POST /status ...)"
    )
    run.add_argument(
        "--timeout",
        type=positive,
        default=30,
        metavar="SECONDS",
        help="time allowed for each case (default: 30)",
    )
    run.add_argument(
        "--jobs", type=positive, default=1, metavar="N", help="cases run at once (default: 1)"
    )
    run.add_argument(
        "--case",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only the cases whose id matches PATTERN (shell-style, e.g. 'examples/*')",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="compare every member, informative text and optional members included",
    )
    actions.add_parser(
        "adapter",
        help="answer one request (standard input) with this library (standard output)",
        description="Read one iqm-rules/conformance-request@1 document on standard input and "
        "write its response on standard output: this library as a conforming program.",
    )

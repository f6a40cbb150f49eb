"""The ``serve`` sub-command: run the service under uvicorn.

:func:`add_arguments` fills an :class:`argparse.ArgumentParser` (the ``iqm-rules`` command's
``serve`` parser, or the one of ``python -m iqm_rules.server``); :func:`run` starts the server
and returns the exit status. The options travel to uvicorn's worker processes as the
``IQM_RULES_*`` environment variables read by :func:`iqm_rules.server.service.from_environment`
and, for the header timeout and the connection limit, by the HTTP protocol of
:mod:`iqm_rules.server.protocol`; ``--keep-alive`` is uvicorn's own.
Importing this module imports neither Starlette nor uvicorn.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Final

__all__ = ["add_arguments", "run"]

_EXIT_USAGE: Final = 2


def _whole(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 1, got {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``serve``."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="an iqm-rules/policy@1 document for requests that bring none "
        "(default: policy iqm-2025.1 on every date)",
    )
    parser.add_argument(
        "--workers", type=_whole, default=1, metavar="N", help="worker processes (default: 1)"
    )
    parser.add_argument(
        "--max-body-bytes",
        type=_whole,
        default=10 * 1024 * 1024,
        metavar="N",
        help="refuse request bodies above N bytes with 413 (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="a request's time limit (default: %(default)s)",
    )
    parser.add_argument(
        "--header-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="close a connection whose request headers take longer (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-alive",
        type=_whole,
        default=5,
        metavar="SECONDS",
        help="close a kept-alive connection idle this long (default: %(default)s)",
    )
    parser.add_argument(
        "--max-connections",
        type=_whole,
        default=256,
        metavar="N",
        help="answer connections above N per worker with 503 (default: %(default)s)",
    )
    parser.add_argument(
        "--log",
        metavar="LOG",
        help="a decision log to answer GET /schools/{id}/status and GET /log/head from "
        "(opened read-only; default: none)",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow this origin by CORS (repeatable; * for any; default: CORS off)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until SIGTERM or Ctrl-C; 2 if the extra is missing or the policy is unreadable."""
    try:
        import uvicorn

        from iqm_rules.errors import IQMRulesError
        from iqm_rules.server.protocol import BoundedH11Protocol
        from iqm_rules.server.service import from_environment
    except ImportError as error:
        print(
            f"iqm-rules: error: serve needs the server extra ({error.name} is missing): "
            "pip install 'iqm-rules[server]'",
            file=sys.stderr,
        )
        return _EXIT_USAGE
    settings = {
        "IQM_RULES_POLICY": os.path.abspath(args.policy) if args.policy else "",
        "IQM_RULES_MAX_BODY_BYTES": str(args.max_body_bytes),
        "IQM_RULES_TIMEOUT": repr(args.timeout),
        "IQM_RULES_CORS_ORIGINS": ",".join(args.cors_origin),
        "IQM_RULES_HEADER_TIMEOUT": repr(args.header_timeout),
        "IQM_RULES_MAX_CONNECTIONS": str(args.max_connections),
        "IQM_RULES_LOG": os.path.abspath(args.log) if args.log else "",
    }
    os.environ.update(settings)
    try:
        from_environment()  # fail now, with one line, rather than in every worker
    except IQMRulesError as error:
        from iqm_rules.decision_log.entries import LogProblem

        if isinstance(error, LogProblem):
            where = "--log"  # the error names the log's file
        else:
            where = f"--policy {args.policy}" if args.policy else "serve"
        print(f"iqm-rules: error: {where}: {error}", file=sys.stderr)
        return _EXIT_USAGE
    uvicorn.run(
        "iqm_rules.server.service:from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=BoundedH11Protocol,
        timeout_keep_alive=args.keep_alive,
        access_log=False,
        timeout_graceful_shutdown=args.timeout + 5,
    )
    return 0

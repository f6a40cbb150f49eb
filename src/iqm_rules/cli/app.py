"""``main``: parse the arguments, run the command's handler, turn every ending into a status."""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext, suppress
from typing import cast

from iqm_rules._shown import shown
from iqm_rules.cli import parser
from iqm_rules.cli.collector import paused
from iqm_rules.cli.exits import ExitStatus, Failure, Terminated
from iqm_rules.cli.files import refuse_overwrites
from iqm_rules.cli.text import PROG
from iqm_rules.errors import IQMRulesError

__all__ = ["main", "owned_streams"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``iqm-rules`` with ``argv`` (default: the process arguments); return the exit status."""
    return int(_run(argv))


_STREAMING = frozenset({"audit", "batch", "policy", "register", "serve", "upcoming", "whatif"})
"""Commands that may run long over many documents: their pool pauses the collector around each
document (:mod:`.pool`), and the service never pauses it. Every other command reads one file
and ends, its whole work with the collector paused (:mod:`.collector`)."""


def _run(argv: Sequence[str] | None) -> int:
    try:
        given = sys.argv[1:] if argv is None else list(argv)
        built = parser.build(given)
        if "-h" in given or "--help" in given:
            from iqm_rules.cli.help import help_language, speak  # only when help is asked for

            speak(built, help_language(given))
        args = built.parse_args(given)
        refuse_overwrites(args)  # before any work: no output may be one of the inputs
        handler = importlib.import_module(f"iqm_rules.cli.commands.{args.command}")
        run = cast(Callable[[object], int], handler.run)
        with nullcontext() if args.command in _STREAMING else paused():
            code = run(args)
        sys.stdout.flush()
        return code
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    except (Failure, IQMRulesError) as error:
        complain(str(error))
        return ExitStatus.USAGE
    except KeyboardInterrupt:
        complain("interrupted")
        return ExitStatus.INTERRUPTED
    except Terminated:
        complain("terminated")
        return ExitStatus.TERMINATED
    except BrokenPipeError:
        _silence_stdout()
        complain("output closed before everything was written")
        return ExitStatus.OUTPUT_CLOSED
    except OSError as error:  # a full disk, a vanished folder: one line, never a traceback
        _silence_stdout()
        complain(f"cannot write the output: {error.strerror or error}")
        return ExitStatus.USAGE


def owned_streams() -> None:
    """In the ``iqm-rules`` program's own process: standard output (JSON included) is UTF-8
    whatever the locale, and errors never fail to print."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in (
            "utf-8",
            "utf8",
        ):
            with suppress(OSError, ValueError):
                stream.reconfigure(encoding="utf-8", errors=errors)


def complain(message: str) -> None:
    """An error, as one line on standard error: whatever of a file it names is shown safe on a
    terminal (:func:`~iqm_rules._shown.shown`), a newline in it included."""
    print(f"{PROG}: error: {shown(message)}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a reader closed the pipe, send what is left to /dev/null (no error at exit)."""
    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

"""The ``iqm-rules`` command: status, decisions, timelines, the rulebook and batch runs.

A thin edge over the library: it reads files, writes text or JSON, and is the one place that
reads the clock (``--as-of`` defaults to today). Every command that reads a history takes a
``FILE`` (``-`` for standard input) or ``--example NAME`` (a bundled example).

Where things are: :mod:`~iqm_rules.cli.parser` (every command's arguments) and
:mod:`~iqm_rules.cli.options` (the options they share), :mod:`~iqm_rules.cli.commands` (one
handler module per command), :mod:`~iqm_rules.cli.inputs` (files, examples, policies, the
clock), :mod:`~iqm_rules.cli.files` (which files a command reads and writes, and the one way it
writes them), :mod:`~iqm_rules.cli.text`, :mod:`~iqm_rules.cli.school_text` and
:mod:`~iqm_rules.cli.office_text` (every text report, as pure functions),
:mod:`~iqm_rules.cli.completion` (shell completion, from the parser),
:mod:`~iqm_rules.cli.batching` (many-document runs),
:mod:`~iqm_rules.cli.pool` (the one worker pool of ``--jobs``) and
:mod:`~iqm_rules.cli.exits` (exit statuses).

Exit status (:class:`ExitStatus`):

- 0 success;
- 1 a recorded outcome disagrees with the rules, a batch line failed, or standard output was
  closed before everything was written (a broken pipe);
- 2 bad usage or unreadable input;
- 130 interrupted (Ctrl-C, SIGINT);
- 143 terminated (SIGTERM).

Errors are one line on standard error, never a traceback:

>>> main(["decide", "--example", "first-award", "--assessment", "nope"])
2

:func:`main` runs a command inside any program. :func:`program` is the ``iqm-rules`` program
itself, in a process it owns: before anything else is imported it makes SIGTERM unwind like
Ctrl-C, so either one, however early, ends the run with one line and its exit status.
"""

from __future__ import annotations

import signal
import sys

from iqm_rules.cli.exits import ExitStatus, Terminated, stop

TYPE_CHECKING = False  # typing is not imported before the program has taken its signals
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ExitStatus", "main", "program"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``iqm-rules`` with ``argv`` (default: the process arguments); return the exit status."""
    from iqm_rules.cli.app import main as run

    return run(argv)


def program() -> int:
    """The ``iqm-rules`` program (and ``python -m iqm_rules``), which owns its process."""
    try:  # a signal from the first of these lines on is the program's, handled below
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)  # the last: once it is taken, both are
        from iqm_rules.cli.app import main as run
        from iqm_rules.cli.app import owned_streams

        owned_streams()
        status = run(None)
        _finished()
        return status
    except KeyboardInterrupt:  # while the command's modules were still being imported
        _finished()
        return _early(ExitStatus.INTERRUPTED, "interrupted")
    except Terminated:
        _finished()
        return _early(ExitStatus.TERMINATED, "terminated")


def _finished() -> None:
    """The run has ended, its output whole or its temporary files gone: a stop asked for now,
    while the interpreter exits (its exit handlers, which may write files of their own), would
    interrupt only that exit. It is ignored; the status already says what happened."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _early(status: ExitStatus, what: str) -> int:
    try:  # noqa: SIM105  (contextlib is not imported this early)
        print(f"iqm-rules: error: {what}", file=sys.stderr)
    except (OSError, ValueError):
        pass
    return status

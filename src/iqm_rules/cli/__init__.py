"""The ``iqm-rules`` command: status, decisions, timelines, the rulebook and batch runs.

A thin edge over the library: it reads files, writes text or JSON, and is the one place that
reads the clock (``--as-of`` defaults to today). Every command that reads a history takes a
``FILE`` (``-`` for standard input) or ``--example NAME`` (a bundled example).

Where things are: :mod:`~iqm_rules.cli.parser` (every command's arguments),
:mod:`~iqm_rules.cli.commands` (one handler module per command), :mod:`~iqm_rules.cli.inputs`
(files, examples, policies, the clock), :mod:`~iqm_rules.cli.render` (every text report, as
pure functions), :mod:`~iqm_rules.cli.batching` (the worker pool, signals and atomic output
of many-document runs) and :mod:`~iqm_rules.cli.exits` (exit statuses).

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
"""

from iqm_rules.cli.app import main
from iqm_rules.cli.exits import ExitStatus

__all__ = ["ExitStatus", "main"]

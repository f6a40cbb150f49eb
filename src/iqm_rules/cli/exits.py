"""What the exit status of ``iqm-rules`` says, and the errors that end a command early."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["EXIT_STATUSES", "ExitStatus", "Failure", "Terminated"]


class ExitStatus(IntEnum):
    """The exit status of ``iqm-rules``; several names may share a code (1 says "look")."""

    OK = 0
    """Success: everything was read, decided and written."""
    DISAGREEMENT = 1
    """A recorded outcome disagrees with the rules (``status``, ``decide``, ``audit``)."""
    LINE_FAILED = 1
    """A batch line could not be read or decided; the other lines were still processed."""
    OUTPUT_CLOSED = 1
    """Standard output was closed (a broken pipe) before everything was written."""
    USAGE = 2
    """Bad usage or unreadable input: nothing was decided."""
    INTERRUPTED = 130
    """Interrupted by Ctrl-C (SIGINT), 128 + 2 as shells report it."""
    TERMINATED = 143
    """Terminated by SIGTERM, 128 + 15 as shells report it."""


EXIT_STATUSES: tuple[tuple[int, str], ...] = (
    (ExitStatus.OK, "success"),
    (
        ExitStatus.DISAGREEMENT,
        "a recorded outcome disagrees with the rules, a batch line failed, or standard output "
        "was closed before everything was written (a broken pipe)",
    ),
    (ExitStatus.USAGE, "bad usage or unreadable input"),
    (ExitStatus.INTERRUPTED, "interrupted (Ctrl-C)"),
    (ExitStatus.TERMINATED, "terminated (SIGTERM)"),
)
"""Each distinct exit status with what it means, for ``--help`` and the docs."""


class Failure(Exception):
    """Bad usage or unreadable input: reported as one line, exit status 2."""


class Terminated(BaseException):
    """SIGTERM arrived: unwind like ``KeyboardInterrupt`` so that temporary files go."""

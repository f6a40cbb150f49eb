"""What the exit status of ``iqm-rules`` says, and the errors that end a command early."""

from __future__ import annotations

import signal
from enum import IntEnum

__all__ = [
    "EXIT_STATUSES",
    "ExitStatus",
    "Failure",
    "Terminated",
    "forget_stops",
    "stop",
    "unwind_if_asked",
]


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
        "a recorded outcome disagrees with the rules, the level a readiness check seeks is not "
        "met, a batch line failed, or standard output was closed before everything was written "
        "(a broken pipe)",
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


_asked: list[type[BaseException]] = []
"""The stops asked for by a signal in this process, first first (see :func:`stop`)."""


def stop(signum: int, frame: object) -> None:
    """The handler of SIGINT and SIGTERM in a process the command line owns: remember that a stop
    was asked for, then unwind (``KeyboardInterrupt`` or :class:`Terminated`).

    Python runs a signal's handler between any two steps of the program, a finalizer's included
    (a generator closed as it is freed, a ``__del__``); an exception raised there is reported as
    ignored and lost, and the run would go on. So the stop is remembered too, and the loops of a
    run call :func:`unwind_if_asked` between documents.
    """
    asked: type[BaseException] = KeyboardInterrupt if signum == signal.SIGINT else Terminated
    _asked.append(asked)
    raise asked


def unwind_if_asked() -> None:
    """Unwind now if a signal asked this process to stop and its exception was lost."""
    if _asked:
        raise _asked[0]


def forget_stops() -> None:
    """Forget the stops asked for: a run that has unwound has dealt with them (a program that
    runs commands in its own process, as the tests do, goes on)."""
    _asked.clear()

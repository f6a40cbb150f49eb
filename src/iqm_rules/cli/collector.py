"""The cyclic garbage collector paused while a command reads, replays and writes histories.

Reading, replaying and writing a history allocate many small objects that form no reference
cycles, so the collector's passes over them (triggered by allocation counts, and slower the more
objects are alive) find nothing to free: they were a fifth of the time of a run with the
collector on.
Reference counting still frees everything as usual while the collector is paused.

:func:`paused` is re-entrant and thread-safe: the collector is paused by the first of nested or
concurrent users and enabled again by the last, and only if it was enabled when paused, so an
application that disabled it keeps it disabled. It is enabled again even when the work raises.

The collector is process-wide, so only processes the command line owns pause it: a one-file
command around its whole work (:mod:`.app`), a batch around each document, in its workers and
with ``--jobs 1`` alike (:mod:`.pool`). The library itself never touches it.
"""

from __future__ import annotations

import _thread
import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_LOCK = _thread.allocate_lock()
_users = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused for the ``with`` block, restored after it, even on error."""
    global _users, _was_enabled
    with _LOCK:
        if _users == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _users += 1
    try:
        yield
    finally:
        with _LOCK:
            _users -= 1
            if _users == 0 and _was_enabled:
                gc.enable()

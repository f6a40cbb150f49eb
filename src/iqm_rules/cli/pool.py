"""The one worker pool of every ``--jobs`` command: ``work`` over many items, in order, and an
end that never waits on a worker.

:func:`mapped` runs a picklable ``work`` over :class:`Item` s in input order, in ``jobs``
processes of a :class:`multiprocessing.pool.Pool`, and gives each item's :class:`Done` or
:class:`Failed`. However the block is left (the end of the items, an error, Ctrl-C, SIGTERM),
no worker outlives it and nothing waits on one:

- While the pool starts, SIGINT and SIGTERM are blocked in the starting thread. The pool's
  threads inherit that mask, and so every worker starts with both blocked. The worker ignores
  both before it unblocks them, so a signal sent to the whole process group (a shell's kill, a
  service manager, Ctrl-C) never ends a worker half way through writing a result or holding a
  queue lock: the parent alone decides, and it was signalled too.
- A worker asks Linux to kill it when its parent dies, and ends at once if the parent died
  before it could ask.
- Leaving early (:func:`_abandon`) first stops the pool's worker handler, the thread that starts
  replacement workers, and waits for it, killing every worker as it appears; only then are the
  workers known to be all there is. Each is killed (SIGKILL cannot be ignored) and reaped, and
  the pool's own clean-up, which would wait on its queues, is cancelled. Nothing is left for
  :mod:`multiprocessing`'s exit handler to wait on: it joins the children it knows after
  sending them SIGTERM, which a worker ignores, so one left alive would hang the exit for ever.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Generic, TypeVar

from attrs import frozen

from iqm_rules.cli.collector import paused
from iqm_rules.errors import IQMRulesError

__all__ = ["CHUNK", "IN_FLIGHT_PER_JOB", "Done", "Failed", "Item", "mapped"]

T = TypeVar("T")

CHUNK = 16
"""Items sent to a worker at a time with ``--jobs``."""

IN_FLIGHT_PER_JOB = 8 * CHUNK
"""Items read ahead per worker: what bounds memory however long the input is."""

_STOPPING = (signal.SIGINT, signal.SIGTERM)


@frozen
class Item:
    """One input document: where it is (``line 17``, a file name) and its bytes; or, with a
    ``problem``, a document that could not be read (reported as :class:`Failed`)."""

    where: str
    text: bytes
    problem: str | None = None


@frozen
class Done(Generic[T]):
    """An item's result: its location, its size in bytes, and what ``work`` returned."""

    where: str
    size: int
    value: T


@frozen
class Failed:
    """An item that could not be read or decided: its location, size, and what is wrong."""

    where: str
    size: int
    problem: str


def _guarded(work: Callable[[bytes], T], item: Item) -> Done[T] | Failed:
    """``work`` on one item, in a worker (or with ``--jobs 1``, in the command's process), the
    collector paused: any error becomes :class:`Failed`, never a crash."""
    if item.problem is not None:
        return Failed(item.where, len(item.text), item.problem)
    try:
        with paused():  # see iqm_rules.cli.collector: this process is the command line's
            value = work(item.text)
        return Done(item.where, len(item.text), value)
    except IQMRulesError as error:
        return Failed(item.where, len(item.text), str(error))
    except Exception as error:  # one bad item must not stop the others
        problem = f"cannot decide: {type(error).__name__}: {error}"
        return Failed(item.where, len(item.text), problem)


@contextmanager
def mapped(
    items: Iterator[Item], work: Callable[[bytes], T], jobs: int
) -> Iterator[Iterator[Done[T] | Failed]]:
    """``work`` over ``items`` in input order, with ``jobs`` worker processes if more than one.

    ``work`` must be picklable (a module-level function or a :func:`functools.partial` of
    one). At most ``jobs * IN_FLIGHT_PER_JOB`` items are read ahead of the results consumed.
    Leaving the block (normally or by an exception) stops the workers.
    """
    call = functools.partial(_guarded, work)
    if jobs == 1:
        yield map(call, items)
        return
    slots = threading.BoundedSemaphore(jobs * IN_FLIGHT_PER_JOB)
    stop = threading.Event()
    pool: multiprocessing.pool.Pool | None = None
    try:
        with _blocked():
            pool = multiprocessing.Pool(jobs, initializer=_worker_started, initargs=(os.getpid(),))
        results = pool.imap(call, _throttled(items, slots, stop), chunksize=CHUNK)
        yield _releasing(results, slots)
        stop.set()
        pool.close()
        pool.join()
    except BaseException:
        stop.set()
        _abandon(pool)
        raise


@contextmanager
def _blocked() -> Iterator[None]:
    """SIGINT and SIGTERM held back in this thread (and the threads and processes it starts)
    for the block; one that came meanwhile is delivered as it ends."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextmanager
def _ignored() -> Iterator[None]:
    """SIGINT and SIGTERM ignored for the block, in the main thread: a second Ctrl-C does not
    cut short the ending the first one began."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = [(number, signal.signal(number, signal.SIG_IGN)) for number in _STOPPING]
    try:
        yield
    finally:
        for number, handler in before:
            signal.signal(number, handler)


def _abandon(pool: multiprocessing.pool.Pool | None) -> None:
    """End a pool at once, waiting on nothing its workers hold (see the module's text).

    ``Pool.terminate`` takes the task queue's lock and reads the result pipe to the end, which
    a worker killed holding that lock, or half way through writing a result, makes wait for
    ever; so the workers are killed outright, and their pipes left to the process's end.
    """
    with _ignored():
        if pool is not None:
            handler: Any = pool._worker_handler  # type: ignore[attr-defined]
            handler._state = multiprocessing.pool.TERMINATE  # start no more workers
            pool._change_notifier.put(None)  # type: ignore[attr-defined]  # wake it to see so
            while handler.is_alive():
                _kill(_workers(pool))
                handler.join(0.05)
            pool._terminate.cancel()  # type: ignore[attr-defined]
        _kill(_workers(pool))


def _workers(pool: multiprocessing.pool.Pool | None) -> list[Any]:
    """Every worker there is: the pool's own and any child process not yet in its list."""
    found: list[Any] = list(multiprocessing.active_children())
    if pool is not None:
        found.extend(w for w in pool._pool if w not in found)  # type: ignore[attr-defined]
    return found


def _kill(workers: Iterable[Any]) -> None:
    """SIGKILL each worker and reap it (a killed process cannot refuse to end)."""
    workers = list(workers)
    for worker in workers:
        with suppress(OSError, ValueError, AttributeError):
            worker.kill()
    for worker in workers:
        with suppress(OSError, ValueError, AssertionError):
            worker.join()


def _releasing(results: Iterable[T], slots: threading.BoundedSemaphore) -> Iterator[T]:
    """``results``, freeing an item's slot once the consumer has dealt with it."""
    for result in results:
        yield result
        slots.release()


def _throttled(
    items: Iterator[Item], slots: threading.BoundedSemaphore, stop: threading.Event
) -> Iterator[Item]:
    """``items``, each only once a slot is free: the pool's feeder cannot read ahead unbounded.

    Runs in the pool's feeder thread; gives up when ``stop`` is set so the pool can shut down.
    """
    for item in items:
        while not slots.acquire(timeout=0.05):
            if stop.is_set():
                return
        if stop.is_set():
            return
        yield item


def _worker_started(parent: int) -> None:
    """In a worker, first thing: Ctrl-C and SIGTERM are the parent's to handle (they arrive
    blocked, see :func:`_blocked`, and are ignored before they are let through), and the worker
    dies with its parent, or at once if the parent is already gone."""
    for number in _STOPPING:
        signal.signal(number, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(0)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``)."""
    with suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG

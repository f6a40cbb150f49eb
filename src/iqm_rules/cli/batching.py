"""Batch machinery: map a function over many input items, in order, in a pool, safely.

Any command that processes many documents (``batch``, ``audit``) uses :func:`running` (or
:func:`over`, given the items): it opens the input as a stream of :class:`Item` (the non-blank
lines of a JSON Lines file; :func:`files_in` gives the documents of a directory), maps a picklable
``work`` function over them with ``--jobs`` worker processes in input order (:func:`mapped`),
reports each item that fails with its location and goes on, draws a progress bar on a terminal,
turns SIGTERM into an unwinding exception, and writes the output to a temporary file that replaces
``-o``'s target only once the run is complete (:func:`replaced`).

Imported only by the commands that use it: a one-file command starts no pool and loads neither
:mod:`multiprocessing` nor ``tqdm``.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import multiprocessing.pool
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from glob import escape as glob_escape
from pathlib import Path
from types import FrameType
from typing import IO, Any, Generic, TextIO, TypeVar

from attrs import frozen

from iqm_rules.cli.exits import ExitStatus, Failure, Terminated
from iqm_rules.cli.inputs import Input
from iqm_rules.errors import IQMRulesError

__all__ = [
    "Done",
    "Failed",
    "Item",
    "Progress",
    "Run",
    "documents_in",
    "files_in",
    "files_size",
    "finished",
    "input_size",
    "lines_of",
    "mapped",
    "over",
    "replaced",
    "running",
    "sigterm_unwinds",
]

T = TypeVar("T")

CHUNK = 16
"""Items sent to a worker at a time with ``--jobs``."""

IN_FLIGHT_PER_JOB = 8 * CHUNK
"""Items read ahead per worker: what bounds memory however long the input is."""


@frozen
class Item:
    """One input document: where it is (``line 17``, a file name) and its bytes."""

    where: str
    text: bytes


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


def lines_of(stream: IO[bytes]) -> Iterator[Item]:
    """The non-blank lines of ``stream`` with their 1-based line numbers, read one at a time."""
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield Item(f"line {number}", line)


def files_in(directory: Path, pattern: str = "*.json") -> Iterator[Item]:
    """The documents of ``directory`` matching ``pattern``, in name order, each read when
    reached; an unreadable one is a :class:`Failure` naming it."""
    for path in sorted(directory.glob(pattern)):
        try:
            text = path.read_bytes()
        except OSError as error:
            raise Failure(f"cannot read {path}: {error.strerror or error}") from None
        yield Item(str(path), text)


def files_size(directory: Path, pattern: str = "*.json") -> int | None:
    """The bytes of the documents :func:`files_in` reads, for the progress bar; None if unknown."""
    try:
        return sum(path.stat().st_size for path in directory.glob(pattern))
    except OSError:
        return None


def documents_in(path: Path) -> tuple[Iterator[Item], int | None]:
    """The documents of ``path`` and their size in bytes: a directory's ``*.json`` files, one
    ``*.json`` document, or the lines of any other file (JSON Lines, each named by the file)."""
    try:
        if path.is_dir():
            return files_in(path), files_size(path)
        if path.suffix == ".json":
            text = path.read_bytes()
            return iter([Item(str(path), text)]), len(text)
        size = path.stat().st_size
    except OSError as error:
        raise Failure(f"cannot read {path}: {error.strerror or error}") from None
    return _lines_in(path), size


def _lines_in(path: Path) -> Iterator[Item]:
    with path.open("rb") as stream:
        for item in lines_of(stream):
            yield Item(f"{path}, {item.where}", item.text)


def _guarded(work: Callable[[bytes], T], item: Item) -> Done[T] | Failed:
    """``work`` on one item, in a worker: any error becomes :class:`Failed`, never a crash.

    A failure is a message for people (a line on standard error, a line of a report): its
    location (a file name is text too) and problem are shown safe on a terminal
    (:func:`~iqm_rules._shown.shown`).
    """
    from iqm_rules._shown import shown

    try:
        return Done(item.where, len(item.text), work(item.text))
    except IQMRulesError as error:
        return Failed(shown(item.where), len(item.text), shown(str(error)))
    except Exception as error:  # one bad item must not stop the others
        problem = f"cannot decide: {type(error).__name__}: {error}"
        return Failed(shown(item.where), len(item.text), shown(problem))


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
    pool = multiprocessing.Pool(jobs, initializer=_worker_started)
    try:
        results = pool.imap(call, _throttled(items, slots, stop), chunksize=CHUNK)
        yield _releasing(results, slots)
    except BaseException:
        stop.set()
        _abandon(pool)
        raise
    stop.set()
    pool.close()
    pool.join()


def _abandon(pool: Any) -> None:
    """End a pool at once, waiting on nothing its workers hold.

    ``Pool.terminate`` takes the task queue's lock and reads the result pipe to the end: a
    worker killed holding that lock, or half way through writing a result (a signal sent to
    the whole process group reaches the workers too), makes it wait for ever. So the workers
    are killed outright (after the pool stops replacing workers that end) and the pool's own
    clean-up, which would wait the same way at exit, is cancelled; its threads are daemons and
    end with the process.
    """
    pool._worker_handler._state = multiprocessing.pool.TERMINATE  # no worker replaced now
    pool._terminate.cancel()
    for _ in range(3):  # a worker the handler was starting as it stopped is killed too
        for worker in multiprocessing.active_children():
            with suppress(OSError):
                worker.kill()
            worker.join(5)
        time.sleep(0.05)


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


def _worker_started() -> None:
    """In a worker: Ctrl-C and SIGTERM are the parent's to handle. A signal sent to the whole
    process group (a shell's kill, a service manager) must not end a worker half way through
    writing a result or holding a queue lock: the parent ends the pool (:func:`_abandon`). A
    worker whose parent dies is killed at once, so no orphan lingers or prints."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``)."""
    with suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG


# --- a whole run ---------------------------------------------------------------------------------


class Progress:
    """A progress bar on standard error when it is a terminal and ``tqdm`` is installed."""

    def __init__(self, bar: Any | None) -> None:
        self._bar = bar

    def advance(self, size: int) -> None:
        if self._bar is not None:
            self._bar.update(size)

    def say(self, message: str) -> None:
        """A line on standard error that does not break the bar."""
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)


class Run(Generic[T]):
    """An open run (see :func:`running`): the output to write to, and the items' values."""

    def __init__(self, out: TextIO, progress: Progress, results: Iterator[Done[T] | Failed]):
        self.out = out
        self.progress = progress
        self._results = results
        self.failed = 0
        """Items that could not be read or decided."""
        self.total = 0
        """Items processed."""

    def results(self) -> Iterator[Done[T] | Failed]:
        """Every item's result in input order, failed items included and not reported: for a
        command that reports them itself (``audit`` puts them in its report)."""
        for result in self._results:
            self.total += 1
            if isinstance(result, Failed):
                self.failed += 1
            yield result
            self.progress.advance(result.size)

    def values(self) -> Iterator[T]:
        """What ``work`` returned for each good item, in input order. Each failed item is
        reported on standard error (``line 4: ...``) and skipped."""
        for result in self.results():
            if isinstance(result, Done):
                yield result.value
            else:
                self.progress.say(f"{result.where}: {result.problem}")


@contextmanager
def running(
    source: Input,
    output: str | None,
    work: Callable[[bytes], T],
    jobs: int,
    split: Callable[[IO[bytes]], Iterator[Item]] = lines_of,
) -> Iterator[Run[T]]:
    """A run of ``work`` over the items of ``source`` (``split``: its lines by default), writing
    to ``output`` (None: stdout); see :func:`over`."""
    check_target(output, source.file)
    with (
        source.lines() as stream,
        over(split(stream), input_size(stream), output, work, jobs) as run,
    ):
        yield run


@contextmanager
def over(
    items: Iterator[Item],
    size: int | None,
    output: str | None,
    work: Callable[[bytes], T],
    jobs: int,
) -> Iterator[Run[T]]:
    """A run of ``work`` over ``items`` (``size`` bytes in all, None if unknown, for the
    progress bar), writing to ``output`` (None: stdout).

    Within the block, SIGTERM raises :class:`~iqm_rules.cli.exits.Terminated`; on any exception
    the workers stop and the target of ``output`` is left as it was.
    """
    with (
        sigterm_unwinds(),
        _progress(size) as progress,
        replaced(output) as out,
        mapped(items, work, jobs) as results,
    ):
        yield Run(out, progress, results)


def finished(run: Run[Any]) -> int:
    """The exit status of a finished run: 1 if any item failed (saying how many), else 0."""
    if run.failed:
        noun = "document" if run.total == 1 else "documents"
        run.progress.say(f"iqm-rules: {run.failed} of {run.total} {noun} failed; skipped")
        return ExitStatus.LINE_FAILED
    return ExitStatus.OK


def check_target(target: str | None, source: str | None) -> None:
    """Refuse, before any work, an output that is a folder or the input itself (or a link to
    it): the run would fail at its end, or destroy the histories it reads."""
    if target is None:
        return
    path = Path(target)
    if path.is_dir():
        raise Failure(f"-o {target} is a directory; name a file")
    if source not in (None, "-") and path.exists():
        with suppress(OSError):
            if os.path.samefile(str(source), path):
                raise Failure(f"-o {target} is the input file {source}; name another file")


def _stale_parts(path: Path) -> None:
    """Remove temporary files of this naming left beside ``path`` by a run that was killed
    (their process is gone); those of a run still going are left alone."""
    for part in path.parent.glob(f".{glob_escape(path.name)}.*.part"):
        pid = part.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with suppress(OSError):
                part.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextmanager
def replaced(target: str | None) -> Iterator[TextIO]:
    """Standard output, or a temporary file beside ``target`` moved onto it only on success.

    Any exception, ``KeyboardInterrupt`` or SIGTERM (see :func:`sigterm_unwinds`) on the way
    removes the temporary file: ``target`` is never left half written.
    """
    if target is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    if path.exists() and not path.is_file():  # a device or a pipe: written as it is
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as out:
                yield out
        except OSError as error:
            raise Failure(f"cannot write {target}: {error.strerror or error}") from None
        return
    _stale_parts(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".part"
        )
    except OSError as error:
        raise Failure(f"cannot write {target}: {error.strerror or error}") from None
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with open(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise Failure(f"cannot write {target}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (read by setting it, so set it straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While running, SIGTERM raises :class:`Terminated` so that clean-ups run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _progress(total: int | None) -> Iterator[Progress]:
    if not sys.stderr.isatty():
        yield Progress(None)
        return
    try:
        from tqdm import tqdm
    except ImportError:
        yield Progress(None)
        return
    bar = tqdm(total=total, unit="B", unit_scale=True, desc="iqm-rules", file=sys.stderr)
    try:
        yield Progress(bar)
    finally:
        bar.close()


def input_size(source: IO[bytes]) -> int | None:
    """The size of a regular file being read, for the progress bar; None for a pipe."""
    try:
        info = os.fstat(source.fileno())
    except (OSError, io.UnsupportedOperation):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None

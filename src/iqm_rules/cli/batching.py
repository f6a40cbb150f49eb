"""Runs over many documents: the input's items, the pool, the progress bar, the output.

Any command that processes many documents (``batch``, ``audit``, ``what-if``, ``upcoming``,
``register``) uses :func:`running` (or :func:`over`, given the items): it opens the input as a
stream of :class:`Item` (the non-blank lines of a JSON Lines file; :func:`files_in` gives the
documents of a directory), maps a picklable ``work`` function over them with ``--jobs`` worker
processes in input order (:func:`~iqm_rules.cli.pool.mapped`, the one pool), reports each item
that fails with its location and goes on, draws a progress bar on a terminal, turns SIGTERM
into an unwinding exception, and writes the output through
:func:`~iqm_rules.cli.files.written`, under its name only once the run is complete.

Imported only by the commands that use it: a one-file command starts no pool and loads neither
:mod:`multiprocessing` nor ``tqdm``.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Generic, TextIO, TypeVar

from iqm_rules._shown import shown
from iqm_rules.cli.exits import ExitStatus, Failure, forget_stops, stop, unwind_if_asked
from iqm_rules.cli.files import written
from iqm_rules.cli.inputs import Input
from iqm_rules.cli.pool import Done, Failed, Item, mapped

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
    "running",
    "sigterm_unwinds",
]

T = TypeVar("T")


def lines_of(stream: IO[bytes], name: str = "stdin") -> Iterator[Item]:
    """The non-blank lines of ``stream``, read one at a time, each located as ``NAME:LINE``
    (its 1-based line number): the one way a bad line is named, ``NAME:LINE: path: message``."""
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield Item(f"{name}:{number}", line)


def files_in(directory: Path, pattern: str = "*.json") -> Iterator[Item]:
    """The documents of ``directory`` matching ``pattern``, in name order, each read when
    reached; one that cannot be read is an :class:`Item` with its ``problem``, reported with
    the others' results."""
    for path in sorted(directory.glob(pattern)):
        try:
            text = path.read_bytes()
        except OSError as error:
            yield Item(str(path), b"", f"cannot read it: {error.strerror or error}")
            continue
        yield Item(str(path), text)


def files_size(directory: Path, pattern: str = "*.json") -> int | None:
    """How many documents :func:`files_in` reads, for the progress bar; None if unknown."""
    try:
        return sum(1 for _ in directory.glob(pattern))
    except OSError:
        return None


def documents_in(path: Path) -> tuple[Iterator[Item], int | None]:
    """The documents of ``path`` and how many (None: not known before they are read): a
    directory's ``*.json`` files, one ``*.json`` document, or the lines of any other file
    (JSON Lines, each ``FILE:LINE``)."""
    try:
        if path.is_dir():
            return files_in(path), files_size(path)
        if path.suffix == ".json":
            text = path.read_bytes()
            return iter([Item(str(path), text)]), 1
        path.stat()
    except OSError as error:
        raise Failure(f"cannot read {path}: {error.strerror or error}") from None
    return _lines_in(path), None


def _lines_in(path: Path) -> Iterator[Item]:
    with path.open("rb") as stream:
        yield from lines_of(stream, str(path))


# --- a whole run ---------------------------------------------------------------------------------


class Progress:
    """A progress bar on standard error when it is a terminal and ``tqdm`` is installed."""

    def __init__(self, bar: Any | None) -> None:
        self._bar = bar

    def advance(self) -> None:
        """One more school (or document) done."""
        if self._bar is not None:
            self._bar.update(1)

    def say(self, message: str) -> None:
        """A line on standard error that does not break the bar; what of a file it names (a
        file name, a problem quoting the file) is shown safe on a terminal."""
        message = shown(message)
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
            unwind_if_asked()  # a stop whose exception a finalizer lost (see exits.stop)
            self.total += 1
            if isinstance(result, Failed):
                self.failed += 1
            yield result
            self.progress.advance()

    def values(self) -> Iterator[T]:
        """What ``work`` returned for each good item, in input order. Each failed item is
        reported on standard error (``FILE:4: path: message``) and skipped."""
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
    """A run of ``work`` over the items of ``source`` (``split``: its lines, each
    ``FILE:LINE``, by default), writing to ``output`` (None: stdout); see :func:`over`."""
    with source.lines() as stream:
        items = split(stream) if split is not lines_of else lines_of(stream, _name(source))
        with over(items, _schools(stream), output, work, jobs) as run:
            yield run


def _schools(stream: IO[bytes]) -> int | None:
    """How many documents a regular file holds (its non-blank lines), counted only when a
    progress bar will show them; None for a pipe, or with no bar."""
    if not sys.stderr.isatty() or input_size(stream) is None:
        return None
    count = sum(1 for line in stream if line.strip())
    stream.seek(0)
    return count


def _name(source: Input) -> str:
    """How a location names the input: its file, ``stdin`` or the example's name."""
    if source.file is not None and source.file != "-":
        return source.file
    return source.example or "stdin"


@contextmanager
def over(
    items: Iterator[Item],
    size: int | None,
    output: str | None,
    work: Callable[[bytes], T],
    jobs: int,
) -> Iterator[Run[T]]:
    """A run of ``work`` over ``items`` (``size`` of them, None if not known before they are
    read, for the progress bar, which counts schools), writing to ``output`` (None: stdout).

    Within the block, SIGTERM raises :class:`~iqm_rules.cli.exits.Terminated`; on any exception
    the workers stop and the target of ``output`` is left as it was.
    """
    with (
        sigterm_unwinds(),
        _progress(size) as progress,
        written(output) as out,
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


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While running, SIGTERM raises :class:`Terminated` so that clean-ups run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        forget_stops()


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
    bar = tqdm(total=total, unit=" schools", desc="iqm-rules", file=sys.stderr)
    try:
        yield Progress(bar)
    finally:
        bar.close()


def input_size(source: IO[bytes]) -> int | None:
    """The size in bytes of a regular file being read; None for a pipe."""
    try:
        info = os.fstat(source.fileno())
    except (OSError, io.UnsupportedOperation):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None

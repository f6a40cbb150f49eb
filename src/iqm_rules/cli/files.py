"""Every file a command reads or writes: named once in the parser, checked once, written one way.

An argument that names a file has a :class:`FileOption` as its ``type``: the option's name,
whether the command ``reads``, ``writes`` or ``updates`` it (reads and writes it in place, as a
decision log), and what it holds. Its value is then a :class:`FileName`, a ``str`` that
remembers the option. Before any command runs, :func:`refuse_overwrites` compares every file
written or updated with every other file read, written or updated (each history, each file of
an input directory, policies, plans, evidence logs, records, case files, logs) and refuses,
with one line naming both, an output that is one of them: the same file by any name (a
symlink, a hard link, ``./``, ``..``, an absolute path, or standard input redirected from it).

Every file a command writes goes through :func:`written`: a temporary file beside the target,
moved over it only once complete. The target keeps the mode (and, where allowed, the owner)
it had; a new file gets the usual mode (``0666`` less the umask). A target that is a symlink
stays one: the file it points to is replaced, as a shell's ``>`` would write through it. An
argument that ``creates`` a file (a private key) is written only where nothing is, not even a
dangling symlink, with the mode the command gives it.

An argument that writes a ``directory`` of files (``conformance export DIR``) names a directory
that does not exist yet or is empty, and none that the command reads; each file in it is written
by :func:`written` too, its folders made first (:func:`written_in`).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Literal, TextIO

from attrs import frozen

from iqm_rules.cli.exits import Failure

__all__ = [
    "FileName",
    "FileOption",
    "given_files",
    "refuse_overwrites",
    "written",
    "written_in",
]

Role = Literal["reads", "writes", "creates", "updates"]
"""``creates``: writes a new file, refusing one that exists (a private key), see :func:`written`;
``updates``: reads and changes a file in place (a decision log)."""


@frozen
class FileOption:
    """The ``type`` of an argument naming a file: its option (``-o``, ``FILE``), whether the
    command ``reads``, ``writes`` or ``updates`` it, and what it holds (``the history``), for
    messages. A file the command updates is written and read: it may be none of the others.

    A directory given to an argument that reads stands for every file in it
    (``recursive``: in its sub-directories too, as ``test`` reads case files). An argument that
    writes a ``directory`` of files names one that is absent or empty.
    """

    option: str
    role: Role
    holds: str
    recursive: bool = False
    directory: bool = False

    def __call__(self, text: str) -> FileName:
        return FileName(text, self)


class FileName(str):
    """A file name given on the command line, with the :class:`FileOption` that took it."""

    given_as: FileOption

    def __new__(cls, text: str, given_as: FileOption) -> FileName:
        name = super().__new__(cls, text)
        name.given_as = given_as
        return name

    def __getnewargs__(self) -> tuple[str, FileOption]:  # type: ignore[override]
        return (str(self), self.given_as)


def given_files(args: argparse.Namespace) -> list[FileName]:
    """Every file name among the parsed ``args``, in the order of their options."""
    found: list[FileName] = []
    for value in vars(args).values():
        values = value if isinstance(value, list) else [value]
        found.extend(v for v in values if isinstance(v, FileName))
    return found


def refuse_overwrites(args: argparse.Namespace) -> None:
    """A :class:`Failure` if a file the command writes is one it reads, a directory, or written
    twice; run before the command does anything else."""
    given = given_files(args)
    outputs = [name for name in given if name.given_as.role != "reads" and name != "-"]
    if not outputs:
        return
    sources = [name for name in given if name.given_as.role in ("reads", "updates")]
    seen: dict[tuple[int, int] | str, FileName] = {}
    for output in outputs:
        if output.given_as.directory:
            _an_empty_directory(output, sources)
            continue
        _not_a_directory(output)
        identity = _identity(output)
        key = identity if identity is not None else os.path.realpath(output)
        if key in seen:
            first = seen[key]
            raise Failure(
                f"{output.given_as.option} {output} and {first.given_as.option} {first} are the "
                "same file; name two different files"
            )
        seen[key] = output
        if identity is None:
            continue  # a file not yet there can be none of the inputs
        for source in sources:
            match = None if source is output else _read_as(source, identity)
            if match is not None:
                raise Failure(
                    f"{output.given_as.option} {output} would write over {match}, "
                    f"{source.given_as.holds} this command {source.given_as.role} "
                    f"({source.given_as.option}); name another file"
                )


def _not_a_directory(output: FileName) -> None:
    if os.path.isdir(output):
        raise Failure(f"{output.given_as.option} {output} is a directory; name a file")


def _an_empty_directory(output: FileName, sources: Iterable[FileName]) -> None:
    """A directory output must be absent or an empty directory, and none of the inputs."""
    if os.path.lexists(output) and not os.path.isdir(output):
        raise Failure(f"{output.given_as.option} {output} is not a directory; name a directory")
    if os.path.isdir(output):
        with os.scandir(output) as entries:
            if any(True for _ in entries):
                raise Failure(
                    f"{output.given_as.option} {output} is not empty; name a new or empty directory"
                )
        for source in sources:
            if source != "-" and os.path.realpath(source) == os.path.realpath(output):
                raise Failure(
                    f"{output.given_as.option} {output} is {source.given_as.holds} this command "
                    f"reads ({source.given_as.option}); name another directory"
                )


def _identity(name: str) -> tuple[int, int] | None:
    """The device and inode of the file ``name`` is or points to; None if there is none."""
    try:
        found = os.stat(name)
    except (OSError, ValueError):
        return None
    return (found.st_dev, found.st_ino)


def _read_as(source: FileName, identity: tuple[int, int]) -> str | None:
    """How the command names the file of ``identity`` if it reads it through ``source``."""
    if source == "-":
        with suppress(OSError, ValueError):
            info = os.fstat(sys.stdin.fileno())
            if stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino) == identity:
                return "standard input"
        return None
    if _identity(source) == identity:
        return str(source)
    if os.path.isdir(source):
        for path, found in _files_under(Path(source), source.given_as.recursive):
            if found == identity:
                return path
    return None


def _files_under(directory: Path, recursive: bool) -> Iterable[tuple[str, tuple[int, int]]]:
    """Each file in ``directory`` (and below, if ``recursive``) with its device and inode, from
    the directory listing's own stat."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        with suppress(OSError):
            if entry.is_file():
                info = entry.stat()
                yield entry.path, (info.st_dev, info.st_ino)
            elif recursive and entry.is_dir():
                yield from _files_under(Path(entry.path), recursive)


# --- writing -------------------------------------------------------------------------------------


@contextmanager
def written(target: str | None, *, new: bool = False, mode: int | None = None) -> Iterator[TextIO]:
    """Standard output (``target`` None or ``-``), or a temporary file beside ``target`` moved
    over it only once the block ends without an exception.

    Any exception, ``KeyboardInterrupt`` or SIGTERM on the way removes the temporary file:
    ``target`` is never left half written. A device or a pipe is written as it is.

    With ``new``, ``target`` must not exist, before or at the moment it is put in place (a
    file that appeared meanwhile is kept and the write refused): a private key is never
    written over anything. ``mode`` is the new file's mode (the umask is not applied).
    """
    if new:
        if target is None or target == "-":
            raise Failure("a new file needs a name, not standard output")
        yield from _written_new(Path(target), target, mode)
        return
    if target is None or target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(os.path.realpath(target))  # through a symlink to the file it names
    kept = _kept(path)
    if kept is not None and not stat.S_ISREG(kept.st_mode):  # a device or a pipe
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as out:
                yield out
        except OSError as error:
            raise Failure(f"cannot write {target}: {error.strerror or error}") from None
        return
    _stale_parts(path)
    temporary, handle = _temporary(path, target)
    try:
        if kept is not None:
            _keep_mode(handle, kept)
        with open(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise Failure(f"cannot write {target}: {error.strerror or error}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def written_in(directory: str, name: str) -> Iterator[TextIO]:
    """The file ``name`` (a relative path, ``/``-separated) in the output ``directory``, written
    by :func:`written` after its folders are made."""
    target = Path(directory, *name.split("/"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Failure(f"cannot write {target}: {error.strerror or error}") from None
    with written(str(target)) as out:
        yield out


def _written_new(path: Path, target: str, mode: int | None) -> Iterator[TextIO]:
    if os.path.lexists(path):
        raise Failure(f"{target} already exists; it is never written over")
    temporary, handle = _temporary(path, target)
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with open(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
        os.link(temporary, path)  # fails, keeping what is there, if the name was taken
    except FileExistsError:
        raise Failure(f"{target} already exists; it is never written over") from None
    except OSError as error:
        raise Failure(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _kept(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _temporary(path: Path, target: str) -> tuple[Path, int]:
    """A new, empty temporary file beside ``path``, named after it and this process (so a later
    run can tell it was left by a process now gone); created with the usual mode."""
    for _ in range(100):
        name = path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.part"
        try:
            return name, os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise Failure(f"cannot write {target}: {error.strerror or error}") from None
    raise Failure(f"cannot write {target}: no free temporary name beside it")


def _keep_mode(handle: int, kept: os.stat_result) -> None:
    """The temporary file takes the target's mode and, where this process may, its owner."""
    os.fchmod(handle, stat.S_IMODE(kept.st_mode))
    if (kept.st_uid, kept.st_gid) != (os.geteuid(), os.getegid()):
        with suppress(OSError):
            os.fchown(handle, kept.st_uid, kept.st_gid)
        os.fchmod(handle, stat.S_IMODE(kept.st_mode))  # chown may clear set-id bits


def _stale_parts(path: Path) -> None:
    """Remove temporary files of this naming left beside ``path`` by a run that was killed
    (their process is gone); those of a run still going are left alone."""
    prefix = f".{path.name}."
    with suppress(OSError):
        for entry in os.scandir(path.parent):
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(".part")):
                continue
            pid = name[len(prefix) :].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True

"""What commands read: ``FILE``, ``-`` or ``--example NAME``; a ``--policy`` file; the clock.

The one place of the command line that reads the clock (:func:`today`, the default of
``--as-of``, and :func:`now`, the time of a log append), the one place that reads the language
of the environment (:func:`words`), and the one place that turns an unreadable file into a
:class:`~iqm_rules.cli.exits.Failure`.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING

from attrs import frozen

from iqm_rules.cli.exits import Failure
from iqm_rules.errors import IQMRulesError
from iqm_rules.interchange import dump_history, load_history, load_policy
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.words import Words, language_of
from iqm_rules.words import words as words_of

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import SigningKey

__all__ = [
    "MAX_BYTES",
    "Input",
    "KeySource",
    "PolicySource",
    "as_of",
    "now",
    "read",
    "today",
    "words",
]

MAX_BYTES = 256 * 1024 * 1024
"""The default of ``--max-bytes``: larger input is refused before it is read in full."""


def today() -> date:
    """The default of ``--as-of``: today's date."""
    return date.today()


def words(args: object) -> Words:
    """The language of text output: ``--lang``, else the environment's (:func:`language_of`)."""
    chosen = getattr(args, "lang", None)
    return words_of(chosen if chosen else language_of(os.environ))


def now() -> datetime:
    """The time of a log append, in UTC: read once per append, inside its transaction."""
    return datetime.now(UTC)


def as_of(given: date | None) -> date:
    """The ``--as-of`` date given, or today."""
    return given if given is not None else today()


def read(file: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``file``; an unreadable file, or one of more than ``limit`` bytes, is a
    :class:`Failure` naming it."""
    try:
        with open(file, "rb") as source:
            return bounded(source, file, limit)
    except OSError as error:
        raise Failure(f"cannot read {file}: {error.strerror or error}") from None


def bounded(source: IO[bytes], name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of ``source``; more is refused without reading further."""
    data = source.read(limit + 1)
    if len(data) > limit:
        raise Failure(f"{name} is larger than --max-bytes {limit:,} bytes")
    return data


@frozen
class Input:
    """What a command reads: a ``file`` (``-`` for standard input) or a bundled ``example``.

    Made by :meth:`given`, which refuses both or neither; ``name`` is how the command's usage
    calls the file (``FILE``, ``IN.jsonl``), ``wanted`` what it asks for when none is given.
    """

    file: str | None
    example: str | None

    @classmethod
    def given(
        cls,
        file: str | None,
        example: str | None,
        *,
        name: str = "FILE",
        wanted: str = "a history FILE",
    ) -> Input:
        """Exactly one of ``file`` and ``example``, the example known; else a :class:`Failure`."""
        if example is not None:
            if file is not None:
                raise Failure(f"give {name} or --example, not both (got {file!r} and {example!r})")
            if example not in examples():
                raise Failure(f"--example: no example {example!r}; the examples are {known()}")
        elif file is None:
            raise Failure(f"give {wanted}, - for standard input, or --example NAME")
        return cls(file, example)

    def read(self, limit: int = MAX_BYTES) -> str | bytes:
        """The whole document, refused if larger than ``limit`` bytes (``--max-bytes``)."""
        if self.example is not None:
            return example_text(self.example)
        if self.file == "-":
            return bounded(sys.stdin.buffer, "standard input", limit)
        return read(str(self.file), limit)

    @contextmanager
    def lines(self) -> Iterator[IO[bytes]]:
        """The input as a stream of lines; an example is one line (its compact JSON)."""
        if self.example is not None:
            line = dump_history(load_history(example_text(self.example)))
            yield io.BytesIO(line.encode() + b"\n")
            return
        if self.file == "-":
            yield sys.stdin.buffer
            return
        try:
            source = open(str(self.file), "rb")  # noqa: SIM115
        except OSError as error:
            raise Failure(f"cannot read {self.file}: {error.strerror or error}") from None
        with source:
            yield source


def known() -> str:
    """The bundled examples' names, for error messages."""
    return ", ".join(examples())


@frozen
class PolicySource:
    """Where the policy comes from: a ``--policy`` file's name and text, or (``file`` None) the
    default policy on every date. Small and picklable: batch workers load it once each."""

    file: str | None = None
    text: str = ""

    @classmethod
    def named(cls, file: str | None) -> PolicySource:
        """The ``--policy`` file read (not yet parsed), or the default."""
        if file is None:
            return cls()
        return cls(file, read(file).decode("utf-8", errors="replace"))

    def load(self) -> Policy | PolicyBook:
        """The policy book, parsed once per process; a bad one is a :class:`Failure`."""
        if self.file is None:
            return DEFAULT_POLICY
        return _book(self.text, self.file)


@functools.cache
def _book(text: str, file: str) -> PolicyBook:
    try:
        return load_policy(text)
    except IQMRulesError as error:
        raise Failure(f"--policy {file}: {error}") from None


@frozen
class KeySource:
    """The ``--sign-with`` key file's name and bytes (or, ``file`` None, no signing). Small and
    picklable: batch workers read the key from these bytes once each, not from the file."""

    file: str | None = None
    data: bytes = b""

    @classmethod
    def named(cls, file: str | None) -> KeySource:
        """The key file read, and checked to be a key; nothing to sign with for None."""
        if file is None:
            return cls()
        found = cls(file, read(file))
        found.load()
        return found

    def load(self) -> SigningKey | None:
        """The signing key, read once per process; a bad one is a :class:`Failure`."""
        if self.file is None:
            return None
        return _signing_key(self.data, self.file)


@functools.cache
def _signing_key(data: bytes, file: str) -> SigningKey:
    from iqm_rules.auditing.signing import KeyProblem, SigningKey

    try:
        return SigningKey.from_pem(data, file)
    except KeyProblem as error:
        raise Failure(f"--sign-with {error}") from None

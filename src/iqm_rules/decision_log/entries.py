"""One entry of the decision log, its hash, its signature, and the entries a new record makes.

An entry holds its ``sequence`` number (1, 2, 3, … with no gap), ``written_at`` (UTC, written
``YYYY-MM-DDTHH:MM:SS.ffffffZ``), the ``record``'s canonical JSON, the ``previous_hash`` (the
hash of the entry before it; 64 zeros for the first) and its own ``hash``: the SHA-256, in
lowercase hex, of the UTF-8 bytes of the canonical JSON (sorted keys, no insignificant white
space) of ::

    {"format": "iqm-rules/log-entry@1", "sequence": 1, "written_at": "…Z",
     "record": "<the record's canonical JSON, as one string>", "previous": "<64 hex>"}

So each hash covers the whole chain before it. An entry may also carry an Ed25519
``signature`` (base64) of the ASCII bytes of its hash, the signing key's ``key_id`` and its
``public_key`` (base64 of the raw 32 bytes).

Everything here is pure: the time of an append is an argument, read from the clock by the
caller (the command line reads it once per append).

>>> from datetime import UTC, datetime
>>> from iqm_rules import example_text, load_history, record_status, dump_record
>>> record = dump_record(record_status(load_history(example_text("first-award")),
...                                    datetime(2025, 9, 1).date()))
>>> (first,) = chained(None, [record], datetime(2025, 9, 1, 12, tzinfo=UTC))
>>> first.sequence, first.written_at, first.previous_hash == GENESIS
(1, '2025-09-01T12:00:00.000000Z', True)
>>> first.hash == first.computed_hash()
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from attrs import frozen

from iqm_rules._dates import parse_date
from iqm_rules.errors import IQMRulesError
from iqm_rules.interchange._jsontext import canonical_json

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import SigningKey

__all__ = [
    "ENTRY_FORMAT",
    "GENESIS",
    "About",
    "Entry",
    "LogProblem",
    "about",
    "chained",
    "entry_hash",
    "time_text",
]

ENTRY_FORMAT: Final = "iqm-rules/log-entry@1"
"""The ``format`` member of the document an entry's hash is taken over."""

GENESIS: Final = "0" * 64
"""The previous hash of the first entry."""

_TIME: Final = "%Y-%m-%dT%H:%M:%S.%fZ"


class LogProblem(IQMRulesError):
    """A decision log that cannot be opened, read or appended to: one line saying why."""


def time_text(moment: datetime) -> str:
    """``moment`` (UTC) as an entry writes it, to the microsecond.

    >>> time_text(datetime(2025, 9, 1, 8, 30, 5, 12, tzinfo=UTC))
    '2025-09-01T08:30:05.000012Z'
    >>> time_text(datetime(2025, 9, 1))
    Traceback (most recent call last):
    ValueError: an entry's time must be in UTC, got 2025-09-01 00:00:00
    """
    if moment.utcoffset() != timedelta(0):
        raise ValueError(f"an entry's time must be in UTC, got {moment}")
    return moment.astimezone(UTC).strftime(_TIME)


def entry_hash(sequence: int, written_at: str, record: str, previous_hash: str) -> str:
    """The hash of an entry with these fields (see the module docs)."""
    document = {
        "format": ENTRY_FORMAT,
        "sequence": sequence,
        "written_at": written_at,
        "record": record,
        "previous": previous_hash,
    }
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


@frozen
class Entry:
    """One entry, exactly as stored: a store reads back whatever its rows hold, so that a
    changed row can be read and reported (see :mod:`.chain`), never refused on reading."""

    sequence: int
    written_at: str
    record: str
    previous_hash: str
    hash: str
    signature: str | None = None
    key_id: str | None = None
    public_key: str | None = None

    def computed_hash(self) -> str:
        """The hash this entry's fields give (equal to :attr:`hash` unless it was changed)."""
        return entry_hash(self.sequence, self.written_at, self.record, self.previous_hash)

    def hash_at(self, sequence: int) -> str:
        """The hash these fields would give at another sequence number (a moved entry's)."""
        return entry_hash(sequence, self.written_at, self.record, self.previous_hash)

    @property
    def signed(self) -> bool:
        """Whether the entry carries a signature."""
        return self.signature is not None

    def about(self) -> About:
        """What the entry's record is about (see :func:`about`)."""
        return about(self.record)

    def document(self) -> dict[str, Any]:
        """The entry as JSON data, the record as its document (``log show --json``)."""
        data: dict[str, Any] = {
            "sequence": self.sequence,
            "written_at": self.written_at,
            "previous_hash": self.previous_hash,
            "hash": self.hash,
            "signature": self.signature_document(),
        }
        try:
            data["record"] = json.loads(self.record)
        except ValueError:
            data["record"] = self.record
        return data

    def signature_document(self) -> dict[str, str] | None:
        """The entry's signature, key id and public key as JSON data; ``None`` if unsigned."""
        if self.signature is None:
            return None
        return {
            "signature": self.signature,
            "key_id": str(self.key_id),
            "public_key": str(self.public_key),
        }


def chained(
    head: Entry | None,
    records: Iterable[str],
    written_at: datetime,
    signer: SigningKey | None = None,
) -> tuple[Entry, ...]:
    """The entries that append ``records`` (canonical JSON texts) after ``head`` (``None``: an
    empty log), each written at ``written_at`` and, with ``signer``, signed."""
    when = time_text(written_at)
    sequence, previous = (0, GENESIS) if head is None else (head.sequence, head.hash)
    made: list[Entry] = []
    for record in records:
        sequence += 1
        digest = entry_hash(sequence, when, record, previous)
        if signer is None:
            made.append(Entry(sequence, when, record, previous, digest))
        else:
            signature = signer.sign(digest.encode("ascii"))
            key = signer.public
            made.append(
                Entry(sequence, when, record, previous, digest, signature, key.key_id, key.text)
            )
        previous = digest
    return tuple(made)


@frozen
class About:
    """What a record is about: the school, the question's kind and, for a status, its date.
    ``None`` where the record's text does not say (a changed entry may hold anything)."""

    school_id: str | None
    kind: str | None
    as_of: date | None


def about(record: str) -> About:
    """The school, question kind and status date of a record's canonical JSON text.

    >>> about('{"format":"iqm-rules/record@1","question":{"kind":"status","as_of":"2025-09-01"},'
    ...       '"inputs":{"history":{"school":{"id":"URN-1"}}}}')
    About(school_id='URN-1', kind='status', as_of=datetime.date(2025, 9, 1))
    >>> about("not JSON")
    About(school_id=None, kind=None, as_of=None)
    """
    try:
        data = json.loads(record)
    except (ValueError, RecursionError):
        return About(None, None, None)
    question = _member(data, "question")
    school = _member(_member(_member(data, "inputs"), "history"), "school")
    kind, school_id = question.get("kind"), school.get("id")
    return About(
        school_id if isinstance(school_id, str) else None,
        kind if isinstance(kind, str) else None,
        _day(question.get("as_of")),
    )


def _member(data: object, key: str) -> Mapping[str, Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _day(value: object) -> date | None:
    try:
        return parse_date(value) if isinstance(value, str) else None
    except ValueError:
        return None

"""Verifying a whole decision log: the chain, every record, every signature.

:func:`verify_log` re-hashes every entry in sequence order and stops the chain at the first
entry that does not hold, saying how it was changed:

- **deleted**: a sequence number is missing (entries 4 to 6 of 9 deleted leave 3 then 7), or
  the entries after a deleted one were renumbered, so that an entry written as 7 stands at 4,
  its hash holding only at 7, and the hash it links back to is nowhere in the log; or the log
  ends before the head an office published (``published``);
- **inserted**: an entry written as 4 (its hash holds at 4) stands after others numbered 4 and
  on; an entry links back past the one before it; an entry does not link to the one before it
  and the one after it was written in its place; or an entry does not link to the published
  head before it. The first entry put in is named;
- **reordered**: an entry links back to an entry that stands after it;
- **edited**: an entry's fields no longer give its hash, or an entry does not link to the one
  before it although both hold their own hashes (one of them was edited and hashed again: the
  earlier is named);
- **rewritten**: the chain holds, but its entry at the published head's sequence number has
  another hash: the chain up to it was written again.

It then verifies every record (:func:`iqm_rules.auditing.verify.verify`) and every entry's
signature: ``forged`` if it does not verify under the key the entry names; with ``trusted``
keys, an unsigned entry, or one signed by a key not trusted, does not hold either.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from iqm_rules._terms import Term
from iqm_rules.auditing.record import Record, load_record
from iqm_rules.auditing.verify import Verification, verification_data, verify
from iqm_rules.decision_log.entries import GENESIS, Entry
from iqm_rules.errors import IQMRulesError
from iqm_rules.interchange.formats import LOG_VERIFICATION_FORMAT

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import PublicKey

__all__ = [
    "Breach",
    "Break",
    "Head",
    "LogVerification",
    "Signature",
    "SignatureCheck",
    "check_signature",
    "first_break",
    "head_of",
    "verified",
    "verify_entry_record",
    "verify_log",
]


class Breach(Term):
    """How the chain was found changed."""

    EDITED = ("edited", "an entry's fields no longer give its hash, or it was hashed again")
    DELETED = ("deleted", "entries are missing")
    INSERTED = ("inserted", "entries were added where none was written")
    REORDERED = ("reordered", "entries stand in another order than they were written")
    REWRITTEN = ("rewritten", "the log no longer holds the head that was published")


@frozen
class Break:
    """The first entry at which the chain does not hold, how, and why, for people."""

    entry: int
    how: Breach
    reason: str

    def line(self) -> str:
        """The break as one line."""
        return f"broken at entry {self.entry}: {self.how.value} ({self.reason})"


@frozen
class Head:
    """A log's last sequence number and hash, as ``log head`` gives it and an office publishes.

    >>> Head.parse("2:" + "ab" * 32).sequence
    2
    """

    sequence: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Head:
        """A head written ``SEQUENCE:HASH``; :class:`ValueError` saying what is allowed."""
        number, _, digest = text.partition(":")
        if not number.isdigit() or len(digest) != 64 or set(digest) - set("0123456789abcdef"):
            raise ValueError(
                f"a head is written SEQUENCE:HASH (64 lowercase hex digits), got {text!r}"
            )
        return cls(int(number), digest)

    def text(self) -> str:
        """The head written ``SEQUENCE:HASH``."""
        return f"{self.sequence}:{self.hash}"


def head_of(entry: Entry | None) -> Head:
    """The head of a log whose last entry is ``entry`` (``0:`` and 64 zeros when empty)."""
    return Head(0, GENESIS) if entry is None else Head(entry.sequence, entry.hash)


# The chain


def first_break(entries: Sequence[Entry], published: Head | None = None) -> Break | None:
    """The first entry of ``entries`` (in stored order) at which the chain does not hold, or
    where it no longer holds the ``published`` head; ``None`` if it holds."""
    previous = GENESIS
    for position, entry in enumerate(entries, start=1):
        if (
            entry.sequence != position
            or entry.previous_hash != previous
            or entry.computed_hash() != entry.hash
        ):
            return _classify(entries, position, published)
        previous = entry.hash
    if published is None or published.sequence == 0:
        return None
    if published.sequence > len(entries):
        return Break(
            len(entries) + 1,
            Breach.DELETED,
            f"the log ends at entry {len(entries)}; entry {published.sequence} was published",
        )
    if entries[published.sequence - 1].hash != published.hash:
        return Break(
            published.sequence,
            Breach.REWRITTEN,
            f"its hash is not the published {published.hash[:16]}…; the chain up to it was "
            "written again",
        )
    return None


def _written_as(entry: Entry, last: int) -> int | None:
    """The sequence number at which the entry's hash holds (searched up to ``last``)."""
    if entry.computed_hash() == entry.hash:
        return entry.sequence
    return next((n for n in range(1, last + 1) if entry.hash_at(n) == entry.hash), None)


def _span(first: int, last: int, singular: str = "", plural: str = "") -> str:
    """Entries ``first`` to ``last``, and the verb that agrees with them."""
    if first == last:
        return f"entry {first}{singular}"
    return f"entries {first} to {last}{plural}"


_PUSHED = "the entry after it was written as {position}: this one was put before it"


def _classify(entries: Sequence[Entry], position: int, published: Head | None) -> Break:
    """How the chain breaks at ``position`` (1-based), the entries before it being sound; the
    ``published`` head, if it is the entry before, shows that entry was not written again."""
    entry = entries[position - 1]
    stored = entry.sequence
    last = max(len(entries), stored) + 1
    written = _written_as(entry, last)
    # the entry after this one, written where this one stands: this one was put before it
    pushed = position < len(entries) and _written_as(entries[position], last) == position
    if written is None:
        if stored > position:
            return Break(position, Breach.DELETED, f"the next entry is numbered {stored}")
        if stored < position:
            return Break(
                position, Breach.INSERTED, f"an entry numbered {stored} stands at {position}"
            )
        if pushed:
            return Break(position, Breach.INSERTED, _PUSHED.format(position=position))
        return Break(position, Breach.EDITED, "its fields do not give its hash")
    if written > position:
        later = {e.hash: n for n, e in enumerate(entries[position:], start=position + 1)}
        if entry.previous_hash in later:
            return Break(
                position,
                Breach.REORDERED,
                f"the entry written as {written} stands here and links to entry "
                f"{later[entry.previous_hash]}, after it",
            )
        where = (
            f"the next entry is numbered {written}"
            if stored == written
            else f"the entry written as {written} stands at {position}"
        )
        missing = _span(position, written - 1, " is", " are")
        return Break(position, Breach.DELETED, f"{missing} missing: {where}")
    if written < position:
        before = _span(written, position - 1, " was put", " were put")
        return Break(written, Breach.INSERTED, f"{before} in before the entry written as {written}")
    if stored != position:
        return Break(position, Breach.EDITED, f"its sequence number was changed to {stored}")
    earlier = {e.hash: n for n, e in enumerate(entries[: position - 1], start=1)}
    if entry.previous_hash in earlier:
        linked = earlier[entry.previous_hash]
        return Break(
            linked + 1,
            Breach.INSERTED,
            f"{_span(linked + 1, position - 1, ' stands', ' stand')} between entry {linked} "
            "and the entry linked to it",
        )
    if pushed:
        return Break(position, Breach.INSERTED, _PUSHED.format(position=position))
    if position > 1 and published is not None and head_of(entries[position - 2]) == published:
        return Break(
            position,
            Breach.INSERTED,
            f"it does not link to entry {position - 1}, which is the head published",
        )
    if position == 1:
        return Break(1, Breach.EDITED, "it does not link to the start of a chain")
    return Break(
        position - 1,
        Breach.EDITED,
        f"entry {position} does not link to it: one of them was edited and hashed again",
    )


# Signatures


class Signature(Term):
    """What an entry's signature shows."""

    SIGNED = ("signed", "signed; the signature verifies under the key the entry names")
    UNTRUSTED = ("untrusted", "the signature verifies, but under a key not trusted")
    FORGED = ("forged", "the signature does not verify under the key the entry names")
    UNSIGNED = ("unsigned", "the entry carries no signature")


@frozen
class SignatureCheck:
    """One entry's signature: its state, the key id it names, and whether it passes (an
    entry signed by a trusted key does; without trusted keys, any entry that is not forged)."""

    sequence: int
    state: Signature
    key_id: str | None
    passes: bool


def _raw(text: str | None) -> bytes | None:
    try:
        return base64.b64decode((text or "").encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


def check_signature(entry: Entry, trusted: Sequence[PublicKey] | None) -> SignatureCheck:
    """The signature of ``entry``, against ``trusted`` keys when given."""
    if entry.signature is None:
        return SignatureCheck(entry.sequence, Signature.UNSIGNED, None, trusted is None)
    from iqm_rules.auditing.signing import KeyProblem, PublicKey, key_id

    raw = _raw(entry.public_key)
    state = Signature.FORGED
    if raw is not None and len(raw) == 32 and key_id(raw) == entry.key_id:
        try:
            key = PublicKey(raw)
        except KeyProblem:  # pragma: no cover - 32 bytes always make a key
            key = None
        if key is not None and key.verifies(entry.hash.encode("ascii"), entry.signature):
            state = Signature.SIGNED
            if trusted is not None and all(k.raw != raw for k in trusted):
                state = Signature.UNTRUSTED
    return SignatureCheck(entry.sequence, state, entry.key_id, state is Signature.SIGNED)


# Records


def verified(record: Record, trusted: Sequence[PublicKey] | None = None) -> Verification:
    """The verification of one record of the log: the one place the log calls
    :func:`~iqm_rules.auditing.verify.verify`.

    A record passes when it reproduces and is not forged. Trust is asked of the entries'
    signatures (``trusted``), not of the records': a log may hold records made before records
    were signed, or by a tool that does not sign them, each vouched for by its signed entry.
    """
    del trusted  # see the docstring
    return verify(record)


def verify_entry_record(entry: Entry, trusted: Sequence[PublicKey] | None) -> Verification | str:
    """The verification of an entry's record, or why it cannot be read."""
    try:
        return verified(load_record(entry.record), trusted)
    except IQMRulesError as error:
        return f"unreadable: {error}"


# The whole log


@frozen
class LogVerification:
    """What :func:`verify_log` found: the chain's first break, each record's verification and
    each signature, and the log's head."""

    count: int
    head: Head
    broken: Break | None
    records: tuple[tuple[int, Verification | str], ...]
    signatures: tuple[SignatureCheck, ...]
    trusted: bool

    @property
    def failed_records(self) -> list[tuple[int, Verification | str]]:
        """The entries whose record does not reproduce (or cannot be read)."""
        return [(n, v) for n, v in self.records if isinstance(v, str) or not v.passes]

    @property
    def failed_signatures(self) -> list[SignatureCheck]:
        """The entries whose signature does not pass."""
        return [check for check in self.signatures if not check.passes]

    @property
    def holds(self) -> bool:
        """Whether the chain, every record and every signature hold."""
        return self.broken is None and not self.failed_records and not self.failed_signatures

    def document(self) -> dict[str, Any]:
        """The JSON data of the verification (``log verify --json``)."""
        broken = self.broken
        return {
            "format": LOG_VERIFICATION_FORMAT,
            "holds": self.holds,
            "entries": self.count,
            "head": {"sequence": self.head.sequence, "hash": self.head.hash},
            "chain": None
            if broken is None
            else {"entry": broken.entry, "how": broken.how.value, "reason": broken.reason},
            "records": [
                {"sequence": n, "unreadable": v}
                if isinstance(v, str)
                else {"sequence": n, **verification_data(v)}
                for n, v in self.records
            ],
            "signatures": [
                {"sequence": c.sequence, "state": c.state.value, "key_id": c.key_id}
                for c in self.signatures
            ],
            "trusted_keys_given": self.trusted,
        }


def verify_log(
    entries: Iterable[Entry],
    trusted: Sequence[PublicKey] | None = None,
    published: Head | None = None,
) -> LogVerification:
    """Verify the chain of ``entries`` (in stored order), every record and every signature;
    ``published`` is a head the office published, which the log must still hold."""
    read = list(entries)
    return LogVerification(
        count=len(read),
        head=head_of(read[-1] if read else None),
        broken=first_break(read, published),
        records=tuple((e.sequence, verify_entry_record(e, trusted)) for e in read),
        signatures=tuple(check_signature(e, trusted) for e in read),
        trusted=trusted is not None,
    )

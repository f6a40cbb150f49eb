"""The one interface a decision log's store offers: append, read in order, head.

A store keeps entries and nothing else: what goes in an entry, and whether a chain holds, is
decided above it (:mod:`.entries`, :mod:`.chain`). :class:`~.sqlite.SQLiteStore` is the store
of a SQLite file; another SQL database needs one more class with these methods, and no caller
changes. :func:`append_records` is how every caller appends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from iqm_rules.decision_log.entries import Entry, chained

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import SigningKey

__all__ = ["Clock", "LogStore", "append_records"]

Clock = Callable[[], datetime]
"""Where an append reads the time (UTC): the real clock on the command line, a fixed one in
tests and examples."""


class LogStore(Protocol):
    """A store of log entries.

    ``append`` runs ``extend`` inside one transaction that no other writer interleaves (in
    this process or another): ``extend`` is given the last entry (``None`` for an empty log)
    and returns the entries that follow it, which are then added all together or not at all.
    ``entries`` reads them in sequence order, exactly as stored, those of one school only if
    ``school_id`` is given; ``head`` is the last entry.
    """

    def append(self, extend: Callable[[Entry | None], Sequence[Entry]]) -> tuple[Entry, ...]: ...

    def entries(self, school_id: str | None = None) -> Iterator[Entry]: ...

    def head(self) -> Entry | None: ...

    def close(self) -> None: ...


def append_records(
    store: LogStore,
    records: Iterable[str],
    clock: Clock,
    signer: SigningKey | None = None,
) -> tuple[Entry, ...]:
    """Append ``records`` (canonical JSON texts) to ``store`` as one transaction.

    ``clock`` is read once, inside the transaction, so that the times of the chain never go
    back from one append to the next whichever process appends (unless the clock itself does).
    """
    texts = list(records)
    return store.append(lambda head: chained(head, texts, clock(), signer))

"""Appending records to a decision log from the command line: ``log append`` and ``--log``.

The one place the command line opens a log to write: the signing key is read, the clock is
read once per append (inside its transaction, :func:`iqm_rules.cli.inputs.now`), and the
records go in as one transaction, all or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from iqm_rules.cli import inputs
from iqm_rules.decision_log.entries import Entry
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.store import append_records

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import SigningKey

__all__ = ["append_to"]


def append_to(
    log: str, texts: Sequence[str], signer: SigningKey | None = None
) -> tuple[Entry, ...]:
    """Append the records ``texts`` (canonical JSON) to the log file ``log``, each entry signed
    by ``signer`` if given, as one transaction."""
    with SQLiteStore.open(log) as store:
        return append_records(store, texts, inputs.now, signer)

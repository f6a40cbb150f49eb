"""``iqm-rules verify RECORD ... [--trust KEY.pub|DIR ...]``: each decision record recomputed
from its own inputs, and who signed it.

A ``RECORD`` file holds one record document or JSON Lines of records. One line per record
(``FILE`` or ``FILE:LINE``, then the verdict, who signed it, and its reasons), or with
``--json`` the ``iqm-rules/verification@2`` document of them all, in order (a record that cannot
be read is named on standard error instead). Exit status 0 only when every record reproduces
and none is forged; with ``--trust``, each must also be signed by one of the trusted keys.

A ``RECORD`` file that cannot be read at all (missing, a directory, not permitted, not UTF-8
text) is one error line on standard error, and the other files are still verified; the exit
status is then 2, as for any unreadable input, whatever the other records' verdicts.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from iqm_rules._shown import shown
from iqm_rules.auditing.record import Record, load_record, record_texts
from iqm_rules.auditing.verify import Verification, dump_verifications, verify
from iqm_rules.cli import inputs
from iqm_rules.cli.app import complain
from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.inputs import read
from iqm_rules.cli.text import PROG
from iqm_rules.errors import InvalidRecord, IQMRulesError
from iqm_rules.interchange._json import decoded

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import PublicKey


def run(args: argparse.Namespace) -> int:
    failed = unreadable = 0
    done: list[Verification] = []
    trusted = _trusted(args.trust)
    said = inputs.words(args)
    for where, loaded in records(args.records):
        if isinstance(loaded, Failure):
            complain(str(loaded))
            unreadable += 1
            continue
        try:
            verification = verify(loaded(), trusted)
        except IQMRulesError as error:
            lines = [shown(said.gettext("unreadable: %(error)s", error=error))]
            failed += 1
            if args.json:
                print(shown(f"{PROG}: {where}: {lines[0]}"), file=sys.stderr)
                continue
        else:
            lines = verification.lines(said)
            failed += not verification.passes
            done.append(verification)
        if not args.json:
            write("\n".join([shown(f"{where}: {lines[0]}"), *lines[1:]]))
    if args.json:
        write(dump_verifications(done))
    if failed:
        print(
            f"{PROG}: {failed} record{'s' if failed != 1 else ''} did not pass",
            file=sys.stderr,
        )
    if unreadable:
        return ExitStatus.USAGE
    return ExitStatus.DISAGREEMENT if failed else ExitStatus.OK


def _trusted(names: Sequence[str] | None) -> tuple[PublicKey, ...] | None:
    """The ``--trust`` keys, read before any record; a bad one is a :class:`Failure`."""
    if not names:
        return None
    from iqm_rules.auditing.signing import KeyProblem, public_keys

    try:
        return public_keys(names)
    except KeyProblem as error:
        raise Failure(f"--trust {error}") from None


def records(names: Sequence[str]) -> Iterator[tuple[str, Callable[[], Record] | Failure]]:
    """Each record of each file (a record document, or JSON Lines of records), with where it
    is; a file that cannot be read, or is not UTF-8 text, is a :class:`Failure` in place of its
    records, and the files after it are still read."""
    for name in names:
        try:
            text = _text(name)
        except Failure as failure:
            yield name, failure
            continue
        for where, piece in record_texts(text, name):
            yield where, functools.partial(load_record, piece)


def _text(name: str) -> str:
    """The text of ``name``: never with replacement characters, which would make a record
    look tampered with; bytes that are not UTF-8 make the file unreadable."""
    data = read(name)
    try:
        return decoded(data)
    except InvalidRecord as error:
        raise Failure(f"{name}: {error}") from None

"""``/app/verify``: each uploaded decision record recomputed, its verdict in words.

An upload holds one record document or JSON Lines of records, as ``iqm-rules verify`` reads
them: each record gets its verdict and reasons (:meth:`Verification.lines`); a line that is not
a record says why, as the command line says it. An upload that is not text at all, or a single
record that cannot be read, is the field's error.
"""

from __future__ import annotations

from attrs import frozen

from iqm_rules.auditing.record import load_record, record_texts
from iqm_rules.auditing.verify import verify
from iqm_rules.errors import IQMRulesError
from iqm_rules.server.site.forms import Form, Refused, text_of
from iqm_rules.server.site.texts import said
from iqm_rules.words import words

__all__ = ["Checked", "checked"]

FIELD = "record_file"


@frozen
class Checked:
    """One record's verdict: where it is (the file, or the file and line), whether it passes
    (``None``: it could not be read) and the lines that say why."""

    where: str
    passes: bool | None
    lines: tuple[str, ...]


def _one(where: str, text: str) -> Checked:
    try:
        verification = verify(load_record(text))
    except IQMRulesError as error:
        return Checked(where, None, (f"unreadable: {error}",))
    return Checked(where, verification.passes, tuple(verification.lines()))


def checked(form: Form, language: str) -> list[Checked]:
    """The verdict of every record uploaded; :class:`Refused` for an upload that is not one."""
    upload = form.files.get(FIELD)
    if upload is None:
        raise Refused(FIELD, said(words(language), "no_file"))
    pieces = record_texts(text_of(upload, FIELD), upload.filename)
    found = [_one(where, text) for where, text in pieces]
    if len(found) == 1 and found[0].passes is None:
        raise Refused(FIELD, f"{found[0].where}: {found[0].lines[0]}")
    return found

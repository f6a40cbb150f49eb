"""What every text report of ``iqm-rules`` shares: the program's name, names and dates for
people, tables, wrapping to the terminal, and rule messages in words.

Nothing here reads, writes or decides. The reports themselves are pure functions of what a
command computed: :mod:`~iqm_rules.cli.school_text` (one school: status, decide, timeline,
disagreements), :mod:`~iqm_rules.cli.office_text` (the rules pages, policy files, case runs,
and the tables of many schools) and :mod:`~iqm_rules.cli.readiness_text`.

Text from input (ids, names, reasons, policy values, file names) is shown through
:func:`~iqm_rules._shown.shown`: each line is escaped as it is made, before it is wrapped or
put in a table, so a control character in a file never reaches the terminal raw and a newline in
a name cannot start a line of its own.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TextIO

from iqm_rules._shown import shown
from iqm_rules.assessment import Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.evidence import EvidenceKind
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.next_steps import long_date
from iqm_rules.principles import Element, Principle

__all__ = ["PROG", "columns", "named", "readable", "school", "table", "when", "wrapped"]

PROG = "iqm-rules"


def school(history: SchoolHistory) -> str:
    """The school's id, with its name if it has one, safe on a terminal."""
    given = history.school
    return named(given.id, given.name)


def named(school_id: str, name: str) -> str:
    """A school's id, with its name if it has one, safe on a terminal."""
    return shown(f"{school_id} ({name})" if name else school_id)


def when(day: date | None) -> str:
    """A date for people, ``-`` when there is none."""
    return "-" if day is None else long_date(day)


def table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """``rows`` as aligned columns, each cell shown safe, trailing blanks trimmed."""
    rows = [[shown(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def columns(out: TextIO | None = None) -> int:
    """The width to wrap text written to ``out`` (default stdout) to: the terminal's, at least
    40, or 80 when not a terminal, so files and pipes get the same text wherever they are made."""
    stream = sys.stdout if out is None else out
    return max(shutil.get_terminal_size().columns, 40) if stream.isatty() else 80


def wrapped(text: str, first: str = "", rest: str = "") -> str:
    """``text`` shown safe (see :func:`shown`) and wrapped to the terminal's width (see
    :func:`columns`)."""
    return textwrap.fill(shown(text), width=columns(), initial_indent=first, subsequent_indent=rest)


def _short(title: str) -> str:
    """A title without its parenthesised gloss: ``Curriculum``, not ``Curriculum (...)``."""
    return title.split(" (")[0]


_WORDS: Mapping[str, str] = {
    member.value: _short(member.title)
    for kind in (Element, Principle, EvidenceKind, Commitment, Judgement, Award)
    for member in kind
}
"""The title of every value a rule's message may name."""

_LISTED = re.compile(
    r"\b(?:{0})(?:, (?:{0}))*\b".format(
        "|".join(re.escape(v) for v in sorted(_WORDS, key=len, reverse=True))
    )
)


def readable(message: str) -> str:
    """A rule's message with the values of the formats (``parents_carers_guardians``) as their
    titles; a list of them is separated by semicolons, since titles hold commas. A lone
    one-word value (``assessment``) is already a word and stays as it is.

    >>> readable("not embedded: parents_carers_guardians, curriculum (established)")
    'not embedded: Parents, carers and guardians; Curriculum (established)'
    """

    def titled(found: re.Match[str]) -> str:
        values = found[0].split(", ")
        if len(values) == 1 and "_" not in values[0]:
            return values[0]
        return "; ".join(_WORDS[v] for v in values)

    return _LISTED.sub(titled, message)

"""What every text report of ``iqm-rules`` shares: the program's name, names and dates for
people, tables and wrapping that fit the terminal.

Nothing here reads, writes or decides. The reports themselves are pure functions of what a
command computed and of the :class:`~iqm_rules.words.Words` of the reader's language:
:mod:`~iqm_rules.cli.school_text` (one school: status, decide, timeline, disagreements),
:mod:`~iqm_rules.cli.office_text` (the rules pages, policy files, case runs, and the tables of
many schools) and :mod:`~iqm_rules.cli.readiness_text`.

Text from input (ids, names, reasons, policy values, file names) is shown through
:func:`~iqm_rules._shown.shown`: each line is escaped as it is made, before it is wrapped or
put in a table, so a control character in a file never reaches the terminal raw and a newline in
a name cannot start a line of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from iqm_rules._shown import shown
from iqm_rules.history import SchoolHistory
from iqm_rules.words import ENGLISH, Words

__all__ = ["PROG", "columns", "fields", "named", "school", "table", "when", "wrapped"]

PROG = "iqm-rules"


def school(history: SchoolHistory) -> str:
    """The school's id, with its name if it has one, safe on a terminal."""
    given = history.school
    return named(given.id, given.name)


def named(school_id: str, name: str) -> str:
    """A school's id, with its name if it has one, safe on a terminal."""
    return shown(f"{school_id} ({name})" if name else school_id)


def when(day: date | None, words: Words = ENGLISH) -> str:
    """A date for people, ``-`` when there is none."""
    return "-" if day is None else words.date(day)


def columns(out: TextIO | None = None) -> int:
    """The width to fit text written to ``out`` (default stdout) to: ``COLUMNS`` when set, else
    the terminal's, else 80 (a file or a pipe gets the same text wherever it is made); at
    least 40."""
    stream = sys.stdout if out is None else out
    given = os.environ.get("COLUMNS", "")
    if given.isdigit():
        return max(int(given), 40)
    return max(shutil.get_terminal_size().columns, 40) if stream.isatty() else 80


def wrapped(text: str, first: str = "", rest: str = "") -> str:
    """``text`` shown safe (see :func:`shown`) and wrapped to the terminal's width (see
    :func:`columns`)."""
    return textwrap.fill(
        shown(text),
        width=columns(),
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    )


def fields(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """``label  value`` lines, the values aligned after the longest label (labels differ in
    length from one language to another)."""
    width = max(8, *(len(label) for label, _ in pairs))
    return [f"{label.ljust(width)}  {value}" for label, value in pairs]


_GAP = 2


def table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """``rows`` as aligned columns that fit the terminal (:func:`columns`), each cell shown
    safe. When the columns are too wide, the widest is narrowed (to no less than 10
    characters) until they fit, and a cell too long for its column wraps onto the lines below,
    in its column; on a terminal too narrow even for that, each row is a few lines of
    ``heading: cell``. Trailing blanks are trimmed."""
    rows = [[shown(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    room = columns() - len(indent) - _GAP * (len(widths) - 1)
    while sum(widths) > room and max(widths) > _NARROWEST:
        widths[widths.index(max(widths))] -= 1
    if sum(widths) > room:
        return _stacked(rows, indent)
    lines = []
    for row in rows:
        parts = [
            textwrap.wrap(cell, width, break_on_hyphens=False) or [""]
            for cell, width in zip(row, widths, strict=True)
        ]
        for number in range(max(len(part) for part in parts)):
            cells = [
                (part[number] if number < len(part) else "").ljust(width)
                for part, width in zip(parts, widths, strict=True)
            ]
            lines.append((indent + (" " * _GAP).join(cells)).rstrip())
    return lines


_NARROWEST = 10


def _stacked(rows: Sequence[Sequence[str]], indent: str) -> list[str]:
    """A table too wide for any columns: each row as its first cell, then ``heading: cell``
    lines below it."""
    heading, *body = rows
    lines: list[str] = []
    for row in body:
        lines.append(
            textwrap.fill(row[0], columns(), initial_indent=indent, subsequent_indent=indent + "  ")
        )
        lines += [
            textwrap.fill(
                f"{name}: {cell}",
                columns(),
                initial_indent=indent + "  ",
                subsequent_indent=indent + "    ",
                break_on_hyphens=False,
            )
            for name, cell in zip(heading[1:], row[1:], strict=True)
        ]
    return lines

"""Text from input made safe for a terminal: one function, used by every text output.

A school's name, an id, a note, a policy's description or a file name comes from a file and may
hold any character. Written raw, an escape sequence in it could retitle the window, clear the
screen or move the cursor, and a bidi override could reverse what a line seems to say. Text
outputs and messages pass such text through :func:`shown` first; JSON output needs no such care
(it escapes controls itself) and holds the values exactly.
"""

from __future__ import annotations

import unicodedata

__all__ = ["shown"]

_HIDDEN: frozenset[str] = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""The Unicode categories :func:`shown` escapes: controls (C0, DEL, C1), format characters
(bidi overrides and isolates, zero-width spaces, the byte-order mark), surrogates, and the line
and paragraph separators."""

_JOINERS: frozenset[str] = frozenset({"\u200c", "\u200d"})
"""Format characters :func:`shown` keeps: the zero-width non-joiner and joiner, which spell
words of several scripts and emoji sequences and move nothing on a terminal."""


_NAMED: dict[str, str] = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _JOINERS or unicodedata.category(char) not in _HIDDEN:
        return char
    code = ord(char)
    if code < 0x100:
        return _NAMED.get(char) or f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(text: str) -> str:
    r"""``text`` safe to write to a terminal: every control or format character escaped as
    Python writes it (``\x1b``, ``\n``, ``\u202e``), everything else as it is.

    Text read from a file (a school's name, an id, a file name) goes through this before it
    reaches text output or a message, so that no file can move the cursor, retitle a window or
    reverse a line. The result holds no such character, so showing it again changes nothing.

    >>> print(shown("École\x1b]0;owned\x07 \u202eabc\n"))
    École\x1b]0;owned\x07 \u202eabc\n
    >>> print(shown("tab\there"), shown("\x9b2J"), shown("\U000e0041"))
    tab\there \x9b2J \U000e0041
    """
    if text.isprintable():  # the usual case, decided at C speed
        return text
    return "".join(map(_escape, text))

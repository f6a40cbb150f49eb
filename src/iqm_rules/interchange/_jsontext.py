"""Strict reading of JSON text: what RFC 8259 and RULEBOOK §7.12 refuse, refused with its path;
and the one place JSON text is written: :func:`canonical_json` for documents, digests and web
responses, :func:`readable_json` for files and lines that people read (indented or spaced).

``json.loads`` accepts ``NaN`` and ``Infinity``, strings holding lone surrogates (which no UTF-8
writer can print), integers of any length (and stops at 4,300 digits with no path), and raises
``RecursionError`` for deep nesting. :func:`loads` refuses each with the path of the value, and
ignores a UTF-8 byte-order mark at the start of the text. Valid documents cost a look for a
backslash (and, for text that is not ASCII, one encoding), and a regular expression only where
these find something; the walk that finds a path runs only when something may be refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Final

from iqm_rules.errors import InvalidRecord, written

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "canonical_json", "loads", "readable_json"]

MAX_DIGITS: Final = 400
"""The most digits an integer may be written with (the largest bound of any count is 4 digits)."""

MAX_DEPTH: Final = 256
"""Nesting too deep for the parser is reported at the path where it passes this depth
(documents need fewer than ten levels; the parser itself stops near a thousand)."""

_ESCAPED: Final = re.compile(r"\\u[dD][89a-fA-F]")
_LONE: Final = re.compile(r"[\ud800-\udfff]")
_TOKENS: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


class _Refused:
    """Stands where a value was refused while parsing, until its path is known."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem


def _is_text(value: str) -> bool:
    return _LONE.search(value) is None


def loads(
    text: str,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any],
    *,
    from_utf8: bool = False,
) -> object:
    """The JSON value ``text`` holds, read strictly (see the module docs).

    ``from_utf8`` says ``text`` was decoded from UTF-8 bytes, which cannot hold a raw lone
    surrogate (the decoder refuses one): only escaped ones are then looked for.

    >>> loads('\\ufeff{"a": [1, 2.0]}', dict)
    {'a': [1, 2.0]}
    >>> loads('{"a": [1, NaN]}', dict)
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: a[1]: NaN is not a JSON number
    >>> loads('{"id": "URN-\\\\ud800"}', dict)
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: id: holds a lone surrogate (\\ud800), which is not text
    """
    text = text.removeprefix("\ufeff")
    refused: list[bool] = []

    def constant(name: str) -> _Refused:
        refused.append(True)
        return _Refused(f"{name} is not a JSON number")

    def integer(digits: str) -> int | _Refused:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            refused.append(True)
            return _Refused(f"a number written with more than {MAX_DIGITS} digits is too large")
        return int(digits)

    try:
        data = json.loads(
            text, object_pairs_hook=object_pairs_hook, parse_constant=constant, parse_int=integer
        )
        first = (
            next(_problems(data, ()), None)
            if refused or _suspect(text, raw=not from_utf8)
            else None
        )
    except RecursionError:
        raise InvalidRecord(_too_deep(text), f"nested more than {MAX_DEPTH} levels deep") from None
    if first is not None:
        if not first[0]:
            raise InvalidRecord("", f"the input is not a JSON document: {first[1]}")
        raise InvalidRecord(written(first[0]), first[1])
    return data


def _suspect(text: str, *, raw: bool = True) -> bool:
    """Whether ``text`` may write a lone surrogate as a ``\\uD800``-style escape, or (``raw``)
    as itself.

    >>> [_suspect(t) for t in ('"a"', '"é"', '"\\\\ud83d\\\\ude00"', '"\\ud800"')]
    [False, False, True, True]
    """
    # A fast path for the common case: a regular expression search of the whole text costs
    # three times the parse itself (the load + status benchmark target). Raw surrogates can only
    # be in text that is not ASCII (``isascii`` is answered without a scan) and show themselves
    # by failing to encode; escapes only follow a backslash, which is found with ``memchr``.
    # Text that may hold one falls through to the walk of the parsed data, which decides.
    if raw and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return True
    return "\\" in text and _ESCAPED.search(text) is not None


def canonical_json(data: object) -> str:
    """``data`` as canonical JSON text: sorted keys, no insignificant whitespace, UTF-8 text kept
    as is; the one form of every document, record digest and web response.

    >>> canonical_json({"b": [1, 2], "a": "é"})
    '{"a":"é","b":[1,2]}'
    """
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def readable_json(
    data: object, *, indent: int | None = None, sort_keys: bool = True, ascii_only: bool = False
) -> str:
    """``data`` as JSON text for people: spaced (``", "``, ``": "``) or indented by ``indent``,
    keys sorted unless ``sort_keys`` is false, UTF-8 text kept as is unless ``ascii_only`` (a
    log line, which may reach a terminal).

    >>> readable_json({"b": [1, 2], "a": "é"})
    '{"a": "é", "b": [1, 2]}'
    >>> print(readable_json({"b": 1, "a": "é"}, indent=1, sort_keys=False, ascii_only=True))
    {
     "b": 1,
     "a": "\\u00e9"
    }
    """
    return json.dumps(
        data, sort_keys=sort_keys, indent=indent, ensure_ascii=ascii_only, allow_nan=False
    )


def _problems(
    node: object, parts: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Refused values and non-text strings (keys and values), in document order."""
    if isinstance(node, _Refused):
        yield parts, node.problem
    elif isinstance(node, str):
        if not _is_text(node):
            yield parts, f"holds a lone surrogate ({_surrogate(node)}), which is not text"
    elif isinstance(node, dict):
        for key, value in node.items():
            if not _is_text(key):
                yield (*parts, key), f"a key holds a lone surrogate ({_surrogate(key)})"
            yield from _problems(value, (*parts, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _problems(value, (*parts, index))


def _surrogate(text: str) -> str:
    found = _LONE.search(text)
    return "" if found is None else f"\\u{ord(found.group()):04x}"


def _too_deep(text: str) -> str:
    """The path at which ``text`` first nests deeper than :data:`MAX_DEPTH`."""
    parts: list[str | int] = []
    kinds: list[str] = []
    key: str | int = 0
    expecting_key = False
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            if len(kinds) >= MAX_DEPTH:
                break
            if kinds:
                parts.append(key)
            kinds.append(mark)
            key, expecting_key = (0, False) if mark == "[" else ("", True)
        elif mark in "]}":
            if not kinds:
                break
            kinds.pop()
            key = parts.pop() if parts else 0
            expecting_key = False
        elif mark == ",":
            if kinds and kinds[-1] == "[":
                key = int(key) + 1
            else:
                expecting_key = True
        elif mark != ":" and expecting_key:
            key, expecting_key = json.loads(mark), False
    if len(parts) > 9:
        return written(tuple(parts[:6])) + "…" + written((0, *parts[-3:]))[3:]
    return written(tuple(parts))

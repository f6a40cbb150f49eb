"""Strict JSON text (RULEBOOK §6, §7.10): what a source holds, and canonical dumps.

Reading refuses what :func:`json.loads` lets through: a key repeated in one object (no "last one
wins"), and, each at its path (:mod:`iqm_rules.interchange._jsontext`), ``NaN`` or ``Infinity``,
lone surrogates, overlong numbers and nesting too deep; a byte-order mark at the start is ignored.
Writing is canonical: sorted keys, no insignificant whitespace, UTF-8 text kept as is.

>>> parse('{"a": 1, "a": 2}')
Traceback (most recent call last):
iqm_rules.errors.InvalidRecord: a: repeated key (a JSON object names each key once)
>>> canonical("x@1", {"b": "é", "a": [1, 2]})
'{"a":[1,2],"b":"é","format":"x@1"}'
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from iqm_rules._shown import shown
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import _jsontext
from iqm_rules.interchange._paths import Part, Problem, first_in_order

__all__ = ["REPEATED_KEY", "Source", "canonical", "decoded", "given", "parse"]

REPEATED_KEY = "repeated key (a JSON object names each key once)"
"""The problem of a key given twice in one object (§7.10): the web service answers it with 422,
where other refusals of the JSON text are 400."""

Source = str | bytes | os.PathLike[str] | Mapping[str, Any]
"""JSON text (``str`` or UTF-8 ``bytes``), a path to a JSON file, or already parsed data."""


def given(value: object) -> str:
    r"""A short JSON rendering of a bad value, for messages; safe on a terminal
    (:func:`shown`).

    >>> given("x" * 80)[-6:], given([1]), given({}), given(10**200)
    ('xxx...', 'an array', 'an object', 'a number too long to show')
    >>> given("\x1b[2J\u202e")
    '"\\u001b[2J\\u202e"'
    """
    if isinstance(value, int) and value.bit_length() > 128:
        return "a number too long to show"
    if value is None or isinstance(value, bool | int | float | str):
        text = shown(json.dumps(value, ensure_ascii=False))
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a Python {type(value).__name__}"


def _objects() -> tuple[Callable[[list[tuple[str, Any]]], dict[str, Any]], dict[int, Any]]:
    """An ``object_pairs_hook`` for one parse: plain dicts, noting any that repeat a key.

    The second value maps ``id`` of each such dict to its repeated keys.
    """
    repeated: dict[int, tuple[str, ...]] = {}

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            counts = Counter(key for key, _ in pairs)
            repeated[id(out)] = tuple(key for key, count in counts.items() if count > 1)
        return out

    return hook, repeated


def _repeats(
    node: object, path: tuple[Part, ...], repeated: Mapping[int, tuple[str, ...]]
) -> Iterator[Problem]:
    if isinstance(node, dict):
        for key in repeated.get(id(node), ()):
            yield (*path, key), REPEATED_KEY
        for key, value in node.items():
            yield from _repeats(value, (*path, key), repeated)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _repeats(value, (*path, index), repeated)


def parse(source: Source) -> object:
    """JSON data from text, bytes, a file or already parsed data; repeated keys are errors."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, os.PathLike):
        source = Path(source).read_bytes()
    from_utf8 = isinstance(source, bytes)
    if isinstance(source, bytes):
        source = decoded(source)
    if not isinstance(source, str):
        raise InvalidRecord("", f"expected JSON text, a path or a mapping, got {given(source)}")
    try:
        hook, repeated = _objects()
        data = _jsontext.loads(source, hook, from_utf8=from_utf8)
    except InvalidRecord:
        raise
    except json.JSONDecodeError as error:
        raise InvalidRecord("", _malformed(source, error)) from None
    if repeated:
        raise first_in_order(data, _repeats(data, (), repeated))
    return data


_MARKS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
"""The byte-order marks of the other Unicode encodings, longest first."""


def _other_encoding(data: bytes) -> str | None:
    """The encoding ``data`` looks like if it is UTF-16 or UTF-32, not UTF-8; else None.

    A byte-order mark says so; without one, text in those encodings has NUL bytes in fixed
    places among its first characters (JSON, TOML and CSV start with ASCII): every second byte
    of the first eight for UTF-16, three of every four for UTF-32. UTF-8 text holds no NUL byte
    that any reader here accepts, so the check is made only when there is one (or a mark).

    >>> _other_encoding('{"a": 1}'.encode("utf-16-le")), _other_encoding(b'{"a": 1}')
    ('UTF-16', None)
    """
    for mark, name in _MARKS:
        if data.startswith(mark):
            return name
    head = data[:8]
    zero = [byte == 0 for byte in head]
    for size in (4, 2):
        for ascii_at in (0, size - 1):  # little-endian, big-endian
            if len(head) >= size and zero == [i % size != ascii_at for i in range(len(head))]:
                return f"UTF-{8 * size}"
    return None


def decoded(data: bytes) -> str:
    r"""The text UTF-8 ``data`` holds; :class:`InvalidRecord` naming the first byte that is not,
    or the encoding (UTF-16, UTF-32) that ``data`` looks like.

    >>> decoded("{}".encode("utf-16"))
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: not UTF-8 text: it looks like UTF-16; save it as UTF-8
    >>> decoded(b'{"a": "\xe9"}')
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: not UTF-8 text (byte 7)
    """
    other = _other_encoding(data) if b"\x00" in data or data[:1] in (b"\xff", b"\xfe") else None
    if other is not None:
        raise InvalidRecord("", f"not UTF-8 text: it looks like {other}; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidRecord("", f"not UTF-8 text (byte {error.start})") from None


def _malformed(text: str, error: json.JSONDecodeError) -> str:
    r"""What is wrong with text that is not JSON, naming the two usual mix-ups: a file name given
    as a string, and JSON Lines (one document a line) given where one document is read. The
    place is ``line L, column C``, or ``column C`` in a text of one line, so that a JSON Lines
    item (``line 17: ...``) names its line once.

    >>> _malformed('{"a": }\n', json.JSONDecodeError("Expecting value", '{"a": }\n', 6))
    'malformed JSON at column 7: Expecting value'
    """
    stripped = text.strip()
    if (
        "\n" not in stripped
        and stripped[:1] not in ("{", "[", '"')
        and stripped.endswith((".json", ".jsonl"))
    ):
        return (
            f"got the text {stripped!r}, which looks like a file name, not JSON: to read a file, "
            "pass a pathlib.Path"
        )
    line = text.rstrip("\r\n")
    if "\n" in line:
        at = f"line {error.lineno}, column {error.colno}"
    else:  # one line (a JSON Lines item, a minified file): its number is the reader's to name
        at = f"column {min(error.pos, len(line)) + 1}"
    where = f"malformed JSON at {at}: {error.msg}"
    if error.msg == "Extra data" and error.lineno > 1 and stripped.startswith("{"):
        return f"{where}; this looks like JSON Lines (one document a line), not one document"
    return where


def canonical(form: str, data: Mapping[str, Any]) -> str:
    """The canonical text of a document of format ``form`` holding ``data``."""
    return _jsontext.canonical_json({"format": form, **data})

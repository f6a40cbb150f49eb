"""Policy files written by hand: TOML or JSON, one policy or a dated book (RULEBOOK §2).

A file holds either one policy (its parameters at the top level) or a book
(``policies = [...]``). In a book each policy states only what changes: a parameter it leaves
out keeps the value of the policy before it (by ``effective_from``), and the first policy takes
the defaults of §2. ``cycle_years`` is inherited award by award. Bounds are the
:class:`~iqm_rules.policy.Policy` validators'; anything wrong is one
:class:`~iqm_rules.errors.InvalidPolicy` at its path (``policies[1].grace_months``).

>>> book = read_policy('''
... [[policies]]
... id = "base"
... effective_from = 2000-01-01
... grace_months = 4
... [[policies]]
... id = "strict"
... effective_from = 2026-09-01
... flagship_boundary = "more_than"
... ''', form="toml").book
>>> book.in_force(date(2026, 9, 1)).grace_months, book.in_force(date(2026, 9, 1)).flagship_boundary
(4, FlagshipBoundary.MORE_THAN)
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from attrs import field, frozen

from iqm_rules.errors import InvalidPolicy, InvalidRecord
from iqm_rules.interchange import structure, unstructure
from iqm_rules.policy import DEFAULT_POLICY, PARAMETERS, Policy, PolicyBook, policy_in_force

__all__ = [
    "POLICY_FORMAT",
    "Setting",
    "WrittenBook",
    "book_of",
    "default_policy_text",
    "differences",
    "form_of",
    "parse",
    "plain",
    "policies_of",
    "read_policy",
    "read_policy_file",
    "settings",
    "value_text",
]

POLICY_FORMAT: Final = "iqm-rules/policy@1"

Form = Literal["toml", "json"]


def _stated(names: Sequence[frozenset[str]]) -> tuple[frozenset[str], ...]:
    return tuple(names)


def _indices(indices: Iterable[int]) -> tuple[int, ...]:
    return tuple(indices)


@frozen
class WrittenBook:
    """A policy book as written: its policies (by ``effective_from``) and what each one states.

    ``stated[i]`` names the parameters that ``book.policies[i]`` sets itself; the others it
    inherits (or, for the first policy, takes from the defaults). ``indices[i]`` is the position
    of that policy in the file, for messages.
    """

    book: PolicyBook
    stated: tuple[frozenset[str], ...] = field(converter=_stated)
    indices: tuple[int, ...] = field(converter=_indices)


@frozen
class Setting:
    """One parameter in force on a date, and the policy that set it (``None``: the default)."""

    name: str
    value: object
    set_by: str | None
    in_force: str


def plain(value: object) -> object:
    """TOML data as JSON data: dates become ``YYYY-MM-DD`` text, the rest is kept.

    >>> plain({"on": date(2024, 3, 10), "xs": [date(2020, 1, 1)]})
    {'on': '2024-03-10', 'xs': ['2020-01-01']}
    """
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)  # type: ignore[type-var]
    return value


def parse(text: str, form: Form) -> object:
    """TOML or JSON text as JSON data; a syntax error is one :class:`InvalidRecord`."""
    if form == "toml":
        try:
            return plain(tomllib.loads(text))
        except tomllib.TOMLDecodeError as error:
            raise InvalidRecord("", f"malformed TOML: {error}") from None
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidRecord(
            "", f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    return data


def form_of(path: str | os.PathLike[str]) -> Form:
    """``toml`` for a ``.toml`` file, else ``json``."""
    return "toml" if Path(path).suffix.lower() == ".toml" else "json"


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidPolicy(where, "must be an object (a table)")
    return value


def policies_of(data: object, form: Form) -> tuple[list[Mapping[str, Any]], str]:
    """The raw policies of a document and the path prefix of their list (``""`` for one)."""
    document = _object(data, "")
    if "format" in document:
        if document["format"] != POLICY_FORMAT:
            raise InvalidPolicy("format", f'must be "{POLICY_FORMAT}", got {document["format"]!r}')
    elif form == "json":
        raise InvalidPolicy("format", f'required key missing; allowed: "{POLICY_FORMAT}"')
    body = {k: v for k, v in document.items() if k != "format"}
    if "policies" not in body:
        return [body], ""
    extra = sorted(set(body) - {"policies"})
    if extra:
        raise InvalidPolicy(extra[0], "a book holds only format and policies")
    items = body["policies"]
    if not isinstance(items, list) or not items:
        raise InvalidPolicy("policies", "must be a non-empty list of policies")
    return [_object(item, f"policies[{i}]") for i, item in enumerate(items)], "policies"


def _where(prefix: str, index: int) -> str:
    return f"{prefix}[{index}]" if prefix else ""


def _inherit(previous: Mapping[str, Any], stated: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**previous, **stated}
    before, now = previous.get("cycle_years"), stated.get("cycle_years")
    if isinstance(before, Mapping) and isinstance(now, Mapping):
        merged["cycle_years"] = {**before, **now}
    return merged


def book_of(data: object, form: Form = "json") -> WrittenBook:
    """The book a parsed document describes, inheritance applied (§2)."""
    raw, prefix = policies_of(data, form)
    starts: list[tuple[date, int]] = []
    ids: dict[str, int] = {}
    days: dict[date, int] = {}
    for index, item in enumerate(raw):
        where = _where(prefix, index)
        for key in ("id", "effective_from"):
            if key not in item:
                raise InvalidPolicy(_join(where, key), "required key missing")
        try:
            start = structure(item["effective_from"], date)
        except InvalidRecord as error:
            raise InvalidPolicy(_join(where, "effective_from"), error.problem) from None
        if start in days:
            raise InvalidPolicy(
                _join(where, "effective_from"),
                f"policies[{days[start]}] already takes effect on {start.isoformat()}",
            )
        if isinstance(item["id"], str) and item["id"] in ids:
            raise InvalidPolicy(
                _join(where, "id"), f"policies[{ids[item['id']]}] already has id {item['id']!r}"
            )
        days[start] = index
        if isinstance(item["id"], str):
            ids[item["id"]] = index
        starts.append((start, index))
    previous: Mapping[str, Any] = unstructure(DEFAULT_POLICY)
    policies: list[Policy] = []
    stated: list[frozenset[str]] = []
    indices: list[int] = []
    for _, index in sorted(starts):
        item = raw[index]
        merged = _inherit(previous, item)
        try:
            policy = structure(merged, Policy)
        except InvalidRecord as error:
            raise InvalidPolicy(_join(_where(prefix, index), error.path), error.problem) from None
        policies.append(policy)
        stated.append(frozenset(item) & frozenset(PARAMETERS))
        indices.append(index)
        previous = unstructure(policy)
    return WrittenBook(PolicyBook(policies), stated, indices)


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path


def read_policy(text: str, form: Form = "json") -> WrittenBook:
    """A written book from TOML or JSON text (see the module docs)."""
    return book_of(parse(text, form), form)


def read_policy_file(path: str | os.PathLike[str]) -> WrittenBook:
    """A written book from a ``.toml`` or ``.json`` file."""
    return read_policy(Path(path).read_text("utf-8-sig"), form_of(path))


def default_policy_text() -> str:
    """The shipped TOML file of the default policy ``iqm-2025.1``, a body's starting point."""
    return resources.files("iqm_rules").joinpath("policies", "default.toml").read_text("utf-8")


def value_text(value: object) -> str:
    """A parameter value as written in a TOML file.

    >>> value_text(frozenset({"b", "a"})), value_text(date(2026, 9, 1))
    ('["a", "b"]', '2026-09-01')
    """
    data = plain(unstructure(value))
    if isinstance(data, Mapping):
        return "{ " + ", ".join(f"{k} = {value_text(v)}" for k, v in data.items()) + " }"
    if isinstance(data, list):
        return "[" + ", ".join(value_text(v) for v in sorted(data)) + "]"
    if isinstance(data, str) and isinstance(value, date):
        return data
    return json.dumps(data, ensure_ascii=False)


def settings(written: WrittenBook, on: date) -> tuple[Setting, ...]:
    """Every parameter in force on ``on``, and which policy set it (``None``: the default)."""
    policy = policy_in_force(written.book, on)
    position = written.book.policies.index(policy)
    found: list[Setting] = []
    for name in PARAMETERS:
        set_by = None
        for earlier in range(position, -1, -1):
            if name in written.stated[earlier]:
                set_by = written.book.policies[earlier].id
                break
        found.append(Setting(name, policy.parameter(name), set_by, policy.id))
    return tuple(found)


def differences(a: Policy | PolicyBook, b: Policy | PolicyBook, on: date) -> tuple[str, ...]:
    """The names of the parameters whose values differ between ``a`` and ``b`` on ``on``."""
    left, right = policy_in_force(a, on), policy_in_force(b, on)
    return tuple(name for name in PARAMETERS if left.parameter(name) != right.parameter(name))

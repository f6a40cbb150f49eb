"""Policy documents written as JSON or TOML: one policy or a dated book, with inheritance (§2).

:func:`policy_entries` reads a document into its policies as written; :func:`inherited` completes
each from the one before it (by ``effective_from``; the first from the defaults) and builds the
book. :func:`iqm_rules.interchange.load_policy` is the two together.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from iqm_rules.errors import InvalidPolicy, InvalidRecord, join_path, written
from iqm_rules.interchange._converter import CONVERTER
from iqm_rules.interchange._errors import structured
from iqm_rules.interchange._json import Source, decoded, given, parse
from iqm_rules.interchange.formats import POLICY_FORMAT
from iqm_rules.policy import Policy, PolicyBook

__all__ = ["inherited", "policy_entries"]


def policy_entries(source: Source) -> tuple[tuple[Mapping[str, Any], ...], str]:
    """The policies of a policy document as written (JSON data), and the path of their list.

    ``source`` is text or UTF-8 bytes (TOML unless it starts with ``{``), a path (TOML if it
    ends in ``.toml``) or parsed data. ``format`` is required in JSON and optional in TOML;
    TOML dates become ``YYYY-MM-DD`` text. One policy gives ``((policy,), "")``, a book
    ``(policies, "policies")``.

    >>> policy_entries('id = "p"\\neffective_from = 2020-01-01\\n')
    (({'id': 'p', 'effective_from': '2020-01-01'},), '')
    """
    data, toml = _policy_data(source)
    if not isinstance(data, Mapping):
        raise InvalidPolicy("", f"a policy document must be an object, got {given(data)}")
    if "format" in data:
        if data["format"] != POLICY_FORMAT:
            raise InvalidPolicy("format", f'must be "{POLICY_FORMAT}", got {given(data["format"])}')
    elif not toml:
        raise InvalidPolicy("format", f'required key missing; allowed: "{POLICY_FORMAT}"')
    body = {key: value for key, value in data.items() if key != "format"}
    if "policies" not in body:
        return (body,), ""
    extra = sorted(set(body) - {"policies"})
    if extra:
        raise InvalidPolicy(extra[0], "a book holds only format and policies")
    items = body["policies"]
    if not isinstance(items, list) or not items:
        raise InvalidPolicy("policies", "must be a non-empty list of policies")
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidPolicy(
                written(("policies", index)), f"must be an object, got {given(item)}"
            )
    return tuple(items), "policies"


def _policy_data(source: Source) -> tuple[object, bool]:
    """The JSON data of a policy document, and whether it was written in TOML."""
    if isinstance(source, Mapping):
        return plain_data(source), False
    toml = False
    if isinstance(source, os.PathLike):
        toml = Path(source).suffix.lower() == ".toml"
        source = Path(source).read_bytes()
    if isinstance(source, bytes):
        source = decoded(source)
    if isinstance(source, str):
        source = source.removeprefix("\ufeff")
        toml = toml or not source.lstrip().startswith("{")
    if not toml:
        return parse(source), False
    import tomllib  # here, not at the top: a command reading no TOML need not load its parser

    try:
        return plain_data(tomllib.loads(str(source))), True
    except tomllib.TOMLDecodeError as error:
        raise InvalidRecord("", f"malformed TOML: {error}") from None


def plain_data(value: object) -> object:
    """TOML data as JSON data: dates become ``YYYY-MM-DD`` text, the rest is kept."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(item) for item in value]
    return value


def inherited(entries: tuple[Mapping[str, Any], ...], prefix: str) -> PolicyBook:
    """The book of ``entries``, each policy completed from the one before it (RULEBOOK §2)."""
    dated: list[tuple[date, int]] = []
    ids: dict[object, int] = {}
    days: dict[date, int] = {}
    for index, item in enumerate(entries):
        where = written((prefix, index)) if prefix else ""
        for key in ("id", "effective_from"):
            if key not in item:
                raise InvalidPolicy(join_path(where, key), "required key missing")
        try:
            start = structured(item["effective_from"], date)
        except InvalidRecord as error:
            raise InvalidPolicy(join_path(where, "effective_from"), error.problem) from None
        if start in days:
            raise InvalidPolicy(
                join_path(where, "effective_from"),
                f"{prefix}[{days[start]}] already takes effect on {start.isoformat()}",
            )
        if isinstance(item["id"], str) and item["id"] in ids:
            raise InvalidPolicy(
                join_path(where, "id"), f"{prefix}[{ids[item['id']]}] already has id {item['id']!r}"
            )
        days[start] = index
        if isinstance(item["id"], str):
            ids[item["id"]] = index
        dated.append((start, index))
    previous: Mapping[str, Any] = CONVERTER.unstructure(Policy())
    policies: list[Policy] = []
    for _, index in sorted(dated):
        stated = entries[index]
        merged = {**previous, **stated}
        if isinstance(stated.get("cycle_years"), Mapping):
            merged["cycle_years"] = {**previous["cycle_years"], **stated["cycle_years"]}
        try:
            policy = structured(merged, Policy)
        except InvalidRecord as error:
            where = written((prefix, index)) if prefix else ""
            raise InvalidPolicy(join_path(where, error.path), error.problem) from None
        policies.append(policy)
        previous = CONVERTER.unstructure(policy)
    return PolicyBook(tuple(policies))

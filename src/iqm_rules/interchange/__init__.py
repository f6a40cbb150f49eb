"""The JSON interchange format, version 1 (RULEBOOK §6): histories in, decisions and status out.

Reading is strict (§7.10): unknown keys, repeated keys, wrong types, unknown vocabulary and dates
not written ``YYYY-MM-DD`` are all errors. Every problem found while reading comes out as one
:class:`~iqm_rules.errors.InvalidRecord` naming the JSON path of the bad value and what is
allowed, for example ``events[2].evidence[5].collected_on: 2024-03-11 is after held_on
2024-03-10``.

When a document has several problems, the one raised is the first in document order; every other
problem found is attached to it as a note (``error.__notes__``, one ``"also: path: problem"``
line each). A wrong or missing ``format`` stops reading at once.

Output is canonical JSON: sorted keys, no insignificant whitespace, UTF-8 text kept as is.

The package holds one concern per module: ``_json`` (strict JSON text, canonical dumps),
``_values`` (what a simple value must be), ``_converter`` (the one cattrs converter and its
hooks), ``_fast`` (the reader's fast paths, each falling through to the converter's general
hooks), ``_errors`` (cattrs errors into one ``InvalidRecord``) and ``_paths`` (JSON paths in
document order); this module is the public face.

>>> from iqm_rules.interchange.examples import example_text
>>> history = load_history(example_text("first-award"))
>>> load_history(dump_history(history)) == history
True
>>> load_history('{"format": "iqm-rules/history@2", "school": {}, "events": []}')
Traceback (most recent call last):
iqm_rules.errors.InvalidRecord: format: must be "iqm-rules/history@1", got "iqm-rules/history@2"
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, TypeVar

from iqm_rules.decisions.decision import Decision
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange._converter import CONVERTER
from iqm_rules.interchange._errors import structured
from iqm_rules.interchange._json import Source, canonical, given, parse
from iqm_rules.interchange._policies import inherited, plain_data, policy_entries
from iqm_rules.interchange.formats import (
    DECISION_FORMAT,
    HISTORY_FORMAT,
    POLICY_FORMAT,
    STATUS_FORMAT,
)
from iqm_rules.lifecycle.next_steps import NextStep
from iqm_rules.lifecycle.replay import StatusReport
from iqm_rules.policy import Policy, PolicyBook

__all__ = [
    "DECISION_FORMAT",
    "HISTORY_FORMAT",
    "POLICY_FORMAT",
    "SCHEMAS",
    "STATUS_FORMAT",
    "Source",
    "dump_decision",
    "dump_history",
    "dump_policy",
    "dump_status",
    "load_decision",
    "load_history",
    "load_policy",
    "load_status",
    "parse_json",
    "plain_data",
    "policy_entries",
    "schema",
    "structure",
    "unstructure",
]


T = TypeVar("T")


# Reading

parse_json = parse
"""JSON data from text, bytes, a file or parsed data, read as strictly as every document here:
repeated keys, lone surrogates, ``NaN`` and too-deep nesting are refused with their path."""


def _document(source: Source, form: str, what: str) -> dict[str, Any]:
    """The keys of a document after its ``format`` was checked."""
    data = parse(source)
    if not isinstance(data, Mapping):
        raise InvalidRecord("", f"a {what} document must be a JSON object, got {given(data)}")
    if "format" not in data:
        raise InvalidRecord("format", f'required key missing; allowed: "{form}"')
    if data["format"] != form:
        raise InvalidRecord("format", f'must be "{form}", got {given(data["format"])}')
    return {k: v for k, v in data.items() if k != "format"}


def load_history(source: Source) -> SchoolHistory:
    """A school history from an ``iqm-rules/history@1`` document (RULEBOOK §6).

    ``source`` is JSON text, UTF-8 bytes, a path to a file, or parsed data. Anything wrong is one
    :class:`InvalidRecord` at the JSON path of the first problem (see the module docs); a file
    that cannot be opened raises the usual :class:`OSError`.
    """
    return structured(_document(source, HISTORY_FORMAT, "history"), SchoolHistory)


def load_decision(source: Source) -> Decision:
    """A decision from an ``iqm-rules/decision@1`` document, as written by :func:`dump_decision`."""
    return structured(_document(source, DECISION_FORMAT, "decision"), Decision)


def load_status(source: Source) -> StatusReport:
    """A status report from an ``iqm-rules/status@1`` document (see :func:`dump_status`).

    An optional ``next_steps`` list is derived data (it follows from the awards): not kept.
    """
    document = _document(source, STATUS_FORMAT, "status")
    return structured(
        {key: value for key, value in document.items() if key != "next_steps"}, StatusReport
    )


def load_policy(source: Source) -> PolicyBook:
    """A policy book from an ``iqm-rules/policy@1`` document, written as JSON or TOML (§2).

    The document holds one policy (its parameters at the top level) or a book
    (``policies = [...]``); each policy needs ``id`` and ``effective_from``. A policy states only
    what changes: a parameter it leaves out keeps the value of the policy before it (by
    ``effective_from``; ``cycle_years`` award by award), and the first policy takes the defaults
    of RULEBOOK §2 for what it leaves out. ``source`` is read by :func:`policy_entries`.

    >>> from datetime import date
    >>> book = load_policy('''
    ... [[policies]]
    ... id = "base"
    ... effective_from = 2000-01-01
    ... grace_months = 4
    ... [[policies]]
    ... id = "strict"
    ... effective_from = 2026-09-01
    ... flagship_boundary = "more_than"
    ... ''')
    >>> strict = book.in_force(date(2026, 9, 1))
    >>> strict.grace_months, strict.flagship_boundary, strict.evidence_window_months
    (4, FlagshipBoundary.MORE_THAN, 18)
    >>> load_policy('{"format": "iqm-rules/policy@1", "policies": [{"id": "x"}]}')
    Traceback (most recent call last):
    iqm_rules.errors.InvalidPolicy: policies[0].effective_from: required key missing
    """
    return inherited(*policy_entries(source))


def structure(data: object, cls: type[T]) -> T:
    """``data`` (JSON-ready, without a ``format`` key) as an instance of ``cls``, strictly.

    >>> from datetime import date
    >>> from iqm_rules import Award
    >>> structure("flagship", Award)
    Award.FLAGSHIP
    >>> structure("2023-02-29", date)
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: 2023-02-29 is not a calendar date
    """
    return structured(data, cls)


# Writing


def unstructure(obj: object) -> Any:
    """JSON-ready data for any record, decision or status (without the document ``format`` key).

    >>> from datetime import date
    >>> unstructure(date(2024, 3, 10))
    '2024-03-10'
    """
    return CONVERTER.unstructure(obj)


def dump_history(history: SchoolHistory) -> str:
    """The canonical ``iqm-rules/history@1`` document of ``history``."""
    return canonical(HISTORY_FORMAT, CONVERTER.unstructure(history, SchoolHistory))


def dump_decision(decision: Decision) -> str:
    """The canonical ``iqm-rules/decision@1`` document of ``decision``."""
    return canonical(DECISION_FORMAT, CONVERTER.unstructure(decision, Decision))


def dump_status(report: StatusReport, steps: Sequence[NextStep] | None = None) -> str:
    """The canonical ``iqm-rules/status@1`` document of ``report``; its decisions have no format.

    With ``steps`` (see :func:`~iqm_rules.lifecycle.next_steps.next_steps`), the optional
    ``next_steps`` list is added: one object per held award.
    """
    data = CONVERTER.unstructure(report, StatusReport)
    if steps is not None:
        data["next_steps"] = [CONVERTER.unstructure(step, NextStep) for step in steps]
    return canonical(STATUS_FORMAT, data)


def dump_policy(policy: Policy | PolicyBook) -> str:
    """The canonical ``iqm-rules/policy@1`` document of a policy or a book, every value shown."""
    book = policy if isinstance(policy, PolicyBook) else PolicyBook((policy,))
    return canonical(POLICY_FORMAT, CONVERTER.unstructure(book, PolicyBook))


# Schemas


SchemaName = Literal[
    "history",
    "decision",
    "status",
    "policy",
    "record",
    "audit-report",
    "planned",
    "readiness",
    "verification",
    "what-if",
    "timeline",
    "upcoming",
    "register",
    "evidence",
    "policy-settings",
    "log-verification",
    "log-status",
    "log-entry",
    "log-head",
]
"""The name of a format with a JSON Schema in the package."""

SCHEMAS: Final[tuple[SchemaName, ...]] = typing.get_args(SchemaName)
"""The formats with a JSON Schema in the package."""


def schema(name: SchemaName) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``name`` format, as shipped in the package."""
    if name not in SCHEMAS:
        raise InvalidRecord("schema", f"must be one of {', '.join(SCHEMAS)}, got {given(name)}")
    from importlib import resources  # here: a command that reads no schema need not import it

    text = (
        resources.files("iqm_rules.interchange")
        .joinpath("schemas", f"{name}.schema.json")
        .read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded

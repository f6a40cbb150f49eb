"""Policy files as people write them: what each policy states, what it inherits, what differs.

Reading is :func:`iqm_rules.interchange.load_policy` (JSON or TOML, one policy or a dated book,
the inheritance and bounds of RULEBOOK §2); this module keeps, beside the book, which parameters
each policy states itself, so that ``iqm-rules policy show`` can say where a value comes from.

>>> written = read_policy('''
... [[policies]]
... id = "base"
... effective_from = 2000-01-01
... grace_months = 4
... [[policies]]
... id = "strict"
... effective_from = 2026-09-01
... flagship_boundary = "more_than"
... ''')
>>> [(s.name, s.set_by) for s in settings(written, date(2026, 9, 1)) if s.set_by]
[('flagship_boundary', 'strict'), ('grace_months', 'base')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date

from attrs import field, frozen

from iqm_rules.interchange import Source, load_policy, policy_entries, structure, unstructure
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.formats import POLICY_SETTINGS_FORMAT
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.policy import Policy, PolicyBook, policy_in_force

__all__ = [
    "Setting",
    "WrittenBook",
    "default_policy_text",
    "differences",
    "read_policy",
    "settings",
    "settings_document",
    "value_text",
]


def _stated(names: Iterable[frozenset[str]]) -> tuple[frozenset[str], ...]:
    return tuple(names)


@frozen
class WrittenBook:
    """A policy book as written: its policies (by ``effective_from``) and what each one states.

    ``stated[i]`` names the parameters that ``book.policies[i]`` sets itself; the others it
    inherits (or, for the first policy, takes from the defaults).
    """

    book: PolicyBook
    stated: tuple[frozenset[str], ...] = field(converter=_stated)


@frozen
class Setting:
    """One parameter in force on a date, and the policy that set it (``None``: the default)."""

    name: str
    value: object
    set_by: str | None
    in_force: str


def read_policy(source: Source) -> WrittenBook:
    """The book of a policy document (see :func:`~iqm_rules.interchange.load_policy`) and what
    each of its policies states."""
    book = load_policy(source)
    entries, _ = policy_entries(source)
    ordered = sorted(entries, key=lambda entry: structure(entry["effective_from"], date))
    return WrittenBook(book, (frozenset(entry) & frozenset(PARAMETERS) for entry in ordered))


def default_policy_text() -> str:
    """The shipped TOML file of the default policy ``iqm-2025.1``, a body's starting point."""
    from importlib import resources  # here: only this reads a shipped file

    return (
        resources.files("iqm_rules.interchange")
        .joinpath("policies", "default.toml")
        .read_text("utf-8")
    )


def value_text(value: object) -> str:
    """A parameter value as written in a TOML file.

    >>> value_text(frozenset({"b", "a"})), value_text(date(2026, 9, 1))
    ('["a", "b"]', '2026-09-01')
    """
    data = unstructure(value)
    if isinstance(data, Mapping):
        return "{ " + ", ".join(f"{k} = {value_text(v)}" for k, v in data.items()) + " }"
    if isinstance(data, list | tuple | set | frozenset):
        return "[" + ", ".join(sorted(value_text(v) for v in data)) + "]"
    if isinstance(value, date):
        return str(data)
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


def settings_document(written: WrittenBook, on: date) -> str:
    """The canonical ``iqm-rules/policy-settings@1`` document of :func:`settings` on ``on``:
    each value as a policy document writes it (``policy show --json``)."""
    policy = policy_in_force(written.book, on)
    values = unstructure(policy)
    return canonical_json(
        {
            "format": POLICY_SETTINGS_FORMAT,
            "on": on.isoformat(),
            "policy_id": policy.id,
            "parameters": [
                {"name": s.name, "value": values[s.name], "set_by": s.set_by}
                for s in settings(written, on)
            ],
        }
    )


def differences(a: Policy | PolicyBook, b: Policy | PolicyBook, on: date) -> tuple[str, ...]:
    """The names of the parameters whose values differ between ``a`` and ``b`` on ``on``."""
    left, right = policy_in_force(a, on), policy_in_force(b, on)
    return tuple(name for name in PARAMETERS if left.parameter(name) != right.parameter(name))

"""Policy lint: problems in a policy file before they bite, every one with its path.

:func:`lint` reads the raw document (so it also reports what the loader would refuse, such as a
repeated id) and reports *all* problems, not the first: values the loader refuses, ids or
``effective_from`` dates repeated, parameters that make a rule impossible to pass
(``min_voice_kinds`` above the four voice kinds, ``coe_min_embedded`` above the eight elements),
``coe_required_embedded`` naming more elements than ``coe_min_embedded`` (the minimum then says
less than the rule needs), a renewal window or grace at least as long as a cycle, and a policy that
restates only inherited values. A problem of two parameters together (a grace and a cycle, say) is
reported once, in the first policy that brings it about, at the parameter that policy set.
:func:`lint_history` adds events dated before any policy is in force.

The evidence counts (``min_items_per_element``, ``min_items_per_principle``) and
``flagship_min_cluster_meetings`` can always be met (a school may bring any number of items or
meetings), so no bound of theirs makes a rule impossible.

>>> [str(p) for p in lint('id = "p"\\neffective_from = 2020-01-01\\ngrace_months = 12\\n')]
['grace_months: 12 months is not shorter than the shortest cycle (12 months)']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from attrs import frozen

from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord, written
from iqm_rules.evidence import EvidenceKind
from iqm_rules.history import SchoolHistory, event_date
from iqm_rules.interchange import Source, policy_entries, structure, unstructure
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.policy import DEFAULT_POLICY, Policy
from iqm_rules.principles import Element

__all__ = ["Problem", "lint", "lint_history"]


@frozen
class Problem:
    """One problem: where it is and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _at(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _value(name: str, value: object, where: str) -> tuple[object, Problem | None]:
    """A parameter's value as the loader reads it, or the loader's complaint."""
    data = {"id": "lint", "effective_from": "2000-01-01", name: value}
    try:
        return structure(data, Policy).parameter(name), None
    except InvalidRecord as error:
        return None, Problem(_at(where, error.path or name), error.problem)


_Alternatives = tuple[tuple[str, str], ...]
"""One problem as ``(parameter, message)`` pairs, the first at the parameter the problem is about,
the others at each parameter that, once set, brings it about."""


def _impossible(params: Mapping[str, object]) -> list[_Alternatives]:
    found: list[_Alternatives] = []
    voices = len(EvidenceKind.voices())
    kinds = params["min_voice_kinds"]
    if isinstance(kinds, int) and kinds > voices:
        found.append(
            (
                (
                    "min_voice_kinds",
                    f"{kinds} voice kinds needed but only {voices} exist: EV-3 can never pass",
                ),
            )
        )
    embedded = params["coe_min_embedded"]
    if isinstance(embedded, int) and embedded > len(Element):
        found.append(
            (
                (
                    "coe_min_embedded",
                    f"{embedded} embedded elements needed but only {len(Element)} exist: "
                    "CE-1 can never pass",
                ),
            )
        )
    required = params["coe_required_embedded"]
    if isinstance(required, frozenset) and isinstance(embedded, int) and len(required) > embedded:
        found.append(
            (
                (
                    "coe_required_embedded",
                    f"names {len(required)} elements but coe_min_embedded is {embedded}: "
                    f"CE-1 in fact needs {len(required)}",
                ),
                (
                    "coe_min_embedded",
                    f"{embedded} is below the {len(required)} elements coe_required_embedded "
                    f"names: CE-1 in fact needs {len(required)}",
                ),
            )
        )
    cycles = params["cycle_years"]
    months_of = (
        {f"cycle_years.{a.value}": 12 * y for a, y in cycles.items() if isinstance(a, Award)}
        if isinstance(cycles, Mapping)
        else {}
    )
    shortest = min(months_of.values(), default=12)
    for name in ("renewal_window_months", "grace_months"):
        months = params[name]
        if isinstance(months, int) and months >= shortest:
            found.append(
                (
                    (
                        name,
                        f"{months} months is not shorter than the shortest cycle "
                        f"({shortest} months)",
                    ),
                    *(
                        (key, f"{cycle} months is not longer than {name} ({months} months)")
                        for key, cycle in months_of.items()
                        if cycle <= months
                    ),
                )
            )
    return found


def _changed(previous: Mapping[str, object], stated: Mapping[str, object]) -> set[str]:
    """The parameters a policy sets to a value other than the inherited one; each cycle on its
    own, as ``cycle_years.<award>``."""
    changed = {name for name, value in stated.items() if previous[name] != value}
    old, new = previous["cycle_years"], stated.get("cycle_years")
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        changed.discard("cycle_years")
        changed.update(
            f"cycle_years.{award.value}"
            for award, years in new.items()
            if isinstance(award, Award) and old.get(award) != years
        )
    return changed


def lint(source: Source) -> tuple[Problem, ...]:
    """Every problem of a policy document (one policy or a book, JSON or TOML: ``source`` as
    :func:`~iqm_rules.interchange.load_policy` reads it), each with its path."""
    try:
        raw, prefix = policy_entries(source)
    except InvalidRecord as error:
        return (Problem(error.path, error.problem),)
    found: list[Problem] = []
    ids: dict[object, int] = {}
    starts: dict[object, int] = {}
    dated: list[tuple[date, int]] = []
    for index, item in enumerate(raw):
        where = written((prefix, index)) if prefix else ""
        for key, seen in (("id", ids), ("effective_from", starts)):
            if key not in item:
                found.append(Problem(_at(where, key), "required key missing"))
                continue
            value = item[key]
            if value in seen:
                found.append(
                    Problem(_at(where, key), f"repeats {prefix}[{seen[value]}]'s {key} {value!r}")
                )
            else:
                seen[value] = index
        try:
            dated.append((structure(item.get("effective_from"), date), index))
        except InvalidRecord as error:
            if "effective_from" in item:
                found.append(Problem(_at(where, "effective_from"), error.problem))
        for key in item:
            if key not in PARAMETERS and key not in ("id", "effective_from"):
                found.append(Problem(_at(where, key), "not a policy parameter"))
    previous: dict[str, object] = {n: DEFAULT_POLICY.parameter(n) for n in PARAMETERS}
    for position, (_, index) in enumerate(sorted(dated)):
        item = raw[index]
        where = written((prefix, index)) if prefix else ""
        params = dict(previous)
        stated: dict[str, object] = {}
        for name in PARAMETERS:
            if name not in item:
                continue
            value, problem = _value(name, _merged(name, previous, item[name]), where)
            if problem is not None:
                found.append(problem)
            else:
                params[name] = stated[name] = value
        changed = _changed(previous, stated)
        for alternatives in _impossible(params):
            # A combination is the problem of the policy that brings it about, named at the
            # parameter that policy set; later policies that merely inherit it are not blamed.
            ours = [pair for pair in alternatives if pair[0] in changed]
            if ours or position == 0:
                key, message = (ours or list(alternatives))[0]
                found.append(Problem(_at(where, key), message))
        if position > 0 and stated and all(previous[n] == v for n, v in stated.items()):
            found.append(Problem(where, "restates only inherited values: it changes nothing"))
        previous = params
    return tuple(sorted(found, key=lambda p: _order(p.path)))


def _merged(name: str, previous: Mapping[str, object], value: object) -> object:
    if name == "cycle_years" and isinstance(value, Mapping):
        return {**unstructure(previous[name]), **value}
    return value


def _order(path: str) -> tuple[Any, ...]:
    head, _, rest = path.partition("]")
    if head.startswith("policies["):
        return (int(head[len("policies[") :]), rest)
    return (-1, path)


def lint_history(
    source: Source, histories: Iterable[tuple[str, SchoolHistory]]
) -> tuple[Problem, ...]:
    """Events dated before any policy of ``source`` is in force, named ``where: events[i]``."""
    try:
        raw, _ = policy_entries(source)
        first = min(structure(item.get("effective_from"), date) for item in raw)
    except (InvalidRecord, ValueError):
        return ()
    found: list[Problem] = []
    for where, history in histories:
        for index, event in enumerate(history.events):
            on = event_date(event)
            if on < first:
                found.append(
                    Problem(
                        f"{where}events[{index}]",
                        f"dated {on.isoformat()}, before any policy is in force "
                        f"(the first takes effect on {first.isoformat()})",
                    )
                )
    return tuple(found)

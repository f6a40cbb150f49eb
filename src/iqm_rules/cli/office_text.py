"""The texts of the office: the rules pages, ``policy show`` and ``diff``, the results of
``test``, and the tables of ``upcoming`` and ``register`` across many schools, each a pure
function of what the command computed (see :mod:`~iqm_rules.cli.text`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from iqm_rules._shown import shown
from iqm_rules._terms import Term
from iqm_rules.cli.text import PROG, named, table, when
from iqm_rules.decisions.rules import rules
from iqm_rules.lifecycle.next_steps import long_date
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.lifecycle.rules import lifecycle_rules
from iqm_rules.policy import Policy

if TYPE_CHECKING:  # at run time, the modules of the less used commands load with them
    from iqm_rules.auditing.cases import CaseResult, Coverage
    from iqm_rules.office.policy_files import Setting
    from iqm_rules.office.rows import Due, Holding

__all__ = [
    "LIFECYCLE_LEVEL",
    "case_results_text",
    "policy_diff_text",
    "policy_settings_text",
    "register_text",
    "rules_markdown",
    "rules_text",
    "upcoming_text",
]


def _value(value: object) -> str:
    """A policy parameter's value, as JSON words: ``inclusive_school 3, ...``."""
    if isinstance(value, Term):
        return value.value
    if isinstance(value, Mapping):
        return ", ".join(f"{_value(k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, frozenset | set | tuple):
        return ", ".join(sorted(_value(member) for member in value)) or "none"
    return str(value)


def _parameters(names: Sequence[str], policy: Policy, code: str = "") -> str:
    """``name = value; ...`` of ``names`` under ``policy`` (names in ``code`` marks)."""
    return "; ".join(f"{code}{p}{code} = {_value(policy.parameter(p))}" for p in names)


LIFECYCLE_LEVEL = "status over time"
"""What the level column says of the lifecycle rules of §4 (they apply to every level)."""


def rules_text(policy: Policy) -> str:
    """``rules``: every rule of §3 then of §4: id, level, title and parameter values."""
    lines = [f"Rules under policy {shown(policy.id)}", ""]
    rows = [["rule", "level", "title", "parameters"]]
    for entry in rules():
        rows.append(
            [entry.id, entry.level.value, entry.title, _parameters(entry.parameters, policy) or "-"]
        )
    for cycle in lifecycle_rules():
        rows.append(
            [cycle.id, LIFECYCLE_LEVEL, cycle.title, _parameters(cycle.parameters, policy) or "-"]
        )
    lines += table(rows)
    return "\n".join(lines) + "\n"


def rules_markdown(policy: Policy) -> str:
    """The rulebook page ``docs/rules.md``: generated from the registry, never written twice."""
    shown_id = shown(policy.id)
    lines = [
        "# The rules",
        "",
        f"Generated from the rule registry by `{PROG} rules --markdown`; do not edit by hand.",
        f"Parameter values are those of policy `{shown_id}` (RULEBOOK §2).",
        "",
        "| rule | level | title | parameters |",
        "| --- | --- | --- | --- |",
    ]
    for entry in rules():
        params = _parameters(entry.parameters, policy, "`")
        lines.append(f"| {entry.id} | {entry.level.value} | {entry.title} | {params or '—'} |")
    for cycle in lifecycle_rules():
        params = _parameters(cycle.parameters, policy, "`")
        lines.append(f"| {cycle.id} | {LIFECYCLE_LEVEL} | {cycle.title} | {params or '—'} |")
    for entry in rules():
        lines += [
            "",
            f"## {entry.id}: {entry.title}",
            "",
            f"- **Level:** {entry.level.value}",
            f"- **Passes when:** {entry.text}",
        ]
        if entry.parameters:
            lines.append("- **Parameters:**")
            lines += [
                f"  - `{p}` = {_value(policy.parameter(p))}: {PARAMETERS[p].description}"
                for p in entry.parameters
            ]
        lines.append(f"- **Source:** {entry.source}")
    for cycle in lifecycle_rules():
        lines += ["", f"## {cycle.id}: {cycle.title}", "", f"- **What happens:** {cycle.text}"]
        if cycle.parameters:
            lines.append("- **Parameters:**")
            lines += [
                f"  - `{p}` = {_value(policy.parameter(p))}: {PARAMETERS[p].description}"
                for p in cycle.parameters
            ]
        lines.append("- **Source:** RULEBOOK §4")
    lines += [
        "",
        "## Policy parameters",
        "",
        f"| parameter | value in `{shown_id}` | meaning | used by |",
        "| --- | --- | --- | --- |",
    ]
    for name, parameter in PARAMETERS.items():
        lines.append(
            f"| `{name}` | {_value(policy.parameter(name))} | {parameter.description} "
            f"| {', '.join(parameter.used_by)} |"
        )
    return "\n".join(lines)


def policy_settings_text(on: date, rows: Sequence[Setting]) -> str:
    """``policy show``: the policy in force on ``on``, each parameter and where it comes from."""
    width = max(len(row.name) for row in rows)
    lines = [f"in force on {on.isoformat()}: {shown(rows[0].in_force)}"]
    for row in rows:
        if row.set_by is None:
            how = "default"
        elif row.set_by == row.in_force:
            how = "set here"
        else:
            how = f"inherited from {row.set_by}"
        lines.append(shown(f"  {row.name.ljust(width)} = {_policy_value(row.value)}  ({how})"))
    return "\n".join(lines)


def policy_diff_text(on: date, left: Policy, right: Policy) -> str:
    """``policy diff``: each parameter whose value differs on ``on``, ``name: left -> right``."""
    from iqm_rules.office.policy_files import differences  # loaded with the policy commands only

    names = differences(left, right, on)
    if not names:
        return shown(f"no parameter differs on {on.isoformat()} ({left.id}, {right.id})")
    return "\n".join(
        shown(f"{name}: {_policy_value(left.parameter(name))} -> ")
        + shown(_policy_value(right.parameter(name)))
        for name in names
    )


def _policy_value(value: object) -> str:
    """A parameter value as a policy file writes it."""
    from iqm_rules.office.policy_files import value_text  # loaded with the policy commands only

    return value_text(value)


def case_results_text(results: Sequence[CaseResult], seen: Coverage | None) -> str:
    """``test``: each mismatch, the coverage if asked for, and ``N passed, M failed`` last."""
    lines = [
        shown(f"FAIL {result.name}: {mismatch}")
        for result in results
        for mismatch in result.mismatches
    ]
    if seen is not None:
        for label, have, never in (
            ("rules passing", seen.passing, seen.never_passing),
            ("rules failing", seen.failing, seen.never_failing),
            ("outcomes", _values(seen.outcomes), _values(seen.never_outcomes)),
            ("award states", _values(seen.states), _values(seen.never_states)),
            ("changes", _values(seen.changes), _values(seen.never_changes)),
        ):
            lines.append(f"{label}: {', '.join(have) or '-'}; never: {', '.join(never) or '-'}")
    failed = sum(not result.passed for result in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines)


def _values(terms: Sequence[Term]) -> list[str]:
    return [term.value for term in terms]


# --- upcoming, register --------------------------------------------------------------------------


def upcoming_text(rows: Sequence[Due], as_of: date, within: int, schools: int) -> str:
    """``upcoming``: every date ahead across the schools read, soonest first."""
    until = as_of + timedelta(days=within)
    lines = [
        f"Upcoming from {long_date(as_of)} to {long_date(until)} ({within} days): "
        f"{len(rows)} {'date' if len(rows) == 1 else 'dates'} "
        f"across {schools} {'school' if schools == 1 else 'schools'} read",
    ]
    if not rows:
        return "\n".join([*lines, "  nothing falls due, opens or lapses"])
    grid = [["date", "days left", "school", "award", "what happens"]]
    grid += [
        [
            long_date(row.on),
            str(row.days_left),
            named(row.school_id, row.school_name),
            row.award.title,
            row.happens(),
        ]
        for row in rows
    ]
    return "\n".join(lines + table(grid))


def register_text(rows: Sequence[Holding], as_of: date, schools: int) -> str:
    """``register``: one line per school and award held on ``as_of``."""
    holding = len({row.school_id for row in rows})
    lines = [
        f"Register on {long_date(as_of)}: {holding} of {schools} "
        f"{'school' if schools == 1 else 'schools'} read hold an award",
    ]
    if not rows:
        return "\n".join([*lines, "  no award is held"])
    grid = [["school", "award", "state", "since", "due", "lapses on"]]
    grid += [
        [
            named(row.school_id, row.school_name),
            row.award.title,
            row.state.title,
            when(row.since),
            when(row.due),
            when(row.lapses_on),
        ]
        for row in rows
    ]
    return "\n".join(lines + table(grid))

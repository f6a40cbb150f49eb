"""The texts of the office: the rules pages, ``policy show`` and ``diff``, the results of
``test``, and the tables of ``upcoming`` and ``register`` across many schools, each a pure
function of what the command computed (see :mod:`~iqm_rules.cli.text`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from iqm_rules._shown import shown
from iqm_rules._terms import Term
from iqm_rules.cli.text import PROG, named, table, when, wrapped
from iqm_rules.decisions.rules import rules
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.lifecycle.rules import lifecycle_rules
from iqm_rules.office.said import rule_title
from iqm_rules.policy import Policy
from iqm_rules.words import ENGLISH, Words

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


def rules_text(policy: Policy, words: Words = ENGLISH) -> str:
    """``rules``: every rule of §3 then of §4: id, level and title, then the parameters it
    reads and their values under ``policy`` (by their names in a policy file)."""
    lines = [words.gettext("Rules under policy %(policy)s", policy=shown(policy.id))]
    for entry in rules():
        lines += [
            "",
            wrapped(
                words.gettext(
                    "%(rule)s  %(level)s: %(title)s",
                    rule=entry.id,
                    level=words.title(entry.level),
                    title=rule_title(words, entry.id),
                ),
                "",
                "      ",
            ),
        ]
        if entry.parameters:
            lines.append(wrapped(_parameters(entry.parameters, policy), "      ", "      "))
    for cycle in lifecycle_rules():
        lines += [
            "",
            wrapped(
                words.gettext(
                    "%(rule)s  status over time: %(title)s",
                    rule=cycle.id,
                    title=rule_title(words, cycle.id),
                ),
                "",
                "      ",
            ),
        ]
        if cycle.parameters:
            lines.append(wrapped(_parameters(cycle.parameters, policy), "      ", "      "))
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


def policy_settings_text(on: date, rows: Sequence[Setting], words: Words = ENGLISH) -> str:
    """``policy show``: the policy in force on ``on``, each parameter and where it comes from."""
    width = max(len(row.name) for row in rows)
    lines = [
        words.gettext(
            "in force on %(day)s: %(policy)s", day=words.date(on), policy=shown(rows[0].in_force)
        )
    ]
    for row in rows:
        if row.set_by is None:
            how = words.gettext("default")
        elif row.set_by == row.in_force:
            how = words.gettext("set here")
        else:
            how = words.gettext("inherited from %(policy)s", policy=row.set_by)
        lines.append(shown(f"  {row.name.ljust(width)} = {_policy_value(row.value)}  ({how})"))
    return "\n".join(lines)


def policy_diff_text(on: date, left: Policy, right: Policy, words: Words = ENGLISH) -> str:
    """``policy diff``: each parameter whose value differs on ``on``, ``name: left -> right``."""
    from iqm_rules.office.policy_files import differences  # loaded with the policy commands only

    names = differences(left, right, on)
    if not names:
        return shown(
            words.gettext(
                "no parameter differs on %(day)s (%(left)s, %(right)s)",
                day=words.date(on),
                left=left.id,
                right=right.id,
            )
        )
    return "\n".join(
        shown(f"{name}: {_policy_value(left.parameter(name))} -> ")
        + shown(_policy_value(right.parameter(name)))
        for name in names
    )


def _policy_value(value: object) -> str:
    """A parameter value as a policy file writes it."""
    from iqm_rules.office.policy_files import value_text  # loaded with the policy commands only

    return value_text(value)


def case_results_text(
    results: Sequence[CaseResult], seen: Coverage | None, words: Words = ENGLISH
) -> str:
    """``test``: each mismatch, the coverage if asked for, and ``N passed, M failed`` last."""
    lines = [
        shown(words.gettext("FAIL %(case)s: %(mismatch)s", case=result.name, mismatch=mismatch))
        for result in results
        for mismatch in result.mismatches
    ]
    if seen is not None:
        for label, have, never in (
            (words.gettext("rules passing"), seen.passing, seen.never_passing),
            (words.gettext("rules failing"), seen.failing, seen.never_failing),
            (
                words.gettext("outcomes"),
                _titles(words, seen.outcomes),
                _titles(words, seen.never_outcomes),
            ),
            (
                words.gettext("award states"),
                _titles(words, seen.states),
                _titles(words, seen.never_states),
            ),
            (
                words.gettext("changes"),
                _titles(words, seen.changes),
                _titles(words, seen.never_changes),
            ),
        ):
            lines.append(
                wrapped(
                    words.gettext(
                        "%(label)s: %(seen)s; never: %(never)s",
                        label=label,
                        seen=" | ".join(have) or "-",
                        never=" | ".join(never) or "-",
                    ),
                    "",
                    "    ",
                )
            )
    failed = sum(not result.passed for result in results)
    lines.append(
        words.gettext(
            "%(passed)s passed, %(failed)s failed", passed=len(results) - failed, failed=failed
        )
    )
    return "\n".join(lines)


def _titles(words: Words, terms: Sequence[Term]) -> list[str]:
    return [words.title(term) for term in terms]


# --- upcoming, register --------------------------------------------------------------------------


def _happens(words: Words, row: Due) -> str:
    """What happens on a row's date, in plain words."""
    if row.what == "window_opens":
        said = words.gettext("renewal window opens")
    elif row.what == "reassessment_due":
        said = words.gettext("reassessment due")
    elif row.what == "annual_review_due":
        said = words.gettext("annual review due")
    else:
        said = words.gettext("lapses if not renewed")
    if row.also_ends:
        said = words.gettext(
            "%(what)s, and %(awards)s with it", what=said, awards=words.titles(row.also_ends)
        )
    return said


def upcoming_text(
    rows: Sequence[Due], as_of: date, within: int, schools: int, words: Words = ENGLISH
) -> str:
    """``upcoming``: every date ahead across the schools read, soonest first."""
    until = as_of + timedelta(days=within)
    dates = words.ngettext("%(n)s date", "%(n)s dates", len(rows))
    read = words.ngettext("%(n)s school read", "%(n)s schools read", schools)
    lines = [
        wrapped(
            words.gettext(
                "Upcoming from %(start)s to %(end)s (%(days)s days): %(dates)s across %(schools)s",
                start=words.date(as_of),
                end=words.date(until),
                days=within,
                dates=dates,
                schools=read,
            ),
            "",
            "  ",
        )
    ]
    if not rows:
        return "\n".join([*lines, "  " + words.gettext("nothing falls due, opens or lapses")])
    grid = [
        [
            words.gettext("date"),
            words.gettext("days left"),
            words.gettext("school"),
            words.gettext("award"),
            words.gettext("what happens"),
        ]
    ]
    grid += [
        [
            words.date(row.on),
            str(row.days_left),
            named(row.school_id, row.school_name),
            words.title(row.award),
            _happens(words, row),
        ]
        for row in rows
    ]
    return "\n".join(lines + table(grid))


def register_text(
    rows: Sequence[Holding], as_of: date, schools: int, words: Words = ENGLISH
) -> str:
    """``register``: one line per school and award held on ``as_of``."""
    holding = len({row.school_id for row in rows})
    lines = [
        wrapped(
            words.ngettext(
                "Register on %(day)s: %(holding)s of %(n)s school read holds an award",
                "Register on %(day)s: %(holding)s of %(n)s schools read hold an award",
                schools,
                day=words.date(as_of),
                holding=holding,
            ),
            "",
            "  ",
        )
    ]
    if not rows:
        return "\n".join([*lines, "  " + words.gettext("no award is held")])
    grid = [
        [
            words.gettext("school"),
            words.gettext("award"),
            words.gettext("state"),
            words.gettext("since"),
            words.gettext("due"),
            words.gettext("lapses on"),
        ]
    ]
    grid += [
        [
            named(row.school_id, row.school_name),
            words.title(row.award),
            words.title(row.state),
            when(row.since, words),
            when(row.due, words),
            when(row.lapses_on, words),
        ]
        for row in rows
    ]
    return "\n".join(lines + table(grid))

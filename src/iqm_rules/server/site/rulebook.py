"""``/app/rulebook``: every rule of RULEBOOK §3 and §4, the parameters each reads and their
values in force on a date under a policy book, and one parameter's history across the book.

The rules come from their registries (:func:`~iqm_rules.decisions.rules.rules`,
:func:`~iqm_rules.lifecycle.rules.lifecycle_rules`), the parameters from
:data:`~iqm_rules.lifecycle.parameters.PARAMETERS`, so the page cannot drift from the code.
"""

from __future__ import annotations

from datetime import date

from attrs import frozen

from iqm_rules.decisions.rules import rules
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.lifecycle.rules import lifecycle_rules
from iqm_rules.office.policy_files import value_text
from iqm_rules.policy import Policy, PolicyBook, policy_in_force
from iqm_rules.words import words

__all__ = ["Row", "Shown", "Step", "shown"]


@frozen
class Row:
    """One rule: id, title, its text, whether it needs judgement and each parameter it reads
    with its value in force."""

    id: str
    title: str
    text: str
    judgement: bool
    reads: tuple[tuple[str, str], ...]


@frozen
class Step:
    """One policy of the book and the value it gives the chosen parameter; ``x``/``width`` place
    it on the history's bar chart (SVG units), ``changed`` whether it differs from the last."""

    policy: str
    since: str
    value: str
    changed: bool
    x: float
    width: float


@frozen
class Shown:
    """Everything the rulebook page shows."""

    policy_id: str
    decisions: tuple[Row, ...]
    lifecycle: tuple[Row, ...]
    parameter: str
    meaning: str
    history: tuple[Step, ...]


def _policies(book: Policy | PolicyBook) -> tuple[Policy, ...]:
    return (book,) if isinstance(book, Policy) else book.policies


def shown(book: Policy | PolicyBook, on: date, parameter: str, language: str) -> Shown:
    """The page for ``on`` under ``book``, with the history of ``parameter`` (the first
    parameter if that names none)."""
    w = words(language)
    policy = policy_in_force(book, on)

    def reads(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        return tuple((name, value_text(policy.parameter(name))) for name in names)

    decisions = tuple(
        Row(r.id, w.pgettext("rule", r.title), r.text, r.needs_judgement, reads(r.parameters))
        for r in rules()
    )
    lifecycle = tuple(
        Row(r.id, w.pgettext("rule", r.title), r.text, False, reads(r.parameters))
        for r in lifecycle_rules()
    )
    if parameter not in PARAMETERS:
        parameter = next(iter(PARAMETERS))
    policies = _policies(book)
    width = 600 / len(policies)
    steps: list[Step] = []
    for index, each in enumerate(policies):
        value = value_text(each.parameter(parameter))
        since = "" if each.effective_from == date.min else each.effective_from.isoformat()
        changed = index == 0 or value != steps[-1].value
        steps.append(Step(each.id, since, value, changed, round(index * width, 1), width))
    return Shown(
        policy.id,
        decisions,
        lifecycle,
        parameter,
        PARAMETERS[parameter].description,
        tuple(steps),
    )


PARAMETER_NAMES = tuple(PARAMETERS)
"""Every parameter's name, for the page's choice of one."""

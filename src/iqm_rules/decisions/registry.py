"""What a rule of RULEBOOK §3 is: its id, level, title, the parameters it reads, its source and
its check; the decorator that registers each rule of :mod:`iqm_rules.decisions.rules`.

A rule is a small pure function of one :class:`~iqm_rules.decisions.facts.RuleInput` that
returns a :class:`Verdict`. The :func:`registered` decorator written directly above it gives its
metadata, so a rule's metadata, text and formula stand together.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from attrs import frozen

from iqm_rules.awards import Award
from iqm_rules.decisions.facts import RuleInput
from iqm_rules.decisions.shortfalls import Missing

__all__ = ["Check", "Rule", "Verdict", "registered"]


@frozen
class Verdict:
    """What one rule says: ``passed``, a ``message`` for people and, if failed, ``missing``."""

    passed: bool
    message: str
    missing: Missing | None = None


Check = Callable[[RuleInput], Verdict]


@frozen
class Rule:
    """One rule of RULEBOOK §3: its id, level, title, parameters read, source, text and check.

    ``text`` is the RULEBOOK row, taken from the first paragraph of ``check``'s docstring so that
    it is written once. ``needs_judgement`` marks the rules that read the assessors' judgements.
    """

    id: str
    level: Award
    title: str
    parameters: tuple[str, ...]
    source: str
    needs_judgement: bool
    check: Check

    @property
    def text(self) -> str:
        """The RULEBOOK row this rule implements, as quoted in its function's docstring."""
        return (inspect.getdoc(self.check) or "").split("\n\n")[0].replace("\n", " ")

    def __call__(self, facts: RuleInput) -> Verdict:
        return self.check(facts)


_REGISTERED: list[Rule] = []
"""Filled once, in rulebook order, by :func:`registered` as :mod:`iqm_rules.decisions.rules`
is imported."""


def registered(
    *,
    id: str,
    level: Award,
    title: str,
    parameters: tuple[str, ...],
    needs_judgement: bool,
    source: str,
) -> Callable[[Check], Check]:
    """Register the decorated function as the rule ``id``; the function itself is unchanged.

    The registry holds the function as it is, so running a rule costs one direct call.
    """

    def register(check: Check) -> Check:
        if any(entry.id == id for entry in _REGISTERED):
            raise ValueError(f"rule {id} is registered twice")
        _REGISTERED.append(
            Rule(
                id=id,
                level=level,
                title=title,
                parameters=parameters,
                source=source,
                needs_judgement=needs_judgement,
                check=check,
            )
        )
        return check

    return register

"""The decision on one assessment: outcome, awarded level and every rule's finding (RULEBOOK §3)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._terms import Term
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord

__all__ = ["Decision", "Finding", "Outcome", "Prior"]


class Outcome(Term):
    """How a decision compares with the level sought."""

    GRANTED = ("granted", "Granted: the level sought was awarded")
    GRANTED_LOWER = ("granted_lower", "Granted lower: a lower level was awarded")
    REFUSED = ("refused", "Refused: nothing was awarded")


@frozen
class Prior:
    """What the rules need to know of the school just before an assessment (§7.1).

    ``held`` is the set of award levels held then; ``coe_since`` is the ``since`` of the
    Centre of Excellence continuity, given exactly when centre_of_excellence is held.
    """

    held: frozenset[Award] = field(
        default=frozenset(), converter=v.frozen_set, validator=v.set_of_terms(Award)
    )
    coe_since: date | None = field(default=None, validator=v.an_optional_date)

    @held.validator
    def _check_ladder(self, attribute: attrs.Attribute[Any], value: frozenset[Award]) -> None:
        for award in value:
            below = award.below
            if below is not None and below not in value:
                raise InvalidRecord(
                    attribute.name, f"holding {award} needs {below} held too (LC-4)"
                )

    @coe_since.validator
    def _check_coe_since(self, attribute: attrs.Attribute[Any], value: date | None) -> None:
        holds_coe = Award.CENTRE_OF_EXCELLENCE in self.held
        if holds_coe and value is None:
            raise InvalidRecord(attribute.name, "is needed while centre_of_excellence is held")
        if not holds_coe and value is not None:
            raise InvalidRecord(
                attribute.name, "must be None while centre_of_excellence is not held (§7.6)"
            )

    @property
    def level(self) -> Award | None:
        """The highest level held, or ``None``."""
        return max(self.held, default=None)


@frozen
class Finding:
    """One rule's verdict on one assessment, with a message naming what was counted."""

    rule: str
    level: Award
    passed: bool
    message: str


@frozen
class Decision:
    """The outcome of one assessment and everything behind it.

    ``findings`` holds one finding per rule of every level up to ``level_sought``, in rulebook
    order; ``ignored_evidence`` the ids of evidence that was not recent.
    """

    assessment_id: str
    held_on: date
    level_sought: Award
    awarded_level: Award | None
    outcome: Outcome
    policy_id: str
    findings: tuple[Finding, ...] = field(converter=tuple)
    ignored_evidence: tuple[str, ...] = field(converter=tuple)

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings that did not pass."""
        return tuple(f for f in self.findings if not f.passed)

    def finding(self, rule_id: str) -> Finding:
        """The finding of rule ``rule_id``; ``KeyError`` if that rule was not reached."""
        for f in self.findings:
            if f.rule == rule_id:
                return f
        raise KeyError(rule_id)

"""What a rule may read: the facts of one assessment, what was held before it, and the policy.

The rules of :mod:`iqm_rules.decisions.rules` are functions of one :class:`RuleInput`;
:func:`decide <iqm_rules.decisions.decision.decide>` and
:func:`readiness <iqm_rules.decisions.readiness.readiness>` build it.
This module sits below both, so that neither the rules nor the decision import the other's
types. :func:`recent_evidence` applies the window of RULEBOOK §3 that every rule counts in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._dates import add_months
from iqm_rules.assessment import Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem
from iqm_rules.policy import Policy
from iqm_rules.principles import Element

__all__ = ["Prior", "RuleInput", "is_recent", "recent_evidence", "window_opens"]


@frozen
class Prior:
    """What the rules need to know of the school just before an assessment (§7.1).

    ``held`` is the set of award levels held then; ``coe_since`` is the ``since`` of the
    Centre of Excellence continuity, given exactly when centre_of_excellence is held.
    """

    held: frozenset[Award] = field(
        default=frozenset(), converter=v.frozen_set, validator=v.set_of_terms(Award)
    )
    coe_since: date | None = field(default=None, validator=attrs.validators.optional(v.a_date))

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


def _read_only(judgements: Mapping[Element, Judgement]) -> Mapping[Element, Judgement]:
    if isinstance(judgements, MappingProxyType):
        return judgements
    return MappingProxyType(dict(judgements))


@frozen
class RuleInput:
    """Everything a rule may read: the assessment's facts, its recent evidence, prior and policy.

    ``recent_evidence`` holds only the recent items (:func:`recent_evidence`). ``judgements`` is
    empty when nothing has been judged yet (:mod:`iqm_rules.decisions.readiness`); only the rules
    that need judgement read it.
    """

    held_on: date
    recent_evidence: tuple[EvidenceItem, ...]
    commitments: frozenset[Commitment]
    cluster_meetings_attended: int
    prior: Prior
    policy: Policy
    judgements: Mapping[Element, Judgement] = field(
        default=MappingProxyType({}), converter=_read_only
    )


def window_opens(held_on: date, policy: Policy) -> date:
    """The first day on which evidence is recent: ``held_on - evidence_window_months`` (§7.7).

    >>> from iqm_rules.policy import DEFAULT_POLICY
    >>> window_opens(date(2024, 3, 10), DEFAULT_POLICY)
    datetime.date(2022, 9, 10)
    >>> window_opens(date(2024, 8, 31), Policy(evidence_window_months=6))
    datetime.date(2024, 2, 29)
    """
    return add_months(held_on, -policy.evidence_window_months, "recency window", "held_on")


def is_recent(item: EvidenceItem, held_on: date, policy: Policy) -> bool:
    """``held_on - evidence_window_months ≤ collected_on ≤ held_on``, computed in that order.

    >>> from iqm_rules.evidence import EvidenceKind
    >>> from iqm_rules.policy import DEFAULT_POLICY
    >>> from iqm_rules.principles import Principle
    >>> day = date(2024, 3, 10)
    >>> def item(on: date) -> EvidenceItem:
    ...     return EvidenceItem("E", Element.ASSESSMENT, {Principle.RAISING_ACHIEVEMENT},
    ...                         EvidenceKind.DATA, on)
    >>> is_recent(item(date(2022, 9, 10)), day, DEFAULT_POLICY)
    True
    >>> is_recent(item(date(2022, 9, 9)), day, DEFAULT_POLICY)
    False
    """
    return window_opens(held_on, policy) <= item.collected_on <= held_on


def recent_evidence(
    evidence: Iterable[EvidenceItem], held_on: date, policy: Policy
) -> tuple[tuple[EvidenceItem, ...], tuple[str, ...]]:
    """The recent items, and the ids of the others (both in input order)."""
    opens = window_opens(held_on, policy)
    recent: list[EvidenceItem] = []
    ignored: list[str] = []
    for item in evidence:
        if opens <= item.collected_on <= held_on:
            recent.append(item)
        else:
            ignored.append(item.id)
    return tuple(recent), tuple(ignored)

"""Policy parameters: dated data that the rules read, never constants in code (RULEBOOK §2).

A :class:`Policy` holds every parameter with an ``id`` and the date it takes effect. A
:class:`PolicyBook` holds several; the one in force on a date is the one with the latest
``effective_from`` not after it (LC-8). A lone ``Policy`` passed where a book is accepted applies
on every date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._terms import Term
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidPolicy, InvalidRecord, written
from iqm_rules.principles import Element

__all__ = [
    "DEFAULT_POLICY",
    "FlagshipBoundary",
    "Policy",
    "PolicyBook",
    "policy_in_force",
]


class FlagshipBoundary(Term):
    """How FS-4 compares ``coe_since + flagship_min_coe_years`` with ``held_on``."""

    AT_LEAST = ("at_least", "At least the minimum years (the published criteria)")
    MORE_THAN = ("more_than", "More than the minimum years (the framework page)")


def _about(description: str, allowed: str) -> dict[str, str]:
    """A policy field's metadata: what it means and what values it allows (RULEBOOK §2).

    Which rules read it is not written here but derived from the rules that declare they read
    it (:data:`iqm_rules.lifecycle.parameters.PARAMETERS`).
    """
    return {"description": description, "allowed": allowed}


_COUNTS = 1_000
"""The largest count a policy may set (RULEBOOK §2 bounds)."""
_MONTHS = 1_200
"""The most months a policy may set."""
_YEARS = 100
"""The most years a policy may set."""


def _cycle_years(value: object) -> object:
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return value


def _check_cycle_years(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise InvalidPolicy(attribute.name, "must map each award to a whole number of years")
    for award in Award:
        if award not in value:
            raise InvalidPolicy(attribute.name, f"needs a cycle for every award; missing {award}")
    for award, years in value.items():
        if not isinstance(award, Award):
            raise InvalidPolicy(
                attribute.name, f"keys must be awards ({Award.allowed()}), got {award!r}"
            )
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= _YEARS:
            raise InvalidPolicy(
                f"{attribute.name}.{award.value}",
                f"must be a whole number from 1 to {_YEARS}, got {years!r}",
            )


def _policy(check: v.Validator) -> v.Validator:
    """The same check, raising :class:`InvalidPolicy`."""

    def wrapped(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        try:
            check(instance, attribute, value)
        except InvalidRecord as error:
            raise InvalidPolicy(error.path, error.problem) from None

    return wrapped


@frozen
class Policy:
    """Every policy parameter of RULEBOOK §2, with its defaults, an id and an effective date."""

    id: str = field(default="iqm-2025.1", validator=_policy(v.non_empty_text))
    effective_from: date = field(default=date.min, validator=_policy(v.a_date))
    evidence_window_months: int = field(
        default=18,
        validator=_policy(v.count(0, _MONTHS)),
        metadata=_about(
            "Months before held_on in which evidence counts as recent",
            "months, a whole number 0 to 1,200",
        ),
    )
    min_items_per_element: int = field(
        default=2,
        validator=_policy(v.count(0, _COUNTS)),
        metadata=_about(
            "Recent evidence items needed per element", "items, a whole number 0 to 1,000"
        ),
    )
    min_items_per_principle: int = field(
        default=2,
        validator=_policy(v.count(0, _COUNTS)),
        metadata=_about(
            "Recent evidence items needed per principle", "items, a whole number 0 to 1,000"
        ),
    )
    min_voice_kinds: int = field(
        default=3,
        validator=_policy(v.count(0, 4)),
        metadata=_about(
            "Distinct voice kinds needed in recent evidence", "voice kinds, a whole number 0 to 4"
        ),
    )
    coe_min_embedded: int = field(
        default=4,
        validator=_policy(v.count(0, 8)),
        metadata=_about("Elements that must be judged embedded", "elements, a whole number 0 to 8"),
    )
    coe_required_embedded: frozenset[Element] = field(
        default=frozenset({Element.INCLUSION_VALUES}),
        converter=v.frozen_set,
        validator=_policy(v.set_of_terms(Element)),
        metadata=_about("Elements that must be among the embedded", "a set of elements"),
    )
    flagship_min_cluster_meetings: int = field(
        default=2,
        validator=_policy(v.count(0, _COUNTS)),
        metadata=_about(
            "Cluster meetings attended in the 12 months up to held_on",
            "meetings, a whole number 0 to 1,000",
        ),
    )
    flagship_min_coe_years: int = field(
        default=3,
        validator=_policy(v.count(0, _YEARS)),
        metadata=_about(
            "Years of Centre of Excellence without a break before Flagship",
            "years, a whole number 0 to 100",
        ),
    )
    flagship_boundary: FlagshipBoundary = field(
        default=FlagshipBoundary.AT_LEAST,
        validator=_policy(v.term(FlagshipBoundary)),
        metadata=_about(
            "at_least: coe_since + years <= held_on; more_than: <", FlagshipBoundary.allowed()
        ),
    )
    cycle_years: Mapping[Award, int] = field(
        default=MappingProxyType(
            {Award.INCLUSIVE_SCHOOL: 3, Award.CENTRE_OF_EXCELLENCE: 1, Award.FLAGSHIP: 1}
        ),
        converter=_cycle_years,
        validator=_check_cycle_years,
        metadata=_about(
            "Years from one due date to the next, per award",
            "years per award, a whole number 1 to 100 for each",
        ),
    )
    renewal_window_months: int = field(
        default=6,
        validator=_policy(v.count(0, _MONTHS)),
        metadata=_about(
            "Months before due in which a renewal keeps the cycle anchored",
            "months, a whole number 0 to 1,200",
        ),
    )
    grace_months: int = field(
        default=3,
        validator=_policy(v.count(0, _MONTHS)),
        metadata=_about(
            "Months after due before an award lapses", "months, a whole number 0 to 1,200"
        ),
    )

    def parameter(self, name: str) -> object:
        """The value of the parameter called ``name``: a field of RULEBOOK §2 (not ``id``)."""
        if name not in _PARAMETER_NAMES:
            raise KeyError(name)
        value: object = getattr(self, name)
        return value

    def cycle(self, award: Award) -> int:
        """Years from one due date of ``award`` to the next."""
        return self.cycle_years[award]


_PARAMETER_NAMES = frozenset(
    field.name for field in attrs.fields(Policy) if "description" in field.metadata
)

DEFAULT_POLICY = Policy()
"""The defaults of policy ``iqm-2025.1``, in force on every date."""


@frozen
class PolicyBook:
    """Several dated policies; :meth:`in_force` picks the one for a date."""

    policies: tuple[Policy, ...] = field(converter=v.a_tuple)

    @policies.validator
    def _check_policies(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or not value:
            raise InvalidPolicy(attribute.name, "must hold at least one Policy")
        ids: set[str] = set()
        starts: set[date] = set()
        for index, policy in enumerate(value):
            where = written((attribute.name, index))
            if not isinstance(policy, Policy):
                raise InvalidPolicy(where, f"must be a Policy, got {policy!r}")
            if policy.id in ids:
                raise InvalidPolicy(f"{where}.id", f"duplicate policy id {policy.id!r}")
            if policy.effective_from in starts:
                raise InvalidPolicy(
                    f"{where}.effective_from",
                    f"another policy already takes effect on {policy.effective_from.isoformat()}",
                )
            ids.add(policy.id)
            starts.add(policy.effective_from)

    def in_force(self, day: date) -> Policy:
        """The policy with the latest ``effective_from`` not after ``day``."""
        candidates = [p for p in self.policies if p.effective_from <= day]
        if not candidates:
            earliest = min(p.effective_from for p in self.policies)
            raise InvalidPolicy(
                "effective_from",
                f"no policy is in force on {day.isoformat()}; "
                f"the earliest takes effect on {earliest.isoformat()}",
            )
        return max(candidates, key=lambda p: p.effective_from)


def policy_in_force(policy: Policy | PolicyBook, day: date) -> Policy:
    """The policy that decides an event on ``day``: a lone ``Policy`` applies on every date."""
    if isinstance(policy, Policy):
        return policy
    return policy.in_force(day)

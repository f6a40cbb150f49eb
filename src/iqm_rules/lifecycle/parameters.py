"""Which rules read each policy parameter of RULEBOOK §2, derived from the two registries.

Each rule of §3 (:mod:`iqm_rules.decisions.rules`) and of §4 (:mod:`iqm_rules.lifecycle.rules`)
declares the parameters it reads; :data:`PARAMETERS` turns that round: for each parameter, what
it means, what values it allows (from the :class:`~iqm_rules.policy.Policy` field's metadata)
and which rules read it.

>>> used_by("grace_months")
('LC-4', 'LC-5')
>>> used_by("flagship_boundary")
('FS-4', 'LC-7')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs
from attrs import frozen

from iqm_rules.decisions.rules import rules
from iqm_rules.lifecycle.rules import lifecycle_rules
from iqm_rules.policy import Policy

__all__ = ["PARAMETERS", "Parameter", "used_by"]


def used_by(name: str) -> tuple[str, ...]:
    """The ids of the rules (§3, then §4) that read the policy parameter ``name``."""
    readers = [entry.id for entry in rules() if name in entry.parameters]
    return (*readers, *(entry.id for entry in lifecycle_rules() if name in entry.parameters))


@frozen
class Parameter:
    """What a policy parameter means, what values it allows, and which rules read it.

    ``description`` and ``allowed`` come from the :class:`~iqm_rules.policy.Policy` field's
    metadata; ``used_by`` from the rules that declare they read it.
    """

    name: str
    description: str
    allowed: str
    used_by: tuple[str, ...]


PARAMETERS: Mapping[str, Parameter] = MappingProxyType(
    {
        field.name: Parameter(
            name=field.name,
            description=field.metadata["description"],
            allowed=field.metadata["allowed"],
            used_by=used_by(field.name),
        )
        for field in attrs.fields(Policy)
        if "description" in field.metadata
    }
)
"""Every policy parameter of RULEBOOK §2, in :class:`~iqm_rules.policy.Policy` order."""

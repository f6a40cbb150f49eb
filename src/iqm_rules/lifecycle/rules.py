"""The eight rules of RULEBOOK §4, one registry: find any lifecycle rule here by its id.

Each :class:`LifecycleRule` carries its id, a title, the §4 row word for word and the policy
parameters it reads. The functions that carry a rule out say so with
:func:`~iqm_rules._registry.carries_out` written above them (in :mod:`.clocks`,
:mod:`.changes`, :mod:`.replay` and, for LC-7, :mod:`iqm_rules.decisions.rules`), and
``implemented_by`` lists them from there: loading :mod:`iqm_rules.lifecycle` loads them all. A
:class:`~iqm_rules.lifecycle.records.ChangeKind` names the rule behind it from here.

>>> [r.id for r in lifecycle_rules()]
['LC-1', 'LC-2', 'LC-3', 'LC-4', 'LC-5', 'LC-6', 'LC-7', 'LC-8']
>>> lifecycle_rule("LC-4").parameters
('grace_months',)
>>> lifecycle_rule("LC-4").implemented_by
('lifecycle.clocks._effective_end', 'lifecycle.clocks._settle', 'lifecycle.clocks._lapses_on')
"""

# The row texts quote RULEBOOK §4 character for character, its script l and minus signs included.
# ruff: noqa: RUF001

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from attrs import frozen

from iqm_rules._registry import by_id, carriers

__all__ = ["LifecycleRule", "lifecycle_rule", "lifecycle_rules"]


@frozen
class LifecycleRule:
    """One rule of RULEBOOK §4: its id, title, row text, parameters read and implementation.

    ``implemented_by`` names the functions that carry it out, as ``module.function`` inside
    ``iqm_rules`` (each one's docstring cites the id), from the marks written above them.
    """

    id: str
    title: str
    text: str
    parameters: tuple[str, ...]

    @property
    def implemented_by(self) -> tuple[str, ...]:
        """The functions marked as carrying this rule out, by qualified name, in load order."""
        return tuple(
            f"{function.__module__.removeprefix('iqm_rules.')}.{function.__qualname__}"
            for function in self.functions
        )

    @property
    def functions(self) -> tuple[Callable[..., object], ...]:
        """The functions marked as carrying this rule out, themselves."""
        return carriers(self.id)


LC_1 = LifecycleRule(
    id="LC-1",
    title="Decided with the state just before",
    text="An assessment is decided (section 3) with the school's state just before it.",
    parameters=(),
)
LC_2 = LifecycleRule(
    id="LC-2",
    title="Awarded or renewed: the clock is set",
    text=(
        "For every level ℓ ≤ the awarded level: if ℓ is held on `held_on` and "
        "`held_on ≥ due(ℓ) − renewal_window_months`, the new `due(ℓ)` is the old "
        "`due(ℓ) + cycle(ℓ)` (anchored: renewing early in the window loses nothing, renewing "
        "late gains nothing); otherwise the new `due(ℓ)` is `held_on + cycle(ℓ)`. `since(ℓ)` is "
        "kept if ℓ was held, else it becomes `held_on`."
    ),
    parameters=("cycle_years", "renewal_window_months"),
)
LC_3 = LifecycleRule(
    id="LC-3",
    title="Levels above the awarded one are revoked",
    text=(
        "Every level above the awarded level that was held ends on `held_on` (state `revoked`); "
        "a `refused` decision ends every held level."
    ),
    parameters=(),
)
LC_4 = LifecycleRule(
    id="LC-4",
    title="Lapsed, and never held longer than the level below",
    text=(
        "A level is held from `since` until `lapses_on`, and never longer than the level below "
        "it: the effective end of ℓ is the earlier of its own `lapses_on` and the effective end "
        "of ℓ − 1. Reaching the end without renewal makes it `lapsed`."
    ),
    parameters=("grace_months",),
)
LC_5 = LifecycleRule(
    id="LC-5",
    title="One state per award on a date",
    text=(
        "On `as_of` each award has exactly one state: `not_held` (never held), `active` (held, "
        "`as_of < due − renewal_window_months`), `renewal_due` (held, "
        "`due − renewal_window_months ≤ as_of < due`), `overdue` (held, `due ≤ as_of`, inside "
        "grace), or, once ended, `lapsed`, `withdrawn` or `revoked` with `ended_on`, until it "
        "is awarded again."
    ),
    parameters=("renewal_window_months", "grace_months"),
)
LC_6 = LifecycleRule(
    id="LC-6",
    title="A withdrawal ends every held level",
    text="A withdrawal ends every held level on its date (`withdrawn`).",
    parameters=(),
)
LC_7 = LifecycleRule(
    id="LC-7",
    title="When flagship can first be awarded",
    text=(
        "`coe_since` is the `since` of centre_of_excellence. While it is held, "
        "`flagship_eligible_from` is the first date on which FS-4 would pass."
    ),
    parameters=("flagship_min_coe_years", "flagship_boundary"),
)
LC_8 = LifecycleRule(
    id="LC-8",
    title="The policy in force on the event's date",
    text=(
        "Each event is decided under the policy in force on its date; `due`, window and grace "
        "come from the policy of the event that set the clock."
    ),
    parameters=(),
)

_RULES = (LC_1, LC_2, LC_3, LC_4, LC_5, LC_6, LC_7, LC_8)
_BY_ID: Mapping[str, LifecycleRule] = MappingProxyType({entry.id: entry for entry in _RULES})


def lifecycle_rules() -> tuple[LifecycleRule, ...]:
    """Every lifecycle rule, in rulebook order."""
    return _RULES


def lifecycle_rule(rule_id: str) -> LifecycleRule:
    """The lifecycle rule called ``rule_id``; ``KeyError`` naming the known ids otherwise.

    >>> lifecycle_rule("LC-9")
    Traceback (most recent call last):
    KeyError: "no lifecycle rule 'LC-9'; the rules are LC-1, LC-2, LC-3, LC-4, LC-5, LC-6, ..."
    """
    return by_id(_BY_ID, rule_id, "lifecycle rule")

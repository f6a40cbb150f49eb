"""The records of a school's state over time (RULEBOOK §4): what :mod:`.replay` gives.

:class:`AwardState` and :class:`AwardStatus` (one award on a date, LC-5), :class:`StatusReport`
(every award on a date), :class:`Change` and :class:`ChangeKind` (a dated state change and the
rule behind it), :class:`Upcoming` (a due date or end ahead); and :class:`Clock`, one award
level's clock as the replay keeps it.

>>> ChangeKind.LAPSED.rule.id
'LC-4'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs
from attrs import field, frozen

from iqm_rules._terms import Term
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision
from iqm_rules.errors import InvalidRecord
from iqm_rules.lifecycle.rules import LC_2, LC_3, LC_4, LC_5, LC_6, LifecycleRule

__all__ = ["AwardState", "AwardStatus", "Change", "ChangeKind", "StatusReport", "Upcoming"]


class AwardState(Term):
    """The one state of an award on a date (LC-5)."""

    NOT_HELD = ("not_held", "Never held")
    ACTIVE = ("active", "Held; renewal window not yet open")
    RENEWAL_DUE = ("renewal_due", "Held; inside the renewal window before the due date")
    OVERDUE = ("overdue", "Held; past the due date, inside the grace period")
    LAPSED = ("lapsed", "Ended without renewal")
    WITHDRAWN = ("withdrawn", "Ended by the school's withdrawal")
    REVOKED = ("revoked", "Ended by a decision below it")

    @property
    def is_held(self) -> bool:
        """Whether the award is held in this state."""
        return self in (AwardState.ACTIVE, AwardState.RENEWAL_DUE, AwardState.OVERDUE)


@frozen
class AwardStatus:
    """One award's clock on ``as_of``: all dates ``None`` when ``not_held`` (§7.4)."""

    award: Award
    state: AwardState
    since: date | None = None
    due: date | None = None
    lapses_on: date | None = None
    ended_on: date | None = None


def _awards(awards: Iterable[AwardStatus]) -> tuple[AwardStatus, ...]:
    return tuple(awards)


def _check_awards(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Exactly one status per award, in award order (LC-5: each award has one state)."""
    statuses: tuple[object, ...] = value if isinstance(value, tuple) else ()
    shown = [getattr(status, "award", status) for status in statuses]
    if shown != list(Award):
        got = ", ".join(str(award) for award in shown) or "none"
        raise InvalidRecord(
            attribute.name,
            f"must hold one status per award, in order ({Award.allowed()}), got {got}",
        )
    wrong = next((status for status in statuses if not isinstance(status, AwardStatus)), None)
    if wrong is not None:
        raise InvalidRecord(attribute.name, f"must hold AwardStatus values, got {wrong!r}")


def _decisions(decisions: Iterable[Decision]) -> tuple[Decision, ...]:
    return tuple(decisions)


@frozen
class StatusReport:
    """What a school holds on ``as_of`` and the decisions that led there."""

    school_id: str
    as_of: date
    policy_id: str
    level: Award | None
    awards: tuple[AwardStatus, ...] = field(converter=_awards, validator=_check_awards)
    flagship_eligible_from: date | None
    decisions: tuple[Decision, ...] = field(converter=_decisions)

    def award(self, award: Award) -> AwardStatus:
        """The status of ``award``."""
        for status in self.awards:
            if status.award is award:
                return status
        raise KeyError(award)


class ChangeKind(Term):
    """What happened to an award on a date, as listed by :func:`timeline`."""

    AWARDED = ("awarded", "Awarded: a new continuity starts (LC-2)")
    RENEWED = ("renewed", "Renewed while held: the clock is reset (LC-2)")
    REVOKED = ("revoked", "Ended by a decision below it, or a refusal (LC-3)")
    LAPSED = ("lapsed", "Ended without renewal, on its own lapse date or its cap (LC-4)")
    WITHDRAWN = ("withdrawn", "Ended by the school's withdrawal (LC-6)")
    WINDOW_OPENED = ("window_opened", "The renewal window opened (LC-5)")
    OVERDUE = ("overdue", "The due date passed; the grace period runs (LC-5)")

    @property
    def rule(self) -> LifecycleRule:
        """The rule of RULEBOOK §4 behind this kind of change.

        >>> ChangeKind.LAPSED.rule.id
        'LC-4'
        """
        return _RULE_OF[self]


_RULE_OF: Mapping[ChangeKind, LifecycleRule] = MappingProxyType(
    {
        ChangeKind.AWARDED: LC_2,
        ChangeKind.RENEWED: LC_2,
        ChangeKind.REVOKED: LC_3,
        ChangeKind.LAPSED: LC_4,
        ChangeKind.WITHDRAWN: LC_6,
        ChangeKind.WINDOW_OPENED: LC_5,
        ChangeKind.OVERDUE: LC_5,
    }
)


@frozen
class Change:
    """One dated state change of one award, with the rule that caused it.

    ``event_index`` (in input order) and ``assessment_id`` name the event behind the change;
    both are ``None`` for changes that only the passing of time causes (window, overdue, lapse).
    """

    on: date
    award: Award
    kind: ChangeKind
    rule: str
    event_index: int | None
    assessment_id: str | None
    detail: str


@frozen
class Upcoming:
    """A held award whose due date or end falls inside a horizon (see
    :meth:`~iqm_rules.lifecycle.replay.Replay.upcoming`).

    ``lapses_on`` is the award's own ``due + grace_months`` (§7.3); ``ends_on`` is the day it
    stops being held if nothing is renewed: ``lapses_on`` or the end of the level below (LC-4).
    """

    award: Award
    state: AwardState
    due: date
    window_opens: date
    lapses_on: date
    ends_on: date


@frozen
class Clock:
    """One continuity of one award level, as the event that last set it left it (LC-2, LC-8).

    ``ended_on`` and ``ended_as`` (the state it ended in) are set once an event or a lapse has
    ended it; ``ended_by`` says by what, for messages.
    """

    since: date
    due: date
    window_opens: date
    lapses_on: date
    set_on: date
    ended_on: date | None = None
    ended_as: AwardState | None = None
    ended_by: str = ""

    @property
    def running(self) -> bool:
        return self.ended_on is None


Clocks = tuple[Clock | None, ...]
"""One entry per award level, indexed by ``Award.rank``; ``None`` when never held."""

NO_CLOCKS: Clocks = (None,) * len(Award)

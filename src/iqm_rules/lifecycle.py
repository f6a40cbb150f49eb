"""Status over time: replaying a school's history to what it holds on any date (RULEBOOK §4)."""

from __future__ import annotations

from datetime import date

from attrs import field, frozen

from iqm_rules._terms import Term
from iqm_rules.awards import Award
from iqm_rules.decision import Decision

__all__ = ["AwardState", "AwardStatus", "StatusReport"]


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


@frozen
class StatusReport:
    """What a school holds on ``as_of`` and the decisions that led there."""

    school_id: str
    as_of: date
    policy_id: str
    level: Award | None
    awards: tuple[AwardStatus, ...] = field(converter=tuple)
    flagship_eligible_from: date | None
    decisions: tuple[Decision, ...] = field(converter=tuple)

    def award(self, award: Award) -> AwardStatus:
        """The status of ``award``."""
        for status in self.awards:
            if status.award is award:
                return status
        raise KeyError(award)

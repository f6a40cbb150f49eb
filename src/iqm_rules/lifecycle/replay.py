"""Status over time: replaying a school's history to what it holds on any date (RULEBOOK §4).

:func:`replay` applies every event once, in application order (date, then input order, §7.8),
deciding each assessment with the school's state just before it (LC-1, §7.1) under the policy in
force on its date (LC-8). Each award level keeps a clock: ``since``, ``due``, the date its renewal
window opens and ``lapses_on``, all fixed by the policy of the event that set the clock. A level
is held from ``since`` until its *effective end*: the earlier of its own ``lapses_on`` and the
effective end of the level below (LC-4), unless an event ended it first (LC-3, LC-6).

From one :class:`Replay`, :meth:`Replay.status` gives the state on any date (LC-5),
:attr:`Replay.changes` every dated state change with the rule behind it, and
:meth:`Replay.upcoming` the dues and lapses ahead. :func:`status`, :func:`timeline` and
:func:`upcoming` replay and ask in one call.

The records it gives are in :mod:`.records` (and still importable from here); the rules as
steps, each moving the clocks, in :mod:`.clocks`; how each change is described, in
:mod:`.changes`.

>>> from iqm_rules.history import School, SchoolHistory
>>> report = status(SchoolHistory(School("URN-1", "Example Primary")), date(2024, 1, 1))
>>> report.level is None, report.award(Award.FLAGSHIP).state.value
(True, 'not_held')
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date

from attrs import field, frozen

from iqm_rules._dates import DateOutOfRange, add_days, add_months
from iqm_rules._registry import carries_out
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision
from iqm_rules.decisions.rules import flagship_eligible_from
from iqm_rules.errors import written
from iqm_rules.history import SchoolHistory, Withdrawal, event_date
from iqm_rules.lifecycle.changes import UNDESCRIBED, Timeline
from iqm_rules.lifecycle.clocks import (
    _apply,
    _award_status,
    _decide,
    _effective_end,
    _eligibility_in_calendar,
    _held_state,
    _policy_on,
    _running,
    _settle,
    _withdraw,
)
from iqm_rules.lifecycle.records import (
    NO_CLOCKS,
    AwardState,
    AwardStatus,
    Change,
    ChangeKind,
    Clocks,
    StatusReport,
    Upcoming,
)
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook, policy_in_force

__all__ = [
    "AwardState",
    "AwardStatus",
    "Change",
    "ChangeKind",
    "Replay",
    "StatusReport",
    "Upcoming",
    "replay",
    "status",
    "timeline",
    "upcoming",
]


@frozen
class _Step:
    """The school's clocks just after one event, and that event's decision if it was assessed."""

    on: date
    clocks: Clocks
    decision: Decision | None


def _steps(steps: Iterable[_Step]) -> tuple[_Step, ...]:
    return tuple(steps)


def _changes(changes: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(changes)


@frozen
class Replay:
    """A school's whole history, applied once: ask it for the status on any date.

    ``steps`` holds the clocks after each event in application order; ``changes`` every dated
    state change, including those still ahead after the last event.
    """

    school_id: str
    policy: Policy | PolicyBook
    steps: tuple[_Step, ...] = field(converter=_steps)
    changes: tuple[Change, ...] = field(converter=_changes)

    @carries_out("LC-7")
    def status(self, as_of: date) -> StatusReport:
        """The state of every award on ``as_of`` (LC-5); events after ``as_of`` do not count.

        ``flagship_eligible_from`` reads every policy of the book, also those dated after
        ``as_of``, each for the dates it is in force on (LC-7, LC-8, §7.5).
        ``as_of`` must be a :class:`datetime.date`: a string such as ``"2025-09-01"`` is a
        ``TypeError`` saying so (dates are never guessed from text).
        """
        _a_date(as_of)
        applied, clocks = self._on(as_of)
        policy = policy_in_force(self.policy, as_of)
        coe = _running(clocks, Award.CENTRE_OF_EXCELLENCE)
        held = [award for award in Award if _running(clocks, award) is not None]
        return StatusReport(
            school_id=self.school_id,
            as_of=as_of,
            policy_id=policy.id,
            level=max(held, default=None),
            awards=(_award_status(award, clocks[award.rank], as_of) for award in Award),
            flagship_eligible_from=(
                None if coe is None else flagship_eligible_from(coe.since, self.policy)
            ),
            decisions=(s.decision for s in self.steps[:applied] if s.decision is not None),
        )

    def upcoming(self, as_of: date, *, days: int = 0, months: int = 0) -> tuple[Upcoming, ...]:
        """Held awards whose due date or end falls in ``[as_of, as_of + months + days]``.

        Soonest first (by the first of those dates inside the horizon), then by level.
        ``ValueError`` for a horizon that is not a whole number ≥ 0 (an argument, not a record).
        """
        _a_date(as_of)
        for name, value in (("days", days), ("months", months)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name}: must be a whole number ≥ 0, got {value!r}")
        try:
            horizon = add_days(add_months(as_of, months), days)
        except DateOutOfRange:
            horizon = date.max  # a horizon past the calendar holds every date in it
        _, clocks = self._on(as_of)
        found: list[tuple[date, int, Upcoming]] = []
        for award in Award:
            clock = _running(clocks, award)
            if clock is None:
                continue
            ends_on = _effective_end(clocks, award)
            inside = [day for day in (clock.due, ends_on) if as_of <= day <= horizon]
            if inside:
                item = Upcoming(
                    award=award,
                    state=_held_state(clock, as_of),
                    due=clock.due,
                    window_opens=clock.window_opens,
                    lapses_on=clock.lapses_on,
                    ends_on=ends_on,
                )
                found.append((min(inside), award.rank, item))
        return tuple(item for *_, item in sorted(found, key=lambda entry: entry[:2]))

    def _on(self, as_of: date) -> tuple[int, Clocks]:
        """How many events apply on ``as_of``, and the clocks then, lapses settled (LC-4)."""
        applied = bisect_right(self.steps, as_of, key=lambda step: step.on)
        clocks = self.steps[applied - 1].clocks if applied else NO_CLOCKS
        return applied, _settle(clocks, as_of, UNDESCRIBED)


def _a_date(as_of: object) -> None:
    """``TypeError`` unless ``as_of`` is a date, naming the fix for an ISO string."""
    if not isinstance(as_of, date):
        fix = f": use date.fromisoformat({as_of!r})" if isinstance(as_of, str) else ""
        raise TypeError(f"as_of must be a datetime.date, got {type(as_of).__name__}{fix}")


def replay(history: SchoolHistory, policy: Policy | PolicyBook = DEFAULT_POLICY) -> Replay:
    """Apply every event of ``history`` once, in application order (LC-1 … LC-8, §7.8).

    Validates the whole history: a review when centre_of_excellence is not held just before it
    (§7.1) raises :class:`InvalidRecord` at ``events[i].kind``; any error of ``decide`` is
    located at ``events[i]``. Each assessment is decided once, so the cost is linear.
    """
    return _replay(history, policy)


def _replay(
    history: SchoolHistory, policy: Policy | PolicyBook, *, timeline: bool = True
) -> Replay:
    """The replay of :func:`replay`; with ``timeline=False`` its ``changes`` are left empty.

    :func:`status` and :func:`upcoming` read only the clocks and decisions of each step, so
    their replay describes no change: the one difference is the notebook the steps tell their
    changes to (:mod:`.changes`).
    """
    notes = Timeline() if timeline else UNDESCRIBED
    order = sorted(range(len(history.events)), key=lambda i: event_date(history.events[i]))
    clocks = NO_CLOCKS
    steps: list[_Step] = []
    for index in order:
        event = history.events[index]
        on = event_date(event)
        clocks = _settle(clocks, on, notes)
        decision: Decision | None = None
        if isinstance(event, Withdrawal):
            clocks = _withdraw(clocks, on, index, notes)
        else:
            in_force = _policy_on(policy, event, index)
            decision = _decide(event, index, clocks, in_force)
            try:
                clocks = _apply(clocks, event, index, decision, in_force, notes)
                _eligibility_in_calendar(clocks, on, policy)
            except DateOutOfRange as error:
                raise error.within(written(("events", index))) from None
        steps.append(_Step(on, clocks, decision))
    _settle(clocks, date.max, notes)
    return Replay(history.school.id, policy, steps, notes.changes())


def status(
    history: SchoolHistory, as_of: date, policy: Policy | PolicyBook = DEFAULT_POLICY
) -> StatusReport:
    """What the school holds on ``as_of`` (LC-5), under ``policy`` (a policy or a book, LC-8).

    The report's ``policy_id`` is that of the policy in force on ``as_of``;
    :func:`~iqm_rules.decisions.rules.flagship_eligible_from` reads the whole book (LC-7, LC-8,
    §7.5). The whole history is validated, whatever ``as_of`` is (§7.8).
    """
    return _replay(history, policy, timeline=False).status(as_of)


def timeline(
    history: SchoolHistory, policy: Policy | PolicyBook = DEFAULT_POLICY
) -> tuple[Change, ...]:
    """Every dated state change of the history, in order, each with the rule that caused it.

    Changes of the same date come in this order: those of time passing (window opened,
    overdue, lapsed; by level), then those of the events of that date, in application order.
    A window or overdue change is listed only if it happens before its clock is reset or ended;
    a window already open when the clock is set is not listed (the state starts renewal_due).
    """
    return replay(history, policy).changes


def upcoming(
    history: SchoolHistory,
    as_of: date,
    *,
    days: int = 0,
    months: int = 0,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
) -> tuple[Upcoming, ...]:
    """Held awards falling due or ending within ``months`` and ``days`` of ``as_of``."""
    return _replay(history, policy, timeline=False).upcoming(as_of, days=days, months=months)

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

>>> from iqm_rules.history import School, SchoolHistory
>>> report = status(SchoolHistory(School("URN-1", "Example Primary")), date(2024, 1, 1))
>>> report.level is None, report.award(Award.FLAGSHIP).state.value
(True, 'not_held')
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs
from attrs import evolve, field, frozen

from iqm_rules._collector import paused
from iqm_rules._dates import DateOutOfRange, add_days, add_months, add_years
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, decide, review_allowed
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.rules import flagship_eligible_from
from iqm_rules.errors import InvalidPolicy, InvalidRecord
from iqm_rules.history import SchoolHistory, Withdrawal, event_date
from iqm_rules.lifecycle.rules import LC_2, LC_3, LC_4, LC_5, LC_6, LifecycleRule
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


def _change(
    *,
    on: date,
    award: Award,
    kind: ChangeKind,
    detail: str,
    event_index: int | None = None,
    assessment_id: str | None = None,
) -> Change:
    """A change whose ``rule`` is the one its ``kind`` names (one place decides it)."""
    return Change(
        on=on,
        award=award,
        kind=kind,
        rule=kind.rule.id,
        event_index=event_index,
        assessment_id=assessment_id,
        detail=detail,
    )


@frozen
class Upcoming:
    """A held award whose due date or end falls inside a horizon (see :meth:`Replay.upcoming`).

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
class _Clock:
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


_Clocks = tuple[_Clock | None, ...]
"""One entry per award level, indexed by ``Award.rank``; ``None`` when never held."""

_NO_CLOCKS: _Clocks = (None,) * len(Award)

_KIND_ORDER: Mapping[ChangeKind, int] = MappingProxyType({k: i for i, k in enumerate(ChangeKind)})


@frozen
class _Step:
    """The school's clocks just after one event, and that event's decision if it was assessed."""

    on: date
    clocks: _Clocks
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

    def _on(self, as_of: date) -> tuple[int, _Clocks]:
        """How many events apply on ``as_of``, and the clocks then, lapses settled (LC-4)."""
        applied = bisect_right(self.steps, as_of, key=lambda step: step.on)
        clocks = self.steps[applied - 1].clocks if applied else _NO_CLOCKS
        settled, _ = _settle(clocks, as_of, timeline=False)
        return applied, settled


def _a_date(as_of: object) -> None:
    """``TypeError`` unless ``as_of`` is a date, naming the fix for an ISO string."""
    if not isinstance(as_of, date):
        fix = f": use date.fromisoformat({as_of!r})" if isinstance(as_of, str) else ""
        raise TypeError(f"as_of must be a datetime.date, got {type(as_of).__name__}{fix}")


def replay(history: SchoolHistory, policy: Policy | PolicyBook = DEFAULT_POLICY) -> Replay:
    """Apply every event of ``history`` once, in application order (LC-1 … LC-8, §7.8).

    Validates the whole history: a review when centre_of_excellence is not held just before it
    (§7.1) raises :class:`InvalidRecord` at ``events[i].kind``; any error of ``decide`` is
    located at ``events[i]``. Each assessment is decided once, so the cost is linear. The
    garbage collector is paused meanwhile (:mod:`iqm_rules._collector`).
    """
    with paused():
        return _replay(history, policy)


def _replay(
    history: SchoolHistory, policy: Policy | PolicyBook, *, timeline: bool = True
) -> Replay:
    """The replay of :func:`replay`; with ``timeline=False`` its ``changes`` are left empty.

    :func:`status` and :func:`upcoming` read only the clocks and decisions of each step, so
    they do not describe each change as they go (describing them was a tenth of the cost of a
    status).
    """
    order = sorted(range(len(history.events)), key=lambda i: event_date(history.events[i]))
    clocks = _NO_CLOCKS
    steps: list[_Step] = []
    changes: list[tuple[tuple[date, int, int, int], Change]] = []
    for index in order:
        event = history.events[index]
        on = event_date(event)
        clocks, lapses = _settle(clocks, on, timeline=timeline)
        changes.extend((_order(c, len(steps), n), c) for n, c in enumerate(lapses))
        decision: Decision | None = None
        if isinstance(event, Withdrawal):
            clocks, done = _withdraw(clocks, on, index, timeline=timeline)
        else:
            in_force = _policy_on(policy, event, index)
            decision = _decide(event, index, clocks, in_force)
            try:
                clocks, done = _apply(clocks, event, index, decision, in_force, timeline=timeline)
                _eligibility_in_calendar(clocks, on, policy)
            except DateOutOfRange as error:
                raise error.within(f"events[{index}]") from None
        changes.extend((_order(c, len(steps), n), c) for n, c in enumerate(done))
        steps.append(_Step(on, clocks, decision))
    _, ahead = _settle(clocks, date.max, timeline=timeline)
    changes.extend((_order(c, len(steps), n), c) for n, c in enumerate(ahead))
    changes.sort(key=lambda entry: entry[0])
    return Replay(history.school.id, policy, steps, (c for _, c in changes))


def status(
    history: SchoolHistory, as_of: date, policy: Policy | PolicyBook = DEFAULT_POLICY
) -> StatusReport:
    """What the school holds on ``as_of`` (LC-5), under ``policy`` (a policy or a book, LC-8).

    The report's ``policy_id`` is that of the policy in force on ``as_of``;
    :func:`~iqm_rules.decisions.rules.flagship_eligible_from` reads the whole book (LC-7, LC-8,
    §7.5). The whole history is validated, whatever ``as_of`` is (§7.8). The collector stays paused
    until the replay, which only the report's decisions outlive, has been freed.
    """
    with paused():
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
    with paused():
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
    with paused():
        return _replay(history, policy, timeline=False).upcoming(as_of, days=days, months=months)


def _policy_on(policy: Policy | PolicyBook, event: Assessment, index: int) -> Policy:
    """The policy that decides ``event`` (LC-8), errors located at its ``held_on``."""
    try:
        return policy_in_force(policy, event.held_on)
    except InvalidPolicy as error:
        raise InvalidPolicy(f"events[{index}].held_on", error.problem) from None


def _effective_end(clocks: _Clocks, award: Award | None) -> date:
    """The day ``award`` stops being held: its end, or the earlier end of the level below (LC-4).

    Nothing ends the level below the lowest, nor a level never held: ``date.max``.
    """
    clock = None if award is None else clocks[award.rank]
    if award is None or clock is None:
        return date.max
    if clock.ended_on is not None:
        return clock.ended_on
    return min(clock.lapses_on, _effective_end(clocks, award.below))


def _running(clocks: _Clocks, award: Award) -> _Clock | None:
    """The clock of ``award`` if no event or settled lapse has ended it (once settled: held)."""
    clock = clocks[award.rank]
    return clock if clock is not None and clock.running else None


def _settle(clocks: _Clocks, day: date, *, timeline: bool) -> tuple[_Clocks, list[Change]]:
    """End, as ``lapsed``, every level whose effective end is on or before ``day`` (LC-4, §7.3).

    With ``timeline``, also returns the changes time brought to those levels: window opened,
    overdue, lapsed.
    """
    running = [(award, clock) for award in Award if (clock := _running(clocks, award)) is not None]
    ends = [_effective_end(clocks, award) for award, _ in running]
    settled = list(clocks)
    changes: list[Change] = []
    for (award, clock), end in zip(running, ends, strict=True):
        if end > day:
            continue
        capped = end < clock.lapses_on
        below = award.below
        detail = (
            f"capped by {below}, which ended then ({LC_4.id}, §7.3)"
            if capped and below is not None
            else f"not renewed after due {clock.due.isoformat()}"
        )
        settled[award.rank] = evolve(
            clock, ended_on=end, ended_as=AwardState.LAPSED, ended_by=detail
        )
        if timeline:
            changes.extend(_passing(award, clock, end))
            changes.append(_change(on=end, award=award, kind=ChangeKind.LAPSED, detail=detail))
    return tuple(settled), changes


def _passing(award: Award, clock: _Clock, until: date) -> list[Change]:
    """Window-opened and overdue changes of ``clock`` that happen before ``until`` (LC-5)."""
    changes: list[Change] = []
    if clock.set_on < clock.window_opens < min(clock.due, until):
        changes.append(
            _change(
                on=clock.window_opens,
                award=award,
                kind=ChangeKind.WINDOW_OPENED,
                detail=f"renewal window opens; due {clock.due.isoformat()}",
            )
        )
    if clock.due < until:
        changes.append(
            _change(
                on=clock.due,
                award=award,
                kind=ChangeKind.OVERDUE,
                detail=f"due date passed; lapses on {clock.lapses_on.isoformat()} unless renewed",
            )
        )
    return changes


def _order(change: Change, step: int, n: int) -> tuple[date, int, int, int]:
    """Sort key of a change: time passing first on its date, by level; then events in order."""
    if change.event_index is None:
        return (change.on, 0, change.award.rank, _KIND_ORDER[change.kind])
    return (change.on, 1, step, n)


def _why_not_held(clocks: _Clocks, award: Award) -> str:
    clock = clocks[award.rank]
    if clock is None or clock.ended_on is None or clock.ended_as is None:
        return f"{award} was never held"
    verb = "lapsed" if clock.ended_as is AwardState.LAPSED else f"was {clock.ended_as.value}"
    return f"{award} {verb} on {clock.ended_on.isoformat()} ({clock.ended_by})"


def _decide(event: Assessment, index: int, clocks: _Clocks, policy: Policy) -> Decision:
    """Decide ``event`` with the school's state just before it (LC-1, §7.1)."""
    coe = _running(clocks, Award.CENTRE_OF_EXCELLENCE)
    prior = Prior(
        held=frozenset(award for award in Award if _running(clocks, award) is not None),
        coe_since=None if coe is None else coe.since,
    )
    if not review_allowed(event, prior):
        raise InvalidRecord(
            f"events[{index}].kind",
            f"review {event.id} needs centre_of_excellence or flagship held on "
            f"{event.held_on.isoformat()}; {_why_not_held(clocks, Award.CENTRE_OF_EXCELLENCE)}",
        )
    try:
        return decide(event, prior, policy)
    except InvalidRecord as error:
        raise error.within(f"events[{index}]") from None


def _apply(
    clocks: _Clocks,
    event: Assessment,
    index: int,
    decision: Decision,
    policy: Policy,
    *,
    timeline: bool,
) -> tuple[_Clocks, list[Change]]:
    """Renew or award every level up to the awarded one (LC-2, §7.9); revoke those above (LC-3).

    ``clocks`` are settled on ``event.held_on``, so a running clock is a held level. With
    ``timeline``, also returns the changes: those of time passing before ``on``, then the
    event's own.
    """
    on = event.held_on
    top = -1 if decision.awarded_level is None else decision.awarded_level.rank
    updated = list(clocks)
    changes: list[Change] = []
    for award in Award:
        held = _running(clocks, award)
        if timeline and held is not None:
            changes.extend(_passing(award, held, on))
        if award.rank <= top:
            clock = _renewed(held, award, on, policy)
            updated[award.rank] = clock
            if not timeline:
                continue
            kind = ChangeKind.AWARDED if held is None else ChangeKind.RENEWED
            how = "from held_on" if held is None or on < held.window_opens else "anchored"
            detail = f"{decision.outcome}; due {clock.due.isoformat()} ({how}), policy {policy.id}"
            changes.append(
                _change(
                    on=on,
                    award=award,
                    kind=kind,
                    detail=detail,
                    event_index=index,
                    assessment_id=event.id,
                )
            )
        elif held is not None:
            reason = (
                f"by {event.id}, refused (§7.2)"
                if decision.awarded_level is None
                else f"by {event.id}, which awarded {decision.awarded_level} (§7.9)"
            )
            updated[award.rank] = evolve(
                held, ended_on=on, ended_as=AwardState.REVOKED, ended_by=reason
            )
            if timeline:
                changes.append(
                    _change(
                        on=on,
                        award=award,
                        kind=ChangeKind.REVOKED,
                        detail=reason,
                        event_index=index,
                        assessment_id=event.id,
                    )
                )
    return tuple(updated), changes


def _eligibility_in_calendar(clocks: _Clocks, on: date, policy: Policy | PolicyBook) -> None:
    """Raise :class:`DateOutOfRange` if centre_of_excellence, awarded on ``on``, gives a
    Flagship eligibility past the calendar under any policy a status could read (§7.11)."""
    coe = clocks[Award.CENTRE_OF_EXCELLENCE.rank]
    if coe is not None and coe.since == on:
        for each in policy.policies if isinstance(policy, PolicyBook) else (policy,):
            flagship_eligible_from(on, each)


def _renewed(held: _Clock | None, award: Award, on: date, policy: Policy) -> _Clock:
    """The clock of ``award`` after a decision on ``on`` awards it (LC-2, LC-8, §7.7).

    Anchored on the old due date when held and inside (or past) its renewal window,
    else counted from ``on``; ``since`` is kept while held.
    """
    cycle = policy.cycle(award)
    if held is not None and on >= held.window_opens:
        due = add_years(held.due, cycle, "anchored due date", "held_on")
    else:
        due = add_years(on, cycle, "due date", "held_on")
    return _Clock(
        since=on if held is None else held.since,
        due=due,
        window_opens=add_months(due, -policy.renewal_window_months, "renewal window", "held_on"),
        lapses_on=add_months(due, policy.grace_months, "lapse date", "held_on"),
        set_on=on,
    )


def _withdraw(
    clocks: _Clocks, on: date, index: int, *, timeline: bool
) -> tuple[_Clocks, list[Change]]:
    """End every held level on ``on`` as ``withdrawn`` (LC-6); nothing held, nothing changes.

    With ``timeline``, also returns the changes, as :func:`_apply` does.
    """
    updated = list(clocks)
    changes: list[Change] = []
    reason = f"by the withdrawal at events[{index}]"
    for award in Award:
        held = _running(clocks, award)
        if held is not None:
            updated[award.rank] = evolve(
                held, ended_on=on, ended_as=AwardState.WITHDRAWN, ended_by=reason
            )
        if timeline and held is not None:
            changes.extend(_passing(award, held, on))
            changes.append(
                _change(
                    on=on, award=award, kind=ChangeKind.WITHDRAWN, detail=reason, event_index=index
                )
            )
    return tuple(updated), changes


def _held_state(clock: _Clock, as_of: date) -> AwardState:
    """The state of a held level (LC-5): active, renewal_due or overdue."""
    if as_of < clock.window_opens:
        return AwardState.ACTIVE
    if as_of < clock.due:
        return AwardState.RENEWAL_DUE
    return AwardState.OVERDUE


def _award_status(award: Award, clock: _Clock | None, as_of: date) -> AwardStatus:
    """One award on ``as_of``, from clocks settled on that date (LC-5, §7.3, §7.4)."""
    if clock is None:
        return AwardStatus(award, AwardState.NOT_HELD)
    state = _held_state(clock, as_of) if clock.ended_as is None else clock.ended_as
    return AwardStatus(award, state, clock.since, clock.due, clock.lapses_on, clock.ended_on)

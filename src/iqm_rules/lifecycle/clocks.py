"""The rules of RULEBOOK §4 as steps of the replay: each event or passing of time moves the
clocks of a school's award levels (:class:`~.records.Clock`, one per level).

Each function names the rules it carries out with :func:`~iqm_rules._registry.carries_out`
written above it; the lifecycle registry (:mod:`.rules`) lists them from there. Every change a
step makes is told to a :class:`~.changes.Notebook`, which describes it for a timeline or not
at all.
"""

from __future__ import annotations

from datetime import date

from attrs import evolve

from iqm_rules._dates import add_months, add_years
from iqm_rules._registry import carries_out
from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, decide, review_allowed
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.rules import flagship_eligible_from
from iqm_rules.errors import InvalidPolicy, InvalidRecord, written
from iqm_rules.lifecycle.changes import Notebook
from iqm_rules.lifecycle.records import AwardState, AwardStatus, ChangeKind, Clock, Clocks
from iqm_rules.lifecycle.rules import LC_4
from iqm_rules.policy import Policy, PolicyBook, policy_in_force

__all__: list[str] = []


@carries_out("LC-8")
def _policy_on(policy: Policy | PolicyBook, event: Assessment, index: int) -> Policy:
    """The policy that decides ``event`` (LC-8), errors located at its ``held_on``."""
    try:
        return policy_in_force(policy, event.held_on)
    except InvalidPolicy as error:
        raise InvalidPolicy(written(("events", index, "held_on")), error.problem) from None


@carries_out("LC-4")
def _effective_end(clocks: Clocks, award: Award | None) -> date:
    """The day ``award`` stops being held: its end, or the earlier end of the level below (LC-4).

    Nothing ends the level below the lowest, nor a level never held: ``date.max``.
    """
    clock = None if award is None else clocks[award.rank]
    if award is None or clock is None:
        return date.max
    if clock.ended_on is not None:
        return clock.ended_on
    return min(clock.lapses_on, _effective_end(clocks, award.below))


def _running(clocks: Clocks, award: Award) -> Clock | None:
    """The clock of ``award`` if no event or settled lapse has ended it (once settled: held)."""
    clock = clocks[award.rank]
    return clock if clock is not None and clock.running else None


@carries_out("LC-4")
def _settle(clocks: Clocks, day: date, notes: Notebook) -> Clocks:
    """End, as ``lapsed``, every level whose effective end is on or before ``day`` (LC-4, §7.3).

    Tells ``notes`` the changes time brought to those levels: window opened, overdue, lapsed.
    """
    held = [(award, clock) for award in Award if (clock := _running(clocks, award)) is not None]
    ends = [_effective_end(clocks, award) for award, _ in held]
    settled = list(clocks)
    for (award, clock), end in zip(held, ends, strict=True):
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
        notes.lapsed(award, clock, end, detail)
    return tuple(settled)


def _why_not_held(clocks: Clocks, award: Award) -> str:
    clock = clocks[award.rank]
    if clock is None or clock.ended_on is None or clock.ended_as is None:
        return f"{award} was never held"
    verb = "lapsed" if clock.ended_as is AwardState.LAPSED else f"was {clock.ended_as.value}"
    return f"{award} {verb} on {clock.ended_on.isoformat()} ({clock.ended_by})"


@carries_out("LC-1")
def _decide(event: Assessment, index: int, clocks: Clocks, policy: Policy) -> Decision:
    """Decide ``event`` with the school's state just before it (LC-1, §7.1)."""
    coe = _running(clocks, Award.CENTRE_OF_EXCELLENCE)
    prior = Prior(
        held=frozenset(award for award in Award if _running(clocks, award) is not None),
        coe_since=None if coe is None else coe.since,
    )
    if not review_allowed(event, prior):
        raise InvalidRecord(
            written(("events", index, "kind")),
            f"review {event.id} needs centre_of_excellence or flagship held on "
            f"{event.held_on.isoformat()}; {_why_not_held(clocks, Award.CENTRE_OF_EXCELLENCE)}",
        )
    try:
        return decide(event, prior, policy)
    except InvalidRecord as error:
        raise error.within(written(("events", index))) from None


@carries_out("LC-2", "LC-3")
def _apply(
    clocks: Clocks,
    event: Assessment,
    index: int,
    decision: Decision,
    policy: Policy,
    notes: Notebook,
) -> Clocks:
    """Renew or award every level up to the awarded one (LC-2, §7.9); revoke those above (LC-3).

    ``clocks`` are settled on ``event.held_on``, so a running clock is a held level. Tells
    ``notes`` the changes: those of time passing before ``on``, then the event's own.
    """
    on = event.held_on
    top = -1 if decision.awarded_level is None else decision.awarded_level.rank
    updated = list(clocks)
    for award in Award:
        held = _running(clocks, award)
        if held is not None:
            notes.passing(award, held, on)
        if award.rank <= top:
            clock = _renewed(held, award, on, policy)
            updated[award.rank] = clock
            notes.set(award, held, clock, decision, policy, index, event.id)
        elif held is not None:
            reason = (
                f"by {event.id}, refused (§7.2)"
                if decision.awarded_level is None
                else f"by {event.id}, which awarded {decision.awarded_level} (§7.9)"
            )
            updated[award.rank] = evolve(
                held, ended_on=on, ended_as=AwardState.REVOKED, ended_by=reason
            )
            notes.ended(award, ChangeKind.REVOKED, on, reason, index, event.id)
    return tuple(updated)


def _eligibility_in_calendar(clocks: Clocks, on: date, policy: Policy | PolicyBook) -> None:
    """Raise :class:`~iqm_rules._dates.DateOutOfRange` if centre_of_excellence, awarded on
    ``on``, gives a Flagship eligibility past the calendar under any policy a status could read
    (§7.11)."""
    coe = clocks[Award.CENTRE_OF_EXCELLENCE.rank]
    if coe is not None and coe.since == on:
        for each in policy.policies if isinstance(policy, PolicyBook) else (policy,):
            flagship_eligible_from(on, each)


@carries_out("LC-2", "LC-8")
def _renewed(held: Clock | None, award: Award, on: date, policy: Policy) -> Clock:
    """The clock of ``award`` after a decision on ``on`` awards it (LC-2, LC-8, §7.7).

    Every date of it comes from ``policy``, the one of the event that sets it (LC-8); ``since``
    is kept while held.
    """
    due = _due(held, award, on, policy)
    return Clock(
        since=on if held is None else held.since,
        due=due,
        window_opens=_window_opens(due, policy),
        lapses_on=_lapses_on(due, policy),
        set_on=on,
    )


@carries_out("LC-2")
def _due(held: Clock | None, award: Award, on: date, policy: Policy) -> date:
    """The new due date (LC-2): anchored on the old due date when held and inside (or past) its
    renewal window, else counted from ``on``."""
    cycle = policy.cycle(award)
    if held is not None and on >= held.window_opens:
        return add_years(held.due, cycle, "anchored due date", "held_on")
    return add_years(on, cycle, "due date", "held_on")


@carries_out("LC-2", "LC-5")
def _window_opens(due: date, policy: Policy) -> date:
    """The day the renewal window opens: ``due - renewal_window_months`` (LC-2, LC-5)."""
    return add_months(due, -policy.renewal_window_months, "renewal window", "held_on")


@carries_out("LC-4", "LC-5")
def _lapses_on(due: date, policy: Policy) -> date:
    """The day the level lapses unless renewed: ``due + grace_months`` (LC-4, LC-5, §7.3)."""
    return add_months(due, policy.grace_months, "lapse date", "held_on")


@carries_out("LC-6")
def _withdraw(clocks: Clocks, on: date, index: int, notes: Notebook) -> Clocks:
    """End every held level on ``on`` as ``withdrawn`` (LC-6); nothing held, nothing changes.

    Tells ``notes`` the changes, as :func:`_apply` does.
    """
    updated = list(clocks)
    reason = f"by the withdrawal at events[{index}]"
    for award in Award:
        held = _running(clocks, award)
        if held is not None:
            updated[award.rank] = evolve(
                held, ended_on=on, ended_as=AwardState.WITHDRAWN, ended_by=reason
            )
            notes.passing(award, held, on)
            notes.ended(award, ChangeKind.WITHDRAWN, on, reason, index, None)
    return tuple(updated)


@carries_out("LC-5")
def _held_state(clock: Clock, as_of: date) -> AwardState:
    """The state of a held level (LC-5): active, renewal_due or overdue."""
    if as_of < clock.window_opens:
        return AwardState.ACTIVE
    if as_of < clock.due:
        return AwardState.RENEWAL_DUE
    return AwardState.OVERDUE


@carries_out("LC-5")
def _award_status(award: Award, clock: Clock | None, as_of: date) -> AwardStatus:
    """One award on ``as_of``, from clocks settled on that date (LC-5, §7.3, §7.4)."""
    if clock is None:
        return AwardStatus(award, AwardState.NOT_HELD)
    state = _held_state(clock, as_of) if clock.ended_as is None else clock.ended_as
    return AwardStatus(award, state, clock.since, clock.due, clock.lapses_on, clock.ended_on)

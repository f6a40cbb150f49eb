"""Random histories built event by event, with the lifecycle's invariants checked after each.

Events are added in date order (assessments passing or failing at random levels, reviews only
where valid, withdrawals, short and long gaps), so every new event lies after the dates already
checked; after each step the status of the new history is compared with the previous one.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from builders import assessment, history, review, withdrawal
from iqm_rules._dates import add_months, add_years
from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import Event
from iqm_rules.lifecycle.replay import AwardState, ChangeKind, Replay, StatusReport, replay
from iqm_rules.policy import DEFAULT_POLICY, Policy

gaps = st.one_of(st.integers(0, 45), st.integers(150, 400), st.integers(900, 1600))
levels = st.sampled_from([None, *Award])
policies = st.sampled_from(
    [
        DEFAULT_POLICY,
        Policy(id="quick-flagship", flagship_min_coe_years=1),
        Policy(
            id="short-below",
            cycle_years={
                Award.INCLUSIVE_SCHOOL: 1,
                Award.CENTRE_OF_EXCELLENCE: 2,
                Award.FLAGSHIP: 3,
            },
            flagship_min_coe_years=0,
            grace_months=2,
        ),
    ]
)
"""The default, one where Flagship comes within reach, one where upper levels get capped."""


STATE_AFTER = {
    ChangeKind.AWARDED: AwardState.ACTIVE,
    ChangeKind.RENEWED: AwardState.ACTIVE,
    ChangeKind.WINDOW_OPENED: AwardState.RENEWAL_DUE,
    ChangeKind.OVERDUE: AwardState.OVERDUE,
    ChangeKind.LAPSED: AwardState.LAPSED,
    ChangeKind.WITHDRAWN: AwardState.WITHDRAWN,
    ChangeKind.REVOKED: AwardState.REVOKED,
}


class LifecycleMachine(RuleBasedStateMachine):
    """A school's history, growing one event at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []
        self.day = date(2010, 1, 1)
        self.policy = DEFAULT_POLICY
        self.replay = replay(history())
        self.checked: set[date] = {self.day}

    @initialize(policy=policies)
    def choose_policy(self, policy: Policy) -> None:
        self.policy = policy
        self.replay = replay(history(), policy)

    def add(self, event: Event) -> None:
        on = event.held_on if isinstance(event, Assessment) else event.on
        before = self.replay
        self.events.append(event)
        self.replay = replay(history(*self.events), self.policy)
        self.check_causality(before, on)
        self.check_the_event(before, event, on)
        self.checked |= {on - timedelta(days=1), on}

    def check_causality(self, before: Replay, on: date) -> None:
        """An event on ``on`` changes no status on an earlier date."""
        for as_of in sorted(day for day in self.checked if day < on):
            assert self.replay.status(as_of) == before.status(as_of)

    def check_the_event(self, before: Replay, event: Event, on: date) -> None:
        """What the event did to each award, against the state just before it (LC-2, LC-3, LC-6).

        A renewal inside the window (renewal_due or overdue) is anchored, so ``lapses_on`` moves
        later; one before the window counts from ``held_on``, as LC-2 says, which can be earlier
        than the ``due`` of an anchored renewal made shortly before.
        """
        old, new = before.status(on), self.replay.status(on)
        event_level = new.decisions[-1].awarded_level if isinstance(event, Assessment) else None
        for award in Award:
            was, now = old.award(award), new.award(award)
            renewed = event_level is not None and award <= event_level
            if was.state.is_held and now.state.is_held:
                assert now.since == was.since
            if renewed:
                assert now.state.is_held
                assert now.since == (was.since if was.state.is_held else on)
                cycle = self.policy.cycle(award)
                if was.state.is_held and was.state is not AwardState.ACTIVE:
                    assert was.due is not None
                    assert was.lapses_on is not None
                    assert now.due == add_years(was.due, cycle)
                    assert now.lapses_on is not None
                    assert now.lapses_on > was.lapses_on
                else:
                    assert now.due == add_years(on, cycle)
            elif was.state.is_held:
                ended_by = (
                    AwardState.REVOKED if isinstance(event, Assessment) else AwardState.WITHDRAWN
                )
                assert now.state is ended_by
                assert now.ended_on == on
            else:
                assert now == was

    @rule(gap=gaps, sought=st.sampled_from(Award), meets=levels)
    def full_assessment(self, gap: int, sought: Award, meets: Award | None) -> None:
        self.day += timedelta(days=gap)
        self.add(assessment(f"A{len(self.events)}", self.day, sought=sought, meets=meets))

    @rule(
        gap=gaps,
        sought=st.sampled_from([Award.CENTRE_OF_EXCELLENCE, Award.FLAGSHIP]),
        meets=levels,
    )
    def annual_review(self, gap: int, sought: Award, meets: Award | None) -> None:
        day = self.day + timedelta(days=gap)
        event = review(f"A{len(self.events)}", day, sought=sought, meets=meets)
        if self.replay.status(day).award(Award.CENTRE_OF_EXCELLENCE).state.is_held:
            self.day = day
            self.add(event)
        else:
            with pytest.raises(InvalidRecord) as raised:
                replay(history(*self.events, event), self.policy)
            assert raised.value.path == f"events[{len(self.events)}].kind"

    @rule(
        award=st.sampled_from(Award),
        which=st.sampled_from(["window", "due", "lapse"]),
        shift=st.integers(-1, 1),
        sought=st.sampled_from(Award),
        meets=levels,
    )
    def renew_at_a_boundary(
        self, award: Award, which: str, shift: int, sought: Award, meets: Award | None
    ) -> None:
        """A full assessment next to the window, due or lapse date of a held award."""
        status = self.replay.status(self.day).award(award)
        if not status.state.is_held or status.due is None or status.lapses_on is None:
            return
        boundary = {
            "window": add_months(status.due, -self.policy.renewal_window_months),
            "due": status.due,
            "lapse": status.lapses_on,
        }[which]
        day = boundary + timedelta(days=shift)
        if day >= self.day:
            self.day = day
            self.add(assessment(f"A{len(self.events)}", day, sought=sought, meets=meets))

    @rule(gap=gaps)
    def withdraw(self, gap: int) -> None:
        self.day += timedelta(days=gap)
        self.add(withdrawal(self.day))

    def statuses(self) -> list[StatusReport]:
        return [self.replay.status(day) for day in sorted(self.checked)]

    @invariant()
    def one_state_per_award_and_the_ladder(self) -> None:
        for report in self.statuses():
            assert [status.award for status in report.awards] == list(Award)
            held = [status.state.is_held for status in report.awards]
            assert held == sorted(held, reverse=True)
            assert report.level == max(
                (s.award for s in report.awards if s.state.is_held), default=None
            )
            for status in report.awards:
                if status.state is AwardState.NOT_HELD:
                    assert (status.since, status.due, status.lapses_on, status.ended_on) == (
                        None,
                        None,
                        None,
                        None,
                    )
                else:
                    assert (status.ended_on is None) == status.state.is_held

    @invariant()
    def timeline_agrees_with_status(self) -> None:
        """The last change of each award on or before a date gives its state on that date.

        Every policy here has a window shorter than any cycle, so a clock set by an event
        starts active.
        """
        changes = self.replay.changes
        assert [c.on for c in changes] == sorted(c.on for c in changes)
        ahead: set[date] = set()
        for status in self.replay.status(self.day).awards:
            if status.state.is_held and status.due is not None and status.lapses_on is not None:
                window = add_months(status.due, -self.policy.renewal_window_months)
                for day in (window, status.due, status.lapses_on):
                    ahead |= {day - timedelta(days=1), day}
        for report in [*self.statuses(), *(self.replay.status(day) for day in sorted(ahead))]:
            for status in report.awards:
                last = [c for c in changes if c.award is status.award and c.on <= report.as_of]
                expected = STATE_AFTER[last[-1].kind] if last else AwardState.NOT_HELD
                assert status.state is expected

    @invariant()
    def lapsed_from_exactly_the_effective_end(self) -> None:
        """With no later event, each held award lapses on the first lapses_on at or below it."""
        last = self.replay.status(self.day)
        ends: list[date] = []
        for status in last.awards:
            if not status.state.is_held:
                break
            assert status.lapses_on is not None
            end = min([*ends, status.lapses_on])
            ends.append(end)
            assert self.replay.status(end - timedelta(days=1)).award(status.award).state.is_held
            lapsed = self.replay.status(end).award(status.award)
            assert lapsed.state is AwardState.LAPSED
            assert lapsed.ended_on == end
            assert lapsed.lapses_on == status.lapses_on


LifecycleMachine.TestCase.settings = settings(max_examples=50, stateful_step_count=15)
test_lifecycle_machine = LifecycleMachine.TestCase

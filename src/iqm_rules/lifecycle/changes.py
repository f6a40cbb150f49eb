"""Describing each state change as the replay makes it, or not at all (RULEBOOK §4).

The functions of :mod:`.clocks` tell a *notebook* of every change they make; what the notebook
does with it is the one place where a replay for a timeline and a replay for a status differ.
:class:`Timeline` writes each change down as a :class:`~.records.Change`, with its detail text;
:data:`UNDESCRIBED` writes nothing (:func:`~.replay.status` and :func:`~.replay.upcoming`
read only the clocks and decisions of each step: describing the changes was a tenth of the
cost of a status).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from iqm_rules._registry import carries_out
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision
from iqm_rules.lifecycle.records import Change, ChangeKind, Clock
from iqm_rules.policy import Policy

__all__ = ["UNDESCRIBED", "Notebook", "Timeline"]

_KIND_ORDER: Mapping[ChangeKind, int] = MappingProxyType({k: i for i, k in enumerate(ChangeKind)})

_Key = tuple[date, int, int, int]


class Notebook:
    """What the clock functions tell of each change; this one writes nothing down."""

    __slots__ = ()

    def passing(self, award: Award, clock: Clock, until: date) -> None:
        """Time passed for the held ``clock`` of ``award`` until ``until``."""

    def lapsed(self, award: Award, clock: Clock, on: date, detail: str) -> None:
        """``award`` lapsed on ``on``, after the time that passed for ``clock`` until then."""

    def set(
        self,
        award: Award,
        held: Clock | None,
        clock: Clock,
        decision: Decision,
        policy: Policy,
        index: int,
        assessment_id: str,
    ) -> None:
        """A decision awarded ``award`` (``held`` is ``None``) or renewed it: ``clock`` now."""

    def ended(
        self,
        award: Award,
        kind: ChangeKind,
        on: date,
        reason: str,
        index: int,
        assessment_id: str | None,
    ) -> None:
        """An event ended ``award`` on ``on`` (revoked or withdrawn)."""

    def changes(self) -> tuple[Change, ...]:
        """Every change written down, in timeline order."""
        return ()


UNDESCRIBED = Notebook()
"""The notebook of a replay for a status: nothing is described."""


class Timeline(Notebook):
    """Writes every change down, to be listed in timeline order (see :meth:`changes`)."""

    __slots__ = ("_written",)

    def __init__(self) -> None:
        self._written: list[tuple[_Key, Change]] = []

    def _add(self, change: Change) -> None:
        """Keyed so that on each date time passing comes first, by level and kind, then the
        changes of the events in the order they were applied."""
        if change.event_index is None:
            key = (change.on, 0, change.award.rank, _KIND_ORDER[change.kind])
        else:
            key = (change.on, 1, len(self._written), 0)
        self._written.append((key, change))

    @carries_out("LC-5")
    def passing(self, award: Award, clock: Clock, until: date) -> None:
        """Window-opened and overdue changes of ``clock`` that happen before ``until`` (LC-5)."""
        if clock.set_on < clock.window_opens < min(clock.due, until):
            self._add(
                _change(
                    on=clock.window_opens,
                    award=award,
                    kind=ChangeKind.WINDOW_OPENED,
                    detail=f"renewal window opens; due {clock.due.isoformat()}",
                )
            )
        if clock.due < until:
            self._add(
                _change(
                    on=clock.due,
                    award=award,
                    kind=ChangeKind.OVERDUE,
                    detail=(
                        f"due date passed; lapses on {clock.lapses_on.isoformat()} unless renewed"
                    ),
                )
            )

    def lapsed(self, award: Award, clock: Clock, on: date, detail: str) -> None:
        self.passing(award, clock, on)
        self._add(_change(on=on, award=award, kind=ChangeKind.LAPSED, detail=detail))

    def set(
        self,
        award: Award,
        held: Clock | None,
        clock: Clock,
        decision: Decision,
        policy: Policy,
        index: int,
        assessment_id: str,
    ) -> None:
        on = clock.set_on
        kind = ChangeKind.AWARDED if held is None else ChangeKind.RENEWED
        how = "from held_on" if held is None or on < held.window_opens else "anchored"
        detail = f"{decision.outcome}; due {clock.due.isoformat()} ({how}), policy {policy.id}"
        self._add(
            _change(
                on=on,
                award=award,
                kind=kind,
                detail=detail,
                event_index=index,
                assessment_id=assessment_id,
            )
        )

    def ended(
        self,
        award: Award,
        kind: ChangeKind,
        on: date,
        reason: str,
        index: int,
        assessment_id: str | None,
    ) -> None:
        self._add(
            _change(
                on=on,
                award=award,
                kind=kind,
                detail=reason,
                event_index=index,
                assessment_id=assessment_id,
            )
        )

    def changes(self) -> tuple[Change, ...]:
        return tuple(change for _, change in sorted(self._written, key=lambda entry: entry[0]))


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

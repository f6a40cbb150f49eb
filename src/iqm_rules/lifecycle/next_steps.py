"""What must happen next, and by when: each held award's renewal, in plain terms (RULEBOOK §4).

:func:`next_steps` reads a :class:`~iqm_rules.lifecycle.replay.Replay` on a date and lists, for every
award held then, the assessment that renews it, its due date, the day its renewal window opens
(LC-2, LC-5), the day it lapses without renewal and the awards above it that end with it (LC-4).
The dates come from the clock of each award as the policy that set it made them (LC-8).

>>> from datetime import date
>>> from iqm_rules.interchange.examples import example_text
>>> from iqm_rules.interchange import load_history
>>> from iqm_rules.lifecycle.replay import replay
>>> school = replay(load_history(example_text("first-award")))
>>> [step.describe() for step in next_steps(school, date(2025, 9, 1))]
['Inclusive School Award: reassessment due by 12 March 2027; the renewal window opens on 12 September 2026; without it the award lapses on 12 June 2027']
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from attrs import field, frozen

from iqm_rules._terms import Term
from iqm_rules.awards import Award
from iqm_rules.lifecycle.replay import AwardState, Replay, StatusReport

__all__ = ["NextStep", "Renewal", "flagship_eligibility", "long_date", "next_steps"]


class Renewal(Term):
    """The assessment that renews an award: a full reassessment or an annual review."""

    REASSESSMENT = ("reassessment", "reassessment")
    ANNUAL_REVIEW = ("annual_review", "annual review")

    @classmethod
    def of(cls, award: Award) -> Renewal:
        """Inclusive School Award is reassessed; Centre of Excellence and Flagship reviewed."""
        return cls.REASSESSMENT if award is Award.INCLUSIVE_SCHOOL else cls.ANNUAL_REVIEW


def _awards(awards: Iterable[Award]) -> tuple[Award, ...]:
    return tuple(awards)


@frozen
class NextStep:
    """One held award's renewal: what renews it, when it is due, and what ends without it.

    ``lapses_on`` is the day it stops being held if nothing is renewed (its own ``due +
    grace_months`` or, if earlier, the end of the level below, LC-4); ``also_ends`` the held
    awards above it that end on that day too (none outlives it, LC-4).
    """

    award: Award
    state: AwardState
    what: Renewal
    due: date
    window_opens: date
    lapses_on: date
    also_ends: tuple[Award, ...] = field(converter=_awards, default=())

    def describe(self, as_of: date | None = None) -> str:
        """The step in plain words; with ``as_of``, an open window says it opened."""
        past = as_of is not None and self.due <= as_of
        opened = as_of is not None and self.window_opens <= as_of
        text = (
            f"{self.award.title}: {self.what.title} {'was ' if past else ''}due by "
            f"{long_date(self.due)}; the renewal window {'opened' if opened else 'opens'} on "
            f"{long_date(self.window_opens)}; without it the award lapses on "
            f"{long_date(self.lapses_on)}"
        )
        if self.also_ends:
            text += f", and {_and(a.title for a in self.also_ends)} with it"
        return text


def long_date(day: date) -> str:
    """A date as people write it: ``1 July 2026``."""
    return f"{day.day} {day:%B %Y}"


def flagship_eligibility(report: StatusReport) -> str | None:
    """When Flagship may first be awarded (LC-7, FS-4), in plain words; None while held."""
    if report.award(Award.FLAGSHIP).state.is_held:
        return None
    if report.flagship_eligible_from is None:
        return (
            "Flagship School: not yet within reach; Centre of Excellence must be held first (LC-7)"
        )
    when = long_date(report.flagship_eligible_from)
    was = "eligible since" if report.flagship_eligible_from <= report.as_of else "eligible from"
    return f"Flagship School: {was} {when} if every Flagship rule is met (LC-7, FS-4)"


def _and(words: Iterable[str]) -> str:
    listed = list(words)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def next_steps(replayed: Replay, as_of: date) -> tuple[NextStep, ...]:
    """The renewal of every award held on ``as_of``, lowest level first."""
    horizon = (date.max - as_of).days
    held = sorted(replayed.upcoming(as_of, days=horizon), key=lambda item: item.award.rank)
    return tuple(
        NextStep(
            award=item.award,
            state=item.state,
            what=Renewal.of(item.award),
            due=item.due,
            window_opens=item.window_opens,
            lapses_on=item.ends_on,
            also_ends=(
                above.award
                for above in held
                if above.award > item.award and above.ends_on == item.ends_on
            ),
        )
        for item in held
    )

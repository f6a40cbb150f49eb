"""Histories whose recorded outcomes agree, or disagree on purpose, with the rules."""

from __future__ import annotations

from datetime import date

from attrs import evolve
from hypothesis import settings
from hypothesis import strategies as st

from iqm_rules.assessment import Assessment, RecordedOutcome
from iqm_rules.awards import Award
from iqm_rules.history import SchoolHistory, event_date
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.lifecycle.replay import status
from iqm_rules.testing import school_histories

FEW = settings(max_examples=max(10, settings().max_examples // 4))
"""For properties over whole histories, which are slow to generate: a quarter of the profile's."""

LEVELS: tuple[Award | None, ...] = (None, *Award)


def last_date(history: SchoolHistory) -> date:
    """The date of the history's last event (or an arbitrary date if it has none)."""
    return max((event_date(e) for e in history.events), default=date(2024, 1, 1))


def decided_levels(history: SchoolHistory) -> dict[str, Award | None]:
    """The awarded level of every assessment, replaying the whole history."""
    report = status(history, last_date(history))
    return {d.assessment_id: d.awarded_level for d in report.decisions}


def recording(history: SchoolHistory, levels: dict[str, Award | None]) -> SchoolHistory:
    """``history`` with each assessment in ``levels`` recorded as awarded that level."""
    events = [
        evolve(e, recorded_outcome=RecordedOutcome(levels[e.id]))
        if isinstance(e, Assessment) and e.id in levels
        else e
        for e in history.events
    ]
    return evolve(history, events=events)


def agreeing(history: SchoolHistory) -> SchoolHistory:
    """``history`` with every recorded outcome equal to what the rules decide."""
    return recording(history, decided_levels(history))


def other_level(level: Award | None, shift: int) -> Award | None:
    """A level different from ``level`` (``shift`` ≥ 1 picks which)."""
    index = LEVELS.index(level)
    return LEVELS[(index + 1 + shift % (len(LEVELS) - 1)) % len(LEVELS)]


@st.composite
def disagreeing(draw: st.DrawFn) -> tuple[SchoolHistory, frozenset[str]]:
    """A history with at least one assessment, recorded outcomes agreeing except for a chosen
    non-empty subset, whose ids come with it."""
    history = draw(
        school_histories(max_events=4).filter(
            lambda h: any(isinstance(e, Assessment) for e in h.events)
        )
    )
    levels = decided_levels(history)
    ids = sorted(levels)
    wrong = draw(st.frozensets(st.sampled_from(ids), min_size=1))
    shift = draw(st.integers(0, 10))
    recorded = {
        i: other_level(level, shift) if i in wrong else level for i, level in levels.items()
    }
    return recording(history, recorded), wrong


def example(name: str) -> SchoolHistory:
    """A bundled example history."""
    return load_history(example_text(name))

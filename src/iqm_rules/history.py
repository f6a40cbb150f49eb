"""A school and its history of assessments and withdrawals (RULEBOOK §1).

Construction checks what needs no replay: unique assessment ids and no event of another school.
Whether a review was held while the school held a Centre of Excellence or Flagship award needs the
replay of :mod:`iqm_rules.lifecycle.replay`, which raises the same :class:`InvalidRecord`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules.assessment import Assessment
from iqm_rules.errors import InvalidRecord, written

__all__ = ["Event", "School", "SchoolHistory", "Withdrawal", "event_date"]


@frozen
class School:
    """The school a history belongs to."""

    id: str = field(validator=v.non_empty_text)
    name: str = field(validator=v.text)


@frozen
class Withdrawal:
    """The school left the scheme on ``on``: every held level ends then (LC-6)."""

    on: date = field(validator=v.a_date)
    reason: str = field(default="", validator=v.text)
    school_id: str | None = field(
        default=None, validator=attrs.validators.optional(v.non_empty_text)
    )


Event = Assessment | Withdrawal


def event_date(event: Event) -> date:
    """The date an event takes effect."""
    return event.held_on if isinstance(event, Assessment) else event.on


@frozen
class SchoolHistory:
    """A school and its events in input order (they are applied in date order, LC rules)."""

    school: School = field()
    events: tuple[Event, ...] = field(default=(), converter=v.a_tuple)

    @school.validator
    def _check_school(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, School):
            raise InvalidRecord(attribute.name, f"must be a School, got {value!r}")

    @events.validator
    def _check_events(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidRecord(attribute.name, "must be a sequence of assessments and withdrawals")
        first_index: dict[str, int] = {}
        for index, event in enumerate(value):
            where = written((attribute.name, index))
            if not isinstance(event, Assessment | Withdrawal):
                raise InvalidRecord(where, f"must be an Assessment or a Withdrawal, got {event!r}")
            if event.school_id is not None and event.school_id != self.school.id:
                raise InvalidRecord(
                    f"{where}.school_id",
                    f"event of another school: {event.school_id!r}, "
                    f"this history is of {self.school.id!r}",
                )
            if isinstance(event, Assessment):
                if event.id in first_index:
                    raise InvalidRecord(
                        f"{where}.id",
                        f"duplicate assessment id {event.id!r} "
                        f"(first used at events[{first_index[event.id]}])",
                    )
                first_index[event.id] = index

    def assessment(self, assessment_id: str) -> Assessment:
        """The assessment with this id; ``KeyError`` if there is none."""
        for event in self.events:
            if isinstance(event, Assessment) and event.id == assessment_id:
                return event
        raise KeyError(assessment_id)

"""Realistic, deterministic ``iqm-rules/history@1`` documents for the benchmarks.

Every document is built from a seeded :class:`random.Random`, so a seed always gives the same
text. A school's journey: full assessments seeking any level, with 15-40 evidence items each
(mostly recent, some older than the evidence window), annual reviews only while a Centre of
Excellence is surely held (within 12 months of the last decision that awarded it, RULEBOOK §7.1),
occasional withdrawals, and some weak assessments that are refused or granted a lower level.

>>> rng = random.Random(1)
>>> document = school(rng, 1)
>>> document["format"], document["school"]["id"]
('iqm-rules/history@1', 'URN-100001')
>>> school(random.Random(1), 1) == document
True
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from iqm_rules._dates import add_months
from iqm_rules.assessment import Commitment
from iqm_rules.evidence import EvidenceKind
from iqm_rules.principles import Element, Principle

__all__ = ["long_history", "newcomers", "scheme", "school"]

ELEMENTS = [e.value for e in Element]
PRINCIPLES = [p.value for p in Principle]
KINDS = [k.value for k in EvidenceKind]
VOICES = [k.value for k in EvidenceKind if k.is_voice]
COMMITMENTS = [c.value for c in Commitment]
CE_COMMITMENTS = COMMITMENTS[:6]
LEVELS = ["inclusive_school", "centre_of_excellence", "flagship"]
SUMMARIES = [
    "Pupil panel on belonging and friendships",
    "Lesson observation: adaptive teaching in mixed-attainment groups",
    "Attendance and attainment data for disadvantaged pupils",
    "Governors' inclusion committee minutes",
    "Parent forum feedback on communication",
    "Staff survey on training in inclusive practice",
    "Local authority review of provision",
    "Curriculum map showing adaptations",
]

Document = dict[str, Any]


def _evidence(rng: random.Random, prefix: str, held_on: date, count: int) -> list[Document]:
    """``count`` items; the first 16 cover every element twice, every principle and the voices.

    With 15 items one element has a single item, so EV-1 fails and the assessment is refused.
    """
    items: list[Document] = []
    for number in range(count):
        if number < 16:
            element = ELEMENTS[number % 8]
            principles = [PRINCIPLES[number % 4], PRINCIPLES[(number + 1) % 4]]
            kind = VOICES[(number // 2) % 4] if number % 2 else rng.choice(KINDS)
            age = rng.randint(0, 500)
        else:
            element = rng.choice(ELEMENTS)
            principles = rng.sample(PRINCIPLES, rng.randint(1, 3))
            kind = rng.choice(KINDS)
            age = rng.randint(0, 760)
        items.append(
            {
                "id": f"{prefix}-E{number + 1:02d}",
                "element": element,
                "principles": principles,
                "kind": kind,
                "collected_on": (held_on - timedelta(days=age)).isoformat(),
                "summary": rng.choice(SUMMARIES),
            }
        )
    return items


def _assessment(
    rng: random.Random, prefix: str, held_on: date, kind: str, sought: str
) -> tuple[Document, bool]:
    """An assessment, and whether it surely awards centre_of_excellence or more (any other
    decision ends a centre_of_excellence held before it, LC-3)."""
    quality = rng.random()
    count = rng.randint(15, 40)
    meets_is = quality < 0.9 and count >= 16
    meets_coe = meets_is and quality < 0.8
    judgements = {e: rng.choice(["established", "embedded"]) for e in ELEMENTS}
    if meets_coe:
        for element in ELEMENTS[:4] if rng.random() < 0.5 else ELEMENTS:
            judgements[element] = "embedded"
    else:
        judgements["inclusion_values"] = "established"
    if quality >= 0.9:
        judgements[rng.choice(ELEMENTS)] = "developing"
    document: Document = {
        "type": "assessment",
        "id": prefix,
        "held_on": held_on.isoformat(),
        "kind": kind,
        "level_sought": sought,
        "judgements": judgements,
        "evidence": _evidence(rng, prefix, held_on, count),
        "commitments": COMMITMENTS if sought == "flagship" else CE_COMMITMENTS,
        "cluster_meetings_attended": rng.randint(1, 5),
    }
    coe = meets_coe and sought != "inclusive_school"
    if sought != "flagship":
        level = sought if coe or sought == "inclusive_school" else "inclusive_school"
        document["recorded_outcome"] = {"awarded_level": level if meets_is else None}
    return document, coe


def _events(rng: random.Random, prefix: str, start: date, count: int, gap: int) -> list[Document]:
    """``count`` events from ``start``, full assessments ``gap`` months or less apart."""
    events: list[Document] = []
    day = start
    coe_granted: date | None = None
    for number in range(count):
        review_due = coe_granted is not None and rng.random() < 0.7
        if review_due and coe_granted is not None:
            day = max(day, add_months(coe_granted, rng.randint(10, 11)))
        else:
            day = add_months(day, rng.randint(1, gap))
        if rng.random() < 0.04:
            events.append({"type": "withdrawal", "on": day.isoformat(), "reason": "Left"})
            coe_granted = None
            continue
        if review_due:
            kind, sought = "review", rng.choice(LEVELS[1:])
        else:
            kind, sought = "full", rng.choices(LEVELS, weights=(4, 4, 2))[0]
        event, coe = _assessment(rng, f"{prefix}-{number + 1:05d}", day, kind, sought)
        events.append(event)
        coe_granted = day if coe else None
    return events


def school(rng: random.Random, number: int, *, assessments: int | None = None) -> Document:
    """One school of the scheme: a few events (2-6 unless ``assessments`` is given)."""
    start = date(2005, 1, 1) + timedelta(days=rng.randint(0, 15 * 365))
    count = assessments if assessments is not None else rng.randint(2, 6)
    urn = f"URN-{100000 + number}"
    return {
        "format": "iqm-rules/history@1",
        "school": {"id": urn, "name": f"School {number}"},
        "events": _events(rng, urn, start, count, gap=40),
    }


def long_history(events: int, *, seed: int = 2025) -> Document:
    """One school with ``events`` events, close together (1-3 months) to stay within year 9999."""
    rng = random.Random(seed)
    return {
        "format": "iqm-rules/history@1",
        "school": {"id": "URN-199999", "name": "Long Road Academy"},
        "events": _events(rng, "LR", date(2000, 1, 1), events, gap=3),
    }


def scheme(schools: int, *, seed: int = 2025) -> Iterator[str]:
    """One JSON line per school, ``schools`` of them."""
    rng = random.Random(seed)
    for number in range(1, schools + 1):
        yield json.dumps(school(rng, number), separators=(",", ":"))


def newcomers(schools: int, *, seed: int = 2026) -> Iterator[str]:
    """One JSON line per school new to the scheme: a single event each."""
    rng = random.Random(seed)
    for number in range(1, schools + 1):
        yield json.dumps(school(rng, number, assessments=1), separators=(",", ":"))

"""The generated part of the suite: seeded school histories, the same on every run.

:func:`generated` draws :data:`COUNT` histories from a :class:`random.Random` seeded with
:data:`SEED` (no Hypothesis: the corpus must not change when a test library does). Each history
is built event by event: the next date is drawn near the boundaries of what the school holds
(the day its renewal window opens, the day before it is due, the due date, the last day of
grace, the lapse day) or at random; an assessment is a review when Centre of Excellence or
Flagship is held, and meets the rules up to a drawn level, failing one rule of the level above
it (EV-1 … FS-3; FS-4 follows from the history). Some evidence is collected on the first day
of the window or the day before it, some stale; some histories withdraw. Each is decided under
one of :data:`POLICIES` (policies and books), and asks one to three questions.

Only lists and tuples are drawn from, in a fixed order: no set's order (which changes with the
hash seed) reaches the random generator or the output.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any, Final

from attrs import frozen

from iqm_rules._dates import add_months
from iqm_rules.assessment import Commitment
from iqm_rules.evidence import EvidenceKind
from iqm_rules.interchange import load_history, load_policy
from iqm_rules.interchange.formats import HISTORY_FORMAT, POLICY_FORMAT
from iqm_rules.lifecycle.replay import replay
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = ["COUNT", "POLICIES", "SEED", "Generated", "generated"]

SEED: Final = 27_2025
COUNT: Final = 300

ELEMENTS: Final = tuple(e.value for e in Element)
PRINCIPLES: Final = tuple(p.value for p in Principle)
VOICES: Final = ("pupil_voice", "parent_voice", "staff_voice", "governor_voice")
OTHER_KINDS: Final = tuple(k.value for k in EvidenceKind if not k.is_voice)
CE_COMMITMENTS: Final = tuple(c.value for c in Commitment)[:6]
FS_COMMITMENTS: Final = tuple(c.value for c in Commitment)[6:]
LEVELS: Final = ("inclusive_school", "centre_of_excellence", "flagship")
RULES_OF: Final = {
    None: ("EV-1", "EV-2", "EV-3", "IS-1"),
    "inclusive_school": ("CE-1", "CE-2"),
    "centre_of_excellence": ("FS-1", "FS-2", "FS-3"),
}
"""The rules an assessment meeting a level (None: none) may be drawn to fail, one level up."""


def _policy(id: str, since: str, **parameters: object) -> dict[str, Any]:
    return {"id": id, "effective_from": since, **parameters}


POLICIES: Final[tuple[tuple[str, Mapping[str, Any] | None], ...]] = (
    ("default", None),
    (
        "more-than",
        {"format": POLICY_FORMAT, **_policy("conf-more-than", "2000-01-01")}
        | {"flagship_boundary": "more_than"},
    ),
    (
        "tight",
        {"format": POLICY_FORMAT}
        | _policy(
            "conf-tight",
            "2000-01-01",
            evidence_window_months=12,
            min_voice_kinds=2,
            coe_min_embedded=5,
            flagship_min_coe_years=2,
            renewal_window_months=3,
            grace_months=1,
        ),
    ),
    (
        "long-cycles",
        {"format": POLICY_FORMAT}
        | _policy(
            "conf-long",
            "2000-01-01",
            min_items_per_element=3,
            min_items_per_principle=3,
            flagship_min_cluster_meetings=3,
            cycle_years={"inclusive_school": 4, "centre_of_excellence": 2, "flagship": 2},
            grace_months=6,
        ),
    ),
    (
        "book-2019",
        {
            "format": POLICY_FORMAT,
            "policies": [
                _policy("conf-base", "2000-01-01"),
                _policy("conf-2019", "2019-09-01", flagship_boundary="more_than", grace_months=2),
            ],
        },
    ),
    (
        "book-three",
        {
            "format": POLICY_FORMAT,
            "policies": [
                _policy("conf-first", "2000-01-01", renewal_window_months=4),
                _policy("conf-2016", "2016-01-01", evidence_window_months=12),
                _policy(
                    "conf-2021",
                    "2021-09-01",
                    cycle_years={"inclusive_school": 2},
                    coe_required_embedded=["inclusion_values", "assessment"],
                ),
            ],
        },
    ),
)
"""The policies the generated histories are decided under, by name (``None``: the defaults)."""

_POLICY_WEIGHTS: Final = (5, 2, 2, 2, 2, 2)


@frozen
class Generated:
    """One generated history, the policy it is decided under and the questions it asks."""

    number: int
    policy_name: str
    history: Mapping[str, Any]
    policy: Mapping[str, Any] | None
    questions: tuple[Mapping[str, str], ...]


def _iso(day: date) -> str:
    return day.isoformat()


def _start(rng: random.Random) -> date:
    day = date(2008, 1, 1) + timedelta(days=rng.randrange(14 * 365))
    pick = rng.random()
    if pick < 0.1:
        return add_months(day.replace(day=1), 1) - timedelta(days=1)  # a month's last day
    if pick < 0.15:
        return date(rng.choice((2008, 2012, 2016, 2020)), 2, 29)
    return day


def _judgements(rng: random.Random, meets: str | None, breaks: str | None) -> dict[str, str]:
    if meets == "flagship" or (meets == "centre_of_excellence" and rng.random() < 0.3):
        marks = ["embedded"] * len(ELEMENTS)
    elif meets == "centre_of_excellence":
        embedded = ["inclusion_values", "assessment", *rng.sample(ELEMENTS[1:], 4)]
        marks = ["embedded" if e in embedded else "established" for e in ELEMENTS]
    else:
        marks = [rng.choice(("established", "established", "embedded")) for _ in ELEMENTS]
    if breaks == "IS-1":
        marks[rng.randrange(len(ELEMENTS))] = rng.choice(("developing", "not_evidenced"))
    elif breaks == "CE-1":
        if rng.random() < 0.5:
            marks = ["established"] * len(ELEMENTS)
            for index in rng.sample(range(1, len(ELEMENTS)), rng.choice((3, 5))):
                marks[index] = "embedded"  # enough embedded, but not inclusion_values
        else:
            marks = ["embedded"] * 3 + ["established"] * (len(ELEMENTS) - 3)
    elif breaks == "FS-1":
        marks = ["embedded"] * len(ELEMENTS)
        marks[rng.randrange(1, len(ELEMENTS))] = "established"
    elif meets is None and breaks is None:
        marks[0] = "developing"
    return dict(zip(ELEMENTS, marks, strict=True))


def _evidence(rng: random.Random, held_on: date, breaks: str | None) -> list[dict[str, Any]]:
    """Two or three recent items per element; with ``breaks`` one of EV-1 … EV-3 fails."""
    thin_element = rng.randrange(len(ELEMENTS)) if breaks == "EV-1" else -1
    thin_principle = rng.choice(PRINCIPLES) if breaks == "EV-2" else None
    voices = VOICES[: rng.choice((1, 2))] if breaks == "EV-3" else VOICES
    window_opens = add_months(held_on, -18)
    items: list[dict[str, Any]] = []
    for index, element in enumerate(ELEMENTS):
        count = 1 if index == thin_element else rng.choice((2, 3, 3))
        for _ in range(count):
            n = len(items)
            principles = [p for p in PRINCIPLES if p != thin_principle or n == 0]
            if rng.random() < 0.2:
                principles = rng.sample(principles, max(1, len(principles) - 1)) or principles
            kinds = voices if n % 2 == 0 else OTHER_KINDS
            back = 330 if rng.random() < 0.85 else (held_on - window_opens).days
            when = held_on - timedelta(days=rng.randrange(back))
            if rng.random() < 0.04:
                when = window_opens  # the first day of the window counts
            items.append(
                {
                    "id": f"E{n + 1}",
                    "element": element,
                    "principles": principles,
                    "kind": kinds[(n // 2) % len(kinds)],
                    "collected_on": _iso(when),
                    "summary": rng.choice(("", "Pupil panel", "Lesson observation", "Survey")),
                }
            )
    if thin_principle is not None:
        for item in items[1:]:
            item["principles"] = [p for p in item["principles"] if p != thin_principle] or [
                p for p in PRINCIPLES if p != thin_principle
            ]
    for _ in range(rng.choice((0, 0, 1, 2))):  # stale: ignored
        stale = window_opens - timedelta(days=rng.choice((1, 1, 40, 400)))
        items.append(
            {
                "id": f"E{len(items) + 1}",
                "element": rng.choice(ELEMENTS),
                "principles": [rng.choice(PRINCIPLES)],
                "kind": rng.choice(VOICES + OTHER_KINDS),
                "collected_on": _iso(stale),
                "summary": "An older item",
            }
        )
    rng.shuffle(items)
    return items


def _assessment(
    rng: random.Random, number: int, held_on: date, review: bool, seek: str | None
) -> dict[str, Any]:
    """An assessment seeking ``seek`` (else a drawn level) meeting a drawn level's rules."""
    if seek is not None:
        sought = seek
    elif review:
        sought = rng.choice(LEVELS[1:])
    else:
        sought = rng.choice(LEVELS)
    rank = LEVELS.index(sought)
    if rng.random() < (0.85 if seek else 0.55):
        meets: str | None = sought
    else:
        meets = rng.choice((None, *LEVELS[:rank]))
    breaks = None if meets == sought else rng.choice(RULES_OF[meets])
    if meets is None and rng.random() < 0.3:
        breaks = None  # fails IS-1 by a developing element (see _judgements)
    commitments: list[str] = []
    if meets in ("centre_of_excellence", "flagship") or breaks == "CE-2" or rng.random() < 0.3:
        commitments = list(CE_COMMITMENTS)
        if breaks == "CE-2":
            commitments.remove(rng.choice(CE_COMMITMENTS))
    if meets == "flagship" or breaks in ("FS-2", "FS-3"):
        commitments += list(FS_COMMITMENTS)
        if breaks == "FS-2":
            commitments.remove(rng.choice(FS_COMMITMENTS))
    if rng.random() < 0.1 and commitments:
        commitments.append(commitments[0])  # repeated: collapses (§7.10)
    meetings = rng.choice((2, 3, 4)) if meets == "flagship" else rng.choice((0, 1, 2))
    if breaks == "FS-3":
        meetings = rng.choice((0, 1))
    assessment: dict[str, Any] = {
        "type": "assessment",
        "id": f"A{number}",
        "held_on": _iso(held_on),
        "kind": "review" if review else "full",
        "level_sought": sought,
        "judgements": _judgements(rng, meets, breaks),
        "evidence": _evidence(rng, held_on, breaks if breaks in RULES_OF[None] else None),
        "commitments": commitments,
    }
    if meetings or rng.random() < 0.5:
        assessment["cluster_meetings_attended"] = meetings
    if rng.random() < 0.15:
        assessment["recorded_outcome"] = {"awarded_level": rng.choice((None, *LEVELS))}
    return assessment


def _next_date(rng: random.Random, last: date, held: list[tuple[date, date]]) -> date:
    """Near a boundary of a held award (due, window, grace), or a while after ``last``."""
    candidates: list[date] = []
    for due, lapses in held:
        candidates += [
            add_months(due, -6),
            add_months(due, -6) - timedelta(days=1),
            due - timedelta(days=1),
            due,
            lapses - timedelta(days=1),
            lapses,
            due + timedelta(days=rng.randrange(1, 60)),
        ]
    candidates = [day for day in candidates if day >= last]
    if candidates and rng.random() < 0.7:
        return rng.choice(candidates)
    if rng.random() < 0.06:
        return last  # the same day: events in input order
    return last + timedelta(days=rng.randrange(30, 5 * 365))


def _history(rng: random.Random, number: int, policy: Policy | PolicyBook) -> dict[str, Any]:
    school = {"id": f"URN-9{number:05d}", "name": f"Generated School {number}"}
    document: dict[str, Any] = {"format": HISTORY_FORMAT, "school": school, "events": []}
    journey = rng.random() < 0.35
    day = _start(rng)
    for index in range(rng.choice((1, 2, 3, 3, 4, 5, 6, 7)) + (3 if journey else 0)):
        report = replay(load_history(document), policy).status(day)
        held = [(s.due, s.lapses_on) for s in report.awards if s.state.is_held and s.due]
        if index and rng.random() < 0.07:
            reason = rng.choice(("School closed", "", "Left the scheme"))
            withdrawal: dict[str, Any] = {"type": "withdrawal", "on": _iso(day)}
            if reason or rng.random() < 0.5:
                withdrawal["reason"] = reason
            document["events"].append(withdrawal)
        else:
            holds = {s.award.value for s in report.awards if s.state.is_held}
            review = bool(holds & {"centre_of_excellence", "flagship"}) and rng.random() < 0.75
            seek = None
            if journey:  # towards Flagship: Centre of Excellence renewed until FS-4 may pass
                eligible = report.flagship_eligible_from
                seek = "flagship" if eligible and eligible <= day else "centre_of_excellence"
            document["events"].append(_assessment(rng, index + 1, day, review, seek))
        dues = [(due, lapses) for due, lapses in held if lapses]
        if journey and dues and rng.random() < 0.85:
            day = max(day, min(dues)[0] - timedelta(days=rng.randrange(40)))
        else:
            day = _next_date(rng, day, dues)
    return document


def _questions(
    rng: random.Random, number: int, history: Mapping[str, Any], policy: Policy | PolicyBook
) -> tuple[Mapping[str, str], ...]:
    events = history["events"]
    last = date.fromisoformat(events[-1].get("held_on") or events[-1]["on"])
    changes = replay(load_history(history), policy).changes
    days = [last, last + timedelta(days=rng.randrange(1, 6 * 365))]
    days += [c.on + timedelta(days=rng.choice((-1, 0, 0, 1))) for c in changes]
    as_of = rng.choice(days)
    questions: list[Mapping[str, str]] = [{"ask": "status", "as_of": _iso(as_of)}]
    if number % 4 == 0:
        questions.append({"ask": "status", "as_of": _iso(rng.choice(days))})
    assessments = [e["id"] for e in events if e["type"] == "assessment"]
    if number % 2 == 0 and assessments:
        questions.append({"ask": "decision", "assessment": rng.choice(assessments)})
    if number % 3 == 0:
        questions.append({"ask": "timeline", "as_of": _iso(as_of)})
    return tuple(q for n, q in enumerate(questions) if q not in questions[:n])


def generated(seed: int = SEED, count: int = COUNT) -> Iterator[Generated]:
    """The generated histories, their policies and questions: the same for the same arguments."""
    rng = random.Random(seed)
    books = {
        name: DEFAULT_POLICY if document is None else load_policy(document)
        for name, document in POLICIES
    }
    names = [name for name, _ in POLICIES]
    documents = dict(POLICIES)
    for number in range(1, count + 1):
        name = rng.choices(names, weights=_POLICY_WEIGHTS)[0]
        history = _history(rng, number, books[name])
        questions = _questions(rng, number, history, books[name])
        yield Generated(number, name, history, documents[name], questions)

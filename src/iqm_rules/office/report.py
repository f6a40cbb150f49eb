"""The data of a school's report page: who, what it holds, what is next, and its journey drawn.

:func:`page` computes everything the page shows, as plain values (text, dates and SVG
coordinates), so that it can be tested without a template engine; :func:`render_html` fills
the page template (Jinja2, autoescaped; the ``report`` extra) with it. The journey is one lane
per award: held periods as bars, renewal windows and grace periods shaded, each assessment a
marker coloured by outcome (with a shape of its own), withdrawals and today as lines. Colours
are the Okabe-Ito palette, which colour-blind readers can tell apart; every mark has a title.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from typing import Final

from attrs import frozen

from iqm_rules.assessment import Assessment, AssessmentKind
from iqm_rules.auditing.audit import compare
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Outcome
from iqm_rules.history import SchoolHistory, Withdrawal
from iqm_rules.lifecycle.next_steps import next_steps
from iqm_rules.lifecycle.replay import ChangeKind, replay
from iqm_rules.office.said import (
    action_lines,
    decision_said,
    disagreement_said,
    finding_said,
    flagship_said,
    level_said,
    next_step_said,
    rule_title,
    shortfall_said,
    situation_said,
)
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.words import ENGLISH, Words

__all__ = ["Bar", "DecisionPart", "Lane", "Mark", "Page", "page", "render_html"]

WIDTH: Final = 1000
"""The journey's width in SVG units; lanes start at ``LEFT``."""
LEFT: Final = 170
LANE: Final = 46
TOP: Final = 24

COLOURS: Final = {
    "held": "#0072B2",
    "window": "#E69F00",
    "grace": "#D55E00",
    Outcome.GRANTED.value: "#009E73",
    Outcome.GRANTED_LOWER.value: "#56B4E9",
    Outcome.REFUSED.value: "#CC79A7",
    "withdrawal": "#000000",
    "today": "#000000",
}
"""Okabe-Ito colours by what they mark."""

_STYLE_OF: Final = {
    ChangeKind.AWARDED: "held",
    ChangeKind.RENEWED: "held",
    ChangeKind.WINDOW_OPENED: "window",
    ChangeKind.OVERDUE: "grace",
}


@frozen
class Bar:
    """One stretch of one lane: ``x``/``width`` in SVG units; ``kind`` held, window or grace."""

    x: float
    width: float
    kind: str
    colour: str
    title: str


@frozen
class Lane:
    """One award's lane: its title, its ``y`` and its bars."""

    title: str
    y: float
    bars: tuple[Bar, ...]


@frozen
class Mark:
    """An assessment marker or a withdrawal line: where, what shape and colour, and its title."""

    x: float
    y: float
    shape: str
    colour: str
    title: str


@frozen
class Tick:
    """A year on the journey's axis."""

    x: float
    label: str


@frozen
class DecisionPart:
    """One decision: its heading line (the level a lower grant gave included), each failing
    rule (id and title) with what it lacks, and what to fix (rule id, thing to do)."""

    heading: str
    failing: tuple[tuple[str, str], ...]
    shortfalls: tuple[tuple[str, str], ...]


@frozen
class Page:
    """Everything the report page shows, as text and SVG coordinates."""

    school_id: str
    school_name: str
    as_of: date
    policy_id: str
    level: str
    awards: tuple[tuple[str, str, str, str, str, str], ...]
    next_steps: tuple[str, ...]
    decisions: tuple[DecisionPart, ...]
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    today_x: float
    height: float
    width: float = WIDTH
    colours: tuple[tuple[str, str], ...] = ()
    language: str = "en"
    """The page's language (``<html lang>``); its texts are in it."""
    day: str = ""
    """``as_of``, written out in the page's language."""
    audit: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each recorded outcome that disagrees with the rules, with its failing findings."""
    audited: int = 0
    """How many recorded outcomes were compared with the rules."""
    withdrawals: tuple[str, ...] = ()
    """Each withdrawal from the scheme, its date and reason, in print."""


def page(
    history: SchoolHistory,
    as_of: date,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
    words: Words = ENGLISH,
) -> Page:
    """The report page of ``history`` on ``as_of`` in ``words``' language: everything the
    template shows, everything ``status`` says included (its audit too)."""

    def _day(day: date | None) -> str:
        return words.date(day) if day is not None else "—"

    run = replay(history, policy)
    report = run.status(as_of)
    dated = [e.held_on if isinstance(e, Assessment) else e.on for e in history.events] + [
        c.on for c in run.changes
    ]
    start = date(min([*dated, as_of]).year, 1, 1)
    end = date(max([*dated, as_of]).year + 1, 1, 1)
    span = (end - start).days

    def x(day: date) -> float:
        clipped = min(max(day, start), end)
        return round(LEFT + (WIDTH - LEFT - 10) * (clipped - start).days / span, 1)

    lanes = []
    for award in Award:
        y = TOP + award.rank * LANE
        bars: list[Bar] = []
        open_kind: str | None = None
        open_on = start
        for change in (c for c in run.changes if c.award is award):
            if open_kind is not None and change.on > open_on:
                bars.append(_bar(x, open_on, change.on, open_kind, award, words))
            open_kind, open_on = _STYLE_OF.get(change.kind), change.on
        if open_kind is not None:
            bars.append(_bar(x, open_on, end, open_kind, award, words))
        lanes.append(Lane(words.title(award), y, tuple(bars)))

    everything = run.status(max(as_of, end))
    kinds = {e.id: e.kind for e in history.events if isinstance(e, Assessment)}
    marks: list[Mark] = []
    for decision in everything.decisions:
        y = TOP + decision.level_sought.rank * LANE + 12
        marks.append(
            Mark(
                x(decision.held_on),
                y,
                {"granted": "circle", "granted_lower": "diamond", "refused": "square"}[
                    decision.outcome.value
                ],
                COLOURS[decision.outcome.value],
                _decision_line(words, decision, kinds),
            )
        )
    withdrawals: list[str] = []
    for event in history.events:
        if isinstance(event, Withdrawal):
            if event.reason:
                said = words.gettext(
                    "Withdrew from the scheme on %(day)s: %(reason)s",
                    day=_day(event.on),
                    reason=event.reason,
                )
            else:
                said = words.gettext("Withdrew from the scheme on %(day)s", day=_day(event.on))
            withdrawals.append(said)
            marks.append(Mark(x(event.on), 0, "withdrawal", COLOURS["withdrawal"], said))
    ticks = tuple(Tick(x(date(year, 1, 1)), str(year)) for year in range(start.year, end.year))
    steps = [next_step_said(words, step, as_of) for step in next_steps(run, as_of)]
    eligibility = flagship_said(words, report)
    if eligibility is not None:
        steps.append(eligibility)
    steps += situation_said(words, report)
    audited = compare(history, report.decisions)
    return Page(
        school_id=history.school.id,
        school_name=history.school.name,
        as_of=as_of,
        policy_id=report.policy_id,
        level=level_said(words, report.level),
        awards=tuple(
            (
                words.title(a.award),
                words.title(a.state),
                _day(a.since),
                _day(a.due) if a.ended_on is None else "—",
                _day(a.lapses_on) if a.ended_on is None else "—",
                _day(a.ended_on),
            )
            for a in report.awards
        ),
        next_steps=tuple(steps),
        decisions=tuple(_decision_part(words, d, kinds) for d in report.decisions),
        lanes=tuple(lanes),
        marks=tuple(marks),
        ticks=ticks,
        today_x=x(as_of),
        height=TOP + len(Award) * LANE + 20,
        colours=tuple(COLOURS.items()),
        language=words.language,
        day=words.date(as_of),
        audit=tuple(
            (
                disagreement_said(words, item),
                tuple(finding_said(words, finding) for finding in item.failing),
            )
            for item in audited.disagreements
        ),
        audited=audited.compared,
        withdrawals=tuple(withdrawals),
    )


def _decision_line(words: Words, decision: Decision, kinds: dict[str, AssessmentKind]) -> str:
    """``12 March 2024, HB-1: full assessment seeking …; granted the lower level …``."""
    return decision_said(words, decision, kinds.get(decision.assessment_id, AssessmentKind.FULL))


def _decision_part(
    words: Words, decision: Decision, kinds: dict[str, AssessmentKind]
) -> DecisionPart:
    failing = tuple(
        (
            words.gettext("%(rule)s %(title)s", rule=f.rule, title=rule_title(words, f.rule)),
            words.listing(action_lines(words, f.missing)) if f.missing is not None else "",
        )
        for f in decision.failing
    )
    fixes = tuple(
        (shortfall.rule, action)
        for shortfall in decision.shortfalls()
        for action in shortfall_said(words, shortfall)
    )
    return DecisionPart(_decision_line(words, decision, kinds), failing, fixes)


def _bar(x: object, since: date, until: date, kind: str, award: Award, words: Words) -> Bar:
    place = x  # the page's date-to-x function
    assert callable(place)
    left, right = place(since), place(until)
    values = {
        "award": words.title(award),
        "since": words.date(since),
        "until": words.date(until - timedelta(days=1)),
    }
    if kind == "window":
        title = words.gettext(
            "%(award)s: held; renewal window open from %(since)s to %(until)s", **values
        )
    elif kind == "grace":
        title = words.gettext(
            "%(award)s: held; overdue, in the grace period from %(since)s to %(until)s", **values
        )
    else:
        title = words.gettext("%(award)s: held from %(since)s to %(until)s", **values)
    return Bar(left, max(right - left, 1.0), kind, COLOURS[kind], title)


def render_html(data: Page, words: Words = ENGLISH) -> str:
    """The self-contained HTML page of ``data`` (needs the ``report`` extra: Jinja2), its
    fixed texts in ``words``' language (give the ``words`` the page was made with)."""
    try:
        import jinja2
    except ImportError:  # pragma: no cover - depends on the installed extras
        from iqm_rules.errors import IQMRulesError

        raise IQMRulesError(
            "the report page needs Jinja2: pip install 'iqm-rules[report]'"
        ) from None
    text = resources.files("iqm_rules.office").joinpath("templates", "report.html.j2")
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"]
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        words.gettext, words.ngettext, newstyle=True, pgettext=words.pgettext
    )
    return environment.from_string(text.read_text("utf-8")).render(page=data)

"""The ten rules of RULEBOOK §3, one registry: find any rule here by its id.

Each rule is a small pure function of one :class:`~iqm_rules.decisions.facts.RuleInput` (its
``facts``) that returns a :class:`Verdict`: whether it passed, a message for people naming what
was counted, and, when it failed, the :class:`~iqm_rules.decisions.shortfalls.Missing`
additions that would make it pass.
The :func:`registered` decorator above each function says its id, level, title, the policy
parameters it reads, whether it needs judgement and its source (:mod:`.registry`); the
function's docstring quotes the RULEBOOK row. Which rules read a parameter, of §3 and §4 alike,
is derived from here and from the lifecycle rules in :mod:`iqm_rules.lifecycle.parameters`.

>>> [r.id for r in rules()]
['EV-1', 'EV-2', 'EV-3', 'IS-1', 'CE-1', 'CE-2', 'FS-1', 'FS-2', 'FS-3', 'FS-4']
>>> rule("FS-4").parameters
('flagship_min_coe_years', 'flagship_boundary')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TypeVar

from iqm_rules._dates import add_days, add_years
from iqm_rules._registry import by_id, carries_out
from iqm_rules._terms import Term
from iqm_rules.assessment import Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.facts import RuleInput
from iqm_rules.decisions.registry import _REGISTERED, Rule, Verdict, registered
from iqm_rules.decisions.shortfalls import Missing, by_value, count, names
from iqm_rules.evidence import EvidenceKind
from iqm_rules.policy import FlagshipBoundary, Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = [
    "CE_COMMITMENTS",
    "FS_COMMITMENTS",
    "flagship_eligible_from",
    "rule",
    "rules",
]

CE_COMMITMENTS = frozenset(
    {
        Commitment.CLUSTER_MEMBERSHIP,
        Commitment.DEVELOPMENT_PLAN,
        Commitment.DISSEMINATION,
        Commitment.CLASSROOM_RESEARCH,
        Commitment.ANNUAL_VISIT,
        Commitment.ANNUAL_UPDATE,
    }
)
"""The six commitments CE-2 needs."""

FS_COMMITMENTS = frozenset({Commitment.RESEARCH_PROJECT_OUTLINE, Commitment.SUPPORTS_OTHER_SCHOOLS})
"""The two commitments FS-2 needs."""

TermT = TypeVar("TermT", bound=Term)


@carries_out("LC-7")
def flagship_eligible_from(coe_since: date, policy: Policy | PolicyBook) -> date:
    """The first date from which FS-4 passes on every later date, for centre_of_excellence
    held since ``coe_since`` (LC-7, §7.5).

    Under one policy: ``coe_since + flagship_min_coe_years`` under ``at_least``, one day later
    under ``more_than``. Under a book each date is judged under the policy in force on it
    (LC-8), so the answer is where the last stretch of passing dates begins: from the last
    policy on, then back across each start date that stretch begins on, while the policy
    before it already passes earlier (policies dated in the future count as the book stands).

    >>> import attrs
    >>> from iqm_rules.policy import DEFAULT_POLICY
    >>> flagship_eligible_from(date(2021, 7, 1), DEFAULT_POLICY)
    datetime.date(2024, 7, 1)
    >>> more_than = Policy(flagship_boundary=FlagshipBoundary.MORE_THAN)
    >>> flagship_eligible_from(date(2021, 7, 1), more_than)
    datetime.date(2024, 7, 2)
    >>> book = PolicyBook((DEFAULT_POLICY, attrs.evolve(
    ...     more_than, id="later", effective_from=date(2024, 1, 1))))
    >>> flagship_eligible_from(date(2021, 7, 1), book)
    datetime.date(2024, 7, 2)
    """
    if isinstance(policy, Policy):
        return _eligible_under(coe_since, policy)
    book = sorted(policy.policies, key=lambda p: p.effective_from)
    last = book[-1]
    first = max(last.effective_from, _eligible_under(coe_since, last))
    for earlier, later in zip(reversed(book[:-1]), reversed(book[1:]), strict=True):
        if first != later.effective_from:
            break
        own = max(earlier.effective_from, _eligible_under(coe_since, earlier))
        if own >= later.effective_from:
            break
        first = own
    return first


def _eligible_under(coe_since: date, policy: Policy) -> date:
    """FS-4's first passing date under ``policy`` alone (§7.5, §7.7)."""
    reached = _coe_years_reached(coe_since, policy)
    if policy.flagship_boundary is FlagshipBoundary.MORE_THAN:
        return add_days(reached, 1, "Flagship eligibility", "held_on")
    return reached


def _coe_years_reached(coe_since: date, policy: Policy) -> date:
    return add_years(coe_since, policy.flagship_min_coe_years, "Flagship eligibility", "held_on")


def _each_has_enough(
    counts: Mapping[TermT, int], needed: int, plural: str
) -> tuple[str, tuple[tuple[TermT, int], ...]]:
    """A message on the items counted per term, and how many more each short term needs."""
    short = tuple([(term, needed - found) for term, found in counts.items() if found < needed])
    if short:
        lines = [
            f"{term._value_}: {count(counts[term], 'recent evidence item')}, {needed} needed"
            for term, _ in short
        ]
        return "; ".join(lines), short
    fewest = min(counts, key=counts.__getitem__)
    return (
        f"all {len(counts)} {plural} have {needed} or more recent evidence items "
        f"(fewest: {fewest._value_}, {counts[fewest]})"
    ), short


def _commitments_made(facts: RuleInput, needed: frozenset[Commitment]) -> Verdict:
    missing = by_value(needed - facts.commitments)
    if missing:
        return Verdict(
            False,
            f"missing commitments: {names(missing)}",
            Missing(commitments=tuple(missing)),
        )
    return Verdict(True, f"all {len(needed)} commitments made: {names(by_value(needed))}")


# The rules, in rulebook order. The first paragraph of each docstring is the RULEBOOK §3 row.

_SCHOOL_WIDE_IMPACT = (
    "RULEBOOK §3 (a documented default, §0): evidence must show school-wide impact"
)
"""The source the three evidence rules share."""


@registered(
    id="EV-1",
    level=Award.INCLUSIVE_SCHOOL,
    title="Recent evidence for every element",
    parameters=("evidence_window_months", "min_items_per_element"),
    needs_judgement=False,
    source=f"{_SCHOOL_WIDE_IMPACT} against each of the eight elements (Our Evaluative Framework)",
)
def ev_1(facts: RuleInput) -> Verdict:
    """every element has ≥ `min_items_per_element` recent items

    EV-1, inclusive_school. Fails naming each element short of items, with counts found and
    needed.
    """
    counts = dict.fromkeys(Element, 0)
    for item in facts.recent_evidence:
        counts[item.element] += 1
    message, short = _each_has_enough(counts, facts.policy.min_items_per_element, "elements")
    if short:
        return Verdict(False, message, Missing(items_for_element=short))
    return Verdict(True, message)


@registered(
    id="EV-2",
    level=Award.INCLUSIVE_SCHOOL,
    title="Recent evidence for every principle",
    parameters=("evidence_window_months", "min_items_per_principle"),
    needs_judgement=False,
    source=f"{_SCHOOL_WIDE_IMPACT} across the four principles (What is IQM accreditation)",
)
def ev_2(facts: RuleInput) -> Verdict:
    """every principle is supported by ≥ `min_items_per_principle` recent items

    EV-2, inclusive_school. An item counts once for each principle it supports.
    """
    counts = dict.fromkeys(Principle, 0)
    for item in facts.recent_evidence:
        for principle in item.principles:
            counts[principle] += 1
    message, short = _each_has_enough(counts, facts.policy.min_items_per_principle, "principles")
    if short:
        return Verdict(False, message, Missing(items_for_principle=short))
    return Verdict(True, message)


@registered(
    id="EV-3",
    level=Award.INCLUSIVE_SCHOOL,
    title="Several voices heard: pupils, parents, staff, governors",
    parameters=("evidence_window_months", "min_voice_kinds"),
    needs_judgement=False,
    source=f"{_SCHOOL_WIDE_IMPACT}, heard from the school community",
)
def ev_3(facts: RuleInput) -> Verdict:
    """recent items include ≥ `min_voice_kinds` distinct voice kinds

    EV-3, inclusive_school. The voices are pupil, parent, staff and governor voice.
    """
    voices = EvidenceKind.voices()
    heard = by_value({item.kind for item in facts.recent_evidence if item.kind in voices})
    needed = facts.policy.min_voice_kinds
    message = f"voices: {names(heard)} ({count(len(heard), 'kind')}, {needed} needed)"
    if len(heard) >= needed:
        return Verdict(True, message)
    unheard = tuple(by_value(EvidenceKind.voices() - set(heard)))
    return Verdict(
        False, message, Missing(voice_kinds=needed - len(heard), voice_kinds_from=unheard)
    )


_ESTABLISHED_OR_EMBEDDED = frozenset({Judgement.ESTABLISHED, Judgement.EMBEDDED})
_EMBEDDED = frozenset({Judgement.EMBEDDED})


def _every_element_judged(
    facts: RuleInput, accepted: frozenset[Judgement], target: Judgement, label: str, short: str
) -> Verdict:
    """IS-1 and FS-1: every element judged one of ``accepted``; the others raised to ``target``."""
    judgements = facts.judgements
    below = [e for e in Element if judgements[e] not in accepted]
    if not below:
        return Verdict(True, f"all {len(Element)} elements {label}")
    shown = ", ".join([f"{e._value_} ({judgements[e]._value_})" for e in below])
    return Verdict(
        False,
        f"{short}: {shown}",
        Missing(raise_to=tuple((e, target) for e in below)),
    )


@registered(
    id="IS-1",
    level=Award.INCLUSIVE_SCHOOL,
    title="Every element established",
    parameters=(),
    needs_judgement=True,
    source="RULEBOOK §3; Our Evaluative Framework: eight elements, sustainable school-wide impact",
)
def is_1(facts: RuleInput) -> Verdict:
    """every element is judged `established` or `embedded`

    IS-1, inclusive_school; needs the assessors' judgement.
    """
    return _every_element_judged(
        facts,
        _ESTABLISHED_OR_EMBEDDED,
        Judgement.ESTABLISHED,
        "established or embedded",
        "below established",
    )


@registered(
    id="CE-1",
    level=Award.CENTRE_OF_EXCELLENCE,
    title="Enough elements embedded, the required ones among them",
    parameters=("coe_min_embedded", "coe_required_embedded"),
    needs_judgement=True,
    source="RULEBOOK §3 (a documented default, §0); Our Evaluative Framework: Centre of "
    "Excellence is for schools that have met the Inclusive School Award criteria",
)
def ce_1(facts: RuleInput) -> Verdict:
    """≥ `coe_min_embedded` elements are `embedded`, including every element in
    `coe_required_embedded`

    CE-1, centre_of_excellence; needs the assessors' judgement.
    """
    judgements = facts.judgements
    embedded = [e for e in Element if judgements[e] is Judgement.EMBEDDED]
    wanted = facts.policy.coe_required_embedded
    required = [e for e in Element if e in wanted] if wanted else []
    not_embedded = [e for e in required if judgements[e] is not Judgement.EMBEDDED]
    needed = facts.policy.coe_min_embedded
    counted = (
        f"{count(len(embedded), 'element')} embedded, {needed} needed (embedded: {names(embedded)})"
    )
    if not not_embedded and len(embedded) >= needed:
        suffix = f"; required embedded: {names(required)}" if required else ""
        return Verdict(True, counted + suffix)
    more = max(0, needed - len(embedded) - len(not_embedded))
    candidates = tuple(e for e in Element if e not in embedded and e not in not_embedded)
    prefix = f"not embedded: {names(not_embedded)} (required); " if not_embedded else ""
    return Verdict(
        False,
        prefix + counted,
        Missing(
            raise_to=tuple((e, Judgement.EMBEDDED) for e in not_embedded),
            embedded_more=more,
            embedded_from=candidates if more else (),
        ),
    )


@registered(
    id="CE-2",
    level=Award.CENTRE_OF_EXCELLENCE,
    title="Centre of Excellence commitments",
    parameters=(),
    needs_judgement=False,
    source="RULEBOOK §3; published Centre of Excellence criteria: a cluster of schools, plans "
    "to sustain and disseminate practice, classroom research, an annual visit and an annual "
    "written update against the eight elements",
)
def ce_2(facts: RuleInput) -> Verdict:
    """commitments include `cluster_membership`, `development_plan`, `dissemination`,
    `classroom_research`, `annual_visit`, `annual_update`

    CE-2, centre_of_excellence.
    """
    return _commitments_made(facts, CE_COMMITMENTS)


@registered(
    id="FS-1",
    level=Award.FLAGSHIP,
    title="Every element embedded",
    parameters=(),
    needs_judgement=True,
    source="RULEBOOK §3 (a documented default, §0)",
)
def fs_1(facts: RuleInput) -> Verdict:
    """every element is `embedded`

    FS-1, flagship; needs the assessors' judgement.
    """
    return _every_element_judged(facts, _EMBEDDED, Judgement.EMBEDDED, "embedded", "not embedded")


@registered(
    id="FS-2",
    level=Award.FLAGSHIP,
    title="Flagship commitments",
    parameters=(),
    needs_judgement=False,
    source="RULEBOOK §3; published Flagship criteria: a research project outline, support for "
    "other schools",
)
def fs_2(facts: RuleInput) -> Verdict:
    """commitments include `research_project_outline` and `supports_other_schools`

    FS-2, flagship.
    """
    return _commitments_made(facts, FS_COMMITMENTS)


@registered(
    id="FS-3",
    level=Award.FLAGSHIP,
    title="Cluster meetings attended",
    parameters=("flagship_min_cluster_meetings",),
    needs_judgement=False,
    source="RULEBOOK §3; published Flagship criteria: attendance at cluster meetings is a "
    "prerequisite to keep the status",
)
def fs_3(facts: RuleInput) -> Verdict:
    """`cluster_meetings_attended` ≥ `flagship_min_cluster_meetings`

    FS-3, flagship. Meetings are those of the 12 months up to ``held_on``.
    """
    attended = facts.cluster_meetings_attended
    needed = facts.policy.flagship_min_cluster_meetings
    message = f"{count(attended, 'cluster meeting')} attended, {needed} needed"
    if attended >= needed:
        return Verdict(True, message)
    return Verdict(False, message, Missing(cluster_meetings=needed - attended))


@registered(
    id="FS-4",
    level=Award.FLAGSHIP,
    title="Centre of Excellence held long enough",
    parameters=("flagship_min_coe_years", "flagship_boundary"),
    needs_judgement=False,
    source='RULEBOOK §3, §0, §7.6; published Flagship criteria: Centre of Excellence held "for '
    'at least three years prior to attaining Flagship status" (at_least); Our Evaluative '
    'Framework: "for over 3 years" (more_than)',
)
def fs_4(facts: RuleInput) -> Verdict:
    """the school has held Centre of Excellence or Flagship without a break since `coe_since`
    (section 4), and `coe_since + flagship_min_coe_years ≤ held_on` (`at_least`) or `<`
    (`more_than`)

    FS-4, flagship. Centre of Excellence must be held just before the assessment (§7.1); the
    ``since`` of an ended Centre of Excellence never counts (§7.6); renewals of flagship are
    checked too. The arithmetic is :func:`flagship_eligible_from`'s under this one policy.
    """
    policy = facts.policy
    years = count(policy.flagship_min_coe_years, "year")
    held = Award.CENTRE_OF_EXCELLENCE in facts.prior.held
    since = facts.prior.coe_since if held else None
    if since is None:
        return Verdict(
            False,
            f"centre_of_excellence not held just before {facts.held_on.isoformat()}; "
            f"flagship needs it held without a break for {years}",
            Missing(needs_centre_of_excellence=True),
        )
    reached = _coe_years_reached(since, policy)
    at_least = policy.flagship_boundary is FlagshipBoundary.AT_LEAST
    eligible = reached if at_least else add_days(reached, 1, "Flagship eligibility", "held_on")
    passed = eligible <= facts.held_on
    compare = "<=" if at_least else "<"
    written = since.isoformat()
    message = (
        f"centre_of_excellence held since {written}; flagship needs it since "
        f"{written} + {years} = {reached.isoformat()} {compare} {facts.held_on.isoformat()}"
    )
    if passed:
        return Verdict(True, message)
    return Verdict(
        False,
        f"{message}: not met, passes from {eligible.isoformat()}",
        Missing(passes_from=eligible),
    )


_RULES: tuple[Rule, ...] = tuple(_REGISTERED)
_BY_ID: Mapping[str, Rule] = MappingProxyType({entry.id: entry for entry in _RULES})


def rules() -> tuple[Rule, ...]:
    """Every rule, in rulebook order."""
    return _RULES


def rule(rule_id: str) -> Rule:
    """The rule called ``rule_id``; ``KeyError`` naming the known ids otherwise.

    >>> rule("CE-2").level
    Award.CENTRE_OF_EXCELLENCE
    >>> rule("CE-3")
    Traceback (most recent call last):
    KeyError: "no rule 'CE-3'; the rules are EV-1, EV-2, EV-3, IS-1, CE-1, CE-2, FS-1, ..."
    """
    return by_id(_BY_ID, rule_id, "rule")

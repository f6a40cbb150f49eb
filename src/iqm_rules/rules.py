"""The ten rules of RULEBOOK §3, one registry: find any rule here by its id.

Each rule is a small pure function of one :class:`RuleInput` that returns a :class:`Verdict`:
whether it passed, a message for people naming what was counted, and, when it failed, the
:class:`Missing` additions that would make it pass. Its docstring quotes the RULEBOOK row; the
:class:`Rule` entries of :func:`rules` carry the id, level, title, the policy parameters read and
the source of each rule.

>>> [r.id for r in rules()]
['EV-1', 'EV-2', 'EV-3', 'IS-1', 'CE-1', 'CE-2', 'FS-1', 'FS-2', 'FS-3', 'FS-4']
>>> rule("FS-4").parameters
('flagship_min_coe_years', 'flagship_boundary')
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from attrs import field, frozen

from iqm_rules._dates import add_months, add_years
from iqm_rules._terms import Term
from iqm_rules.assessment import Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.policy import FlagshipBoundary, Policy
from iqm_rules.principles import Element, Principle

if TYPE_CHECKING:
    from iqm_rules.decision import Prior

__all__ = [
    "CE_COMMITMENTS",
    "FS_COMMITMENTS",
    "Missing",
    "Rule",
    "RuleInput",
    "Verdict",
    "flagship_eligible_from",
    "is_recent",
    "recent_evidence",
    "rule",
    "rules",
    "window_opens",
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


def _read_only(judgements: Mapping[Element, Judgement]) -> Mapping[Element, Judgement]:
    if isinstance(judgements, MappingProxyType):
        return judgements
    return MappingProxyType(dict(judgements))


@frozen
class RuleInput:
    """Everything a rule may read: the assessment's facts, its recent evidence, prior and policy.

    ``recent_evidence`` holds only the recent items (:func:`recent_evidence`). ``judgements`` is
    empty when nothing has been judged yet (:mod:`iqm_rules.readiness`); only the rules that
    need judgement read it.
    """

    held_on: date
    recent_evidence: tuple[EvidenceItem, ...]
    commitments: frozenset[Commitment]
    cluster_meetings_attended: int
    prior: Prior
    policy: Policy
    judgements: Mapping[Element, Judgement] = field(
        default=MappingProxyType({}), converter=_read_only
    )


@frozen
class Missing:
    """What to add so that a failing rule passes, as data a program can act on.

    ``items_for_element`` / ``items_for_principle``: more recent evidence items needed for each;
    ``voice_kinds`` more distinct voice kinds, chosen from ``voice_kinds_from``; ``raise_to``:
    elements and the judgement each must at least reach; ``embedded_more`` more elements to
    raise to embedded, chosen from ``embedded_from``; ``commitments`` to make;
    ``cluster_meetings`` more meetings to attend; ``passes_from`` the first date on which FS-4
    would pass, or ``needs_centre_of_excellence`` when it cannot pass before that award is held.

    >>> Missing(items_for_element=((Element.ASSESSMENT, 1),)).action()
    'collect 1 more recent evidence item for assessment'
    """

    items_for_element: tuple[tuple[Element, int], ...] = ()
    items_for_principle: tuple[tuple[Principle, int], ...] = ()
    voice_kinds: int = 0
    voice_kinds_from: tuple[EvidenceKind, ...] = ()
    raise_to: tuple[tuple[Element, Judgement], ...] = ()
    embedded_more: int = 0
    embedded_from: tuple[Element, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    cluster_meetings: int = 0
    passes_from: date | None = None
    needs_centre_of_excellence: bool = False

    def action(self) -> str:
        """One line saying what to do, naming everything involved."""
        parts = [
            *_collect(self.items_for_element, "for"),
            *_collect(self.items_for_principle, "supporting"),
        ]
        if self.voice_kinds:
            parts.append(
                f"collect recent evidence of {_count(self.voice_kinds, 'more voice kind')} "
                f"(from: {_names(self.voice_kinds_from)})"
            )
        for target in Judgement:
            raised = [element for element, wanted in self.raise_to if wanted is target]
            if raised:
                parts.append(f"raise to {target.value}: {_names(raised)}")
        if self.embedded_more:
            parts.append(
                f"raise {_count(self.embedded_more, 'more element')} to embedded "
                f"(from: {_names(self.embedded_from)})"
            )
        if self.commitments:
            parts.append(f"make the commitments: {_names(self.commitments)}")
        if self.cluster_meetings:
            parts.append(f"attend {_count(self.cluster_meetings, 'more cluster meeting')}")
        if self.passes_from is not None:
            parts.append(f"wait: FS-4 passes from {self.passes_from.isoformat()}")
        if self.needs_centre_of_excellence:
            parts.append("hold centre_of_excellence without a break first (FS-4, §7.6)")
        return "; ".join(parts)


@frozen
class Verdict:
    """What one rule says: ``passed``, a ``message`` for people and, if failed, ``missing``."""

    passed: bool
    message: str
    missing: Missing | None = None


Check = Callable[[RuleInput], Verdict]


@frozen
class Rule:
    """One rule of RULEBOOK §3: its id, level, title, parameters read, source, text and check.

    ``text`` is the RULEBOOK row, taken from the first paragraph of ``check``'s docstring so that
    it is written once. ``needs_judgement`` marks the rules that read the assessors' judgements.
    """

    id: str
    level: Award
    title: str
    parameters: tuple[str, ...]
    source: str
    needs_judgement: bool
    check: Check

    @property
    def text(self) -> str:
        """The RULEBOOK row this rule implements, as quoted in its function's docstring."""
        return (inspect.getdoc(self.check) or "").split("\n\n")[0].replace("\n", " ")

    def __call__(self, facts: RuleInput) -> Verdict:
        return self.check(facts)


def window_opens(held_on: date, policy: Policy) -> date:
    """The first day on which evidence is recent: ``held_on - evidence_window_months`` (§7.7).

    >>> from iqm_rules.policy import DEFAULT_POLICY
    >>> window_opens(date(2024, 3, 10), DEFAULT_POLICY)
    datetime.date(2022, 9, 10)
    >>> window_opens(date(2024, 8, 31), Policy(evidence_window_months=6))
    datetime.date(2024, 2, 29)
    """
    return add_months(held_on, -policy.evidence_window_months)


def is_recent(item: EvidenceItem, held_on: date, policy: Policy) -> bool:
    """``held_on - evidence_window_months ≤ collected_on ≤ held_on``, computed in that order.

    >>> from iqm_rules.policy import DEFAULT_POLICY
    >>> day = date(2024, 3, 10)
    >>> def item(on: date) -> EvidenceItem:
    ...     return EvidenceItem("E", Element.ASSESSMENT, {Principle.RAISING_ACHIEVEMENT},
    ...                         EvidenceKind.DATA, on)
    >>> is_recent(item(date(2022, 9, 10)), day, DEFAULT_POLICY)
    True
    >>> is_recent(item(date(2022, 9, 9)), day, DEFAULT_POLICY)
    False
    """
    return window_opens(held_on, policy) <= item.collected_on <= held_on


def recent_evidence(
    evidence: Iterable[EvidenceItem], held_on: date, policy: Policy
) -> tuple[tuple[EvidenceItem, ...], tuple[str, ...]]:
    """The recent items, and the ids of the others (both in input order)."""
    opens = window_opens(held_on, policy)
    recent: list[EvidenceItem] = []
    ignored: list[str] = []
    for item in evidence:
        if opens <= item.collected_on <= held_on:
            recent.append(item)
        else:
            ignored.append(item.id)
    return tuple(recent), tuple(ignored)


def _names(terms: Iterable[Term]) -> str:
    return ", ".join(term.value for term in terms) or "none"


def _by_value(terms: Iterable[TermT]) -> list[TermT]:
    return sorted(terms, key=lambda term: term.value)


def _plural(number: int, noun: str) -> str:
    return noun if number == 1 else f"{noun}s"


def _count(number: int, noun: str) -> str:
    return f"{number} {_plural(number, noun)}"


def _items(number: int) -> str:
    return _count(number, "recent evidence item")


def _collect(needs: Sequence[tuple[Term, int]], how: str) -> list[str]:
    """``collect 1 more recent evidence item for assessment, 2 more for curriculum``."""
    if not needs:
        return []
    (first, number), *rest = needs
    phrases = [f"{number} more {_plural(number, 'recent evidence item')} {how} {first.value}"]
    phrases += [f"{more} more {how} {term.value}" for term, more in rest]
    return ["collect " + ", ".join(phrases)]


def _each_has_enough(
    counts: Mapping[TermT, int], needed: int, plural: str
) -> tuple[str, tuple[tuple[TermT, int], ...]]:
    """A message on the items counted per term, and how many more each short term needs."""
    short = tuple((term, needed - found) for term, found in counts.items() if found < needed)
    if short:
        lines = [f"{term.value}: {_items(counts[term])}, {needed} needed" for term, _ in short]
        return "; ".join(lines), short
    fewest = min(counts, key=counts.__getitem__)
    return (
        f"all {len(counts)} {plural} have {needed} or more recent evidence items "
        f"(fewest: {fewest.value}, {counts[fewest]})"
    ), short


def _commitments_made(facts: RuleInput, needed: frozenset[Commitment]) -> Verdict:
    missing = _by_value(needed - facts.commitments)
    if missing:
        return Verdict(
            False,
            f"missing commitments: {_names(missing)}",
            Missing(commitments=tuple(missing)),
        )
    return Verdict(True, f"all {len(needed)} commitments made: {_names(_by_value(needed))}")


def _coe_years_reached(coe_since: date, policy: Policy) -> date:
    return add_years(coe_since, policy.flagship_min_coe_years)


def flagship_eligible_from(coe_since: date, policy: Policy) -> date:
    """The first date on which FS-4 passes for centre_of_excellence held since ``coe_since``.

    ``coe_since + flagship_min_coe_years`` under ``at_least``, one day later under
    ``more_than`` (§7.5, LC-7).

    >>> from iqm_rules.policy import DEFAULT_POLICY
    >>> flagship_eligible_from(date(2021, 7, 1), DEFAULT_POLICY)
    datetime.date(2024, 7, 1)
    >>> flagship_eligible_from(
    ...     date(2021, 7, 1), Policy(flagship_boundary=FlagshipBoundary.MORE_THAN))
    datetime.date(2024, 7, 2)
    """
    reached = _coe_years_reached(coe_since, policy)
    if policy.flagship_boundary is FlagshipBoundary.MORE_THAN:
        return reached + timedelta(days=1)
    return reached


# The rules, in rulebook order. The first paragraph of each docstring is the RULEBOOK §3 row.


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


def ev_3(facts: RuleInput) -> Verdict:
    """recent items include ≥ `min_voice_kinds` distinct voice kinds

    EV-3, inclusive_school. The voices are pupil, parent, staff and governor voice.
    """
    voices = EvidenceKind.voices()
    heard = _by_value({item.kind for item in facts.recent_evidence if item.kind in voices})
    needed = facts.policy.min_voice_kinds
    message = f"voices: {_names(heard)} ({_count(len(heard), 'kind')}, {needed} needed)"
    if len(heard) >= needed:
        return Verdict(True, message)
    unheard = tuple(_by_value(EvidenceKind.voices() - set(heard)))
    return Verdict(
        False, message, Missing(voice_kinds=needed - len(heard), voice_kinds_from=unheard)
    )


_ESTABLISHED_OR_EMBEDDED = frozenset({Judgement.ESTABLISHED, Judgement.EMBEDDED})
_EMBEDDED = frozenset({Judgement.EMBEDDED})


def _every_element_judged(
    facts: RuleInput, accepted: frozenset[Judgement], target: Judgement, label: str, short: str
) -> Verdict:
    """IS-1 and FS-1: every element judged one of ``accepted``; the others raised to ``target``."""
    below = [e for e in Element if facts.judgements[e] not in accepted]
    if not below:
        return Verdict(True, f"all {len(Element)} elements {label}")
    shown = ", ".join(f"{e.value} ({facts.judgements[e].value})" for e in below)
    return Verdict(
        False,
        f"{short}: {shown}",
        Missing(raise_to=tuple((e, target) for e in below)),
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


def ce_1(facts: RuleInput) -> Verdict:
    """≥ `coe_min_embedded` elements are `embedded`, including every element in
    `coe_required_embedded`

    CE-1, centre_of_excellence; needs the assessors' judgement.
    """
    embedded = [e for e in Element if facts.judgements[e] is Judgement.EMBEDDED]
    required = [e for e in Element if e in facts.policy.coe_required_embedded]
    not_embedded = [e for e in required if e not in embedded]
    needed = facts.policy.coe_min_embedded
    counted = (
        f"{_count(len(embedded), 'element')} embedded, {needed} needed "
        f"(embedded: {_names(embedded)})"
    )
    if not not_embedded and len(embedded) >= needed:
        suffix = f"; required embedded: {_names(required)}" if required else ""
        return Verdict(True, counted + suffix)
    more = max(0, needed - len(embedded) - len(not_embedded))
    candidates = tuple(e for e in Element if e not in embedded and e not in not_embedded)
    prefix = f"not embedded: {_names(not_embedded)} (required); " if not_embedded else ""
    return Verdict(
        False,
        prefix + counted,
        Missing(
            raise_to=tuple((e, Judgement.EMBEDDED) for e in not_embedded),
            embedded_more=more,
            embedded_from=candidates if more else (),
        ),
    )


def ce_2(facts: RuleInput) -> Verdict:
    """commitments include `cluster_membership`, `development_plan`, `dissemination`,
    `classroom_research`, `annual_visit`, `annual_update`

    CE-2, centre_of_excellence.
    """
    return _commitments_made(facts, CE_COMMITMENTS)


def fs_1(facts: RuleInput) -> Verdict:
    """every element is `embedded`

    FS-1, flagship; needs the assessors' judgement.
    """
    return _every_element_judged(facts, _EMBEDDED, Judgement.EMBEDDED, "embedded", "not embedded")


def fs_2(facts: RuleInput) -> Verdict:
    """commitments include `research_project_outline` and `supports_other_schools`

    FS-2, flagship.
    """
    return _commitments_made(facts, FS_COMMITMENTS)


def fs_3(facts: RuleInput) -> Verdict:
    """`cluster_meetings_attended` ≥ `flagship_min_cluster_meetings`

    FS-3, flagship. Meetings are those of the 12 months up to ``held_on``.
    """
    attended = facts.cluster_meetings_attended
    needed = facts.policy.flagship_min_cluster_meetings
    message = f"{_count(attended, 'cluster meeting')} attended, {needed} needed"
    if attended >= needed:
        return Verdict(True, message)
    return Verdict(False, message, Missing(cluster_meetings=needed - attended))


def fs_4(facts: RuleInput) -> Verdict:
    """the school has held Centre of Excellence or Flagship without a break since `coe_since`
    (section 4), and `coe_since + flagship_min_coe_years ≤ held_on` (`at_least`) or `<`
    (`more_than`)

    FS-4, flagship. Centre of Excellence must be held just before the assessment (§7.1); the
    ``since`` of an ended Centre of Excellence never counts (§7.6); renewals of flagship are
    checked too. The arithmetic is :func:`flagship_eligible_from`'s.
    """
    policy = facts.policy
    years = _count(policy.flagship_min_coe_years, "year")
    held = Award.CENTRE_OF_EXCELLENCE in facts.prior.held
    since = facts.prior.coe_since if held else None
    if since is None:
        return Verdict(
            False,
            f"centre_of_excellence not held just before {facts.held_on.isoformat()}; "
            f"flagship needs it held without a break for {years}",
            Missing(needs_centre_of_excellence=True),
        )
    eligible = flagship_eligible_from(since, policy)
    passed = eligible <= facts.held_on
    compare = "<=" if policy.flagship_boundary is FlagshipBoundary.AT_LEAST else "<"
    message = (
        f"centre_of_excellence held since {since.isoformat()}; flagship needs it since "
        f"{since.isoformat()} + {years} = {_coe_years_reached(since, policy).isoformat()} "
        f"{compare} {facts.held_on.isoformat()}"
    )
    if passed:
        return Verdict(True, message)
    return Verdict(
        False,
        f"{message}: not met, passes from {eligible.isoformat()}",
        Missing(passes_from=eligible),
    )


_EVIDENCE = "RULEBOOK §3 (a documented default, §0): evidence must show school-wide impact"
_RULES: tuple[Rule, ...] = (
    Rule(
        "EV-1",
        Award.INCLUSIVE_SCHOOL,
        "Recent evidence for every element",
        ("evidence_window_months", "min_items_per_element"),
        f"{_EVIDENCE} against each of the eight elements (Our Evaluative Framework)",
        False,
        ev_1,
    ),
    Rule(
        "EV-2",
        Award.INCLUSIVE_SCHOOL,
        "Recent evidence for every principle",
        ("evidence_window_months", "min_items_per_principle"),
        f"{_EVIDENCE} across the four principles (What is IQM accreditation)",
        False,
        ev_2,
    ),
    Rule(
        "EV-3",
        Award.INCLUSIVE_SCHOOL,
        "Several voices heard: pupils, parents, staff, governors",
        ("evidence_window_months", "min_voice_kinds"),
        f"{_EVIDENCE}, heard from the school community",
        False,
        ev_3,
    ),
    Rule(
        "IS-1",
        Award.INCLUSIVE_SCHOOL,
        "Every element established",
        (),
        "RULEBOOK §3; Our Evaluative Framework: eight elements, sustainable school-wide impact",
        True,
        is_1,
    ),
    Rule(
        "CE-1",
        Award.CENTRE_OF_EXCELLENCE,
        "Enough elements embedded, the required ones among them",
        ("coe_min_embedded", "coe_required_embedded"),
        "RULEBOOK §3 (a documented default, §0); Our Evaluative Framework: Centre of Excellence "
        "is for schools that have met the Inclusive School Award criteria",
        True,
        ce_1,
    ),
    Rule(
        "CE-2",
        Award.CENTRE_OF_EXCELLENCE,
        "Centre of Excellence commitments",
        (),
        "RULEBOOK §3; published Centre of Excellence criteria: a cluster of schools, plans to "
        "sustain and disseminate practice, classroom research, an annual visit and an annual "
        "written update against the eight elements",
        False,
        ce_2,
    ),
    Rule(
        "FS-1",
        Award.FLAGSHIP,
        "Every element embedded",
        (),
        "RULEBOOK §3 (a documented default, §0)",
        True,
        fs_1,
    ),
    Rule(
        "FS-2",
        Award.FLAGSHIP,
        "Flagship commitments",
        (),
        "RULEBOOK §3; published Flagship criteria: a research project outline, support for other "
        "schools",
        False,
        fs_2,
    ),
    Rule(
        "FS-3",
        Award.FLAGSHIP,
        "Cluster meetings attended",
        ("flagship_min_cluster_meetings",),
        "RULEBOOK §3; published Flagship criteria: attendance at cluster meetings is a "
        "prerequisite to keep the status",
        False,
        fs_3,
    ),
    Rule(
        "FS-4",
        Award.FLAGSHIP,
        "Centre of Excellence held long enough",
        ("flagship_min_coe_years", "flagship_boundary"),
        'RULEBOOK §3, §0, §7.6; published Flagship criteria: Centre of Excellence held "for at '
        'least three years prior to attaining Flagship status" (at_least); Our Evaluative '
        'Framework: "for over 3 years" (more_than)',
        False,
        fs_4,
    ),
)


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
    for entry in _RULES:
        if entry.id == rule_id:
            return entry
    known = ", ".join(entry.id for entry in _RULES)
    raise KeyError(f"no rule {rule_id!r}; the rules are {known}")

"""What is missing when a rule fails, and the one line that tells a school what to do.

A failing rule returns a :class:`Missing`: the additions that would make it pass, as data a
program can act on. :meth:`Missing.action` says the same in one line for people, and a
:class:`Shortfall` pairs it with the rule and level it belongs to. The small phrase helpers
(:func:`names`, :func:`count`, :func:`by_value`) are shared with the rules' messages so that
both say things the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import Protocol, TypeVar

from attrs import frozen

from iqm_rules._terms import Term
from iqm_rules.assessment import Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.evidence import EvidenceKind
from iqm_rules.principles import Element, Principle

__all__ = ["Missing", "Shortfall", "by_value", "count", "names"]

TermT = TypeVar("TermT", bound=Term)


def names(terms: Iterable[Term]) -> str:
    """The JSON values, comma-separated, or ``none``.

    >>> names([Element.CURRICULUM, Element.ASSESSMENT]), names([])
    ('curriculum, assessment', 'none')
    """
    return ", ".join([term._value_ for term in terms]) or "none"


def by_value(terms: Iterable[TermT]) -> list[TermT]:
    """The terms sorted by JSON value, so that messages do not depend on set order."""
    return sorted(terms, key=_value)


_value = attrgetter("_value_")
"""A term's JSON value, read without the property call (messages sort and join many)."""


def _plural(number: int, noun: str) -> str:
    return noun if number == 1 else f"{noun}s"


def count(number: int, noun: str) -> str:
    """``1 year``, ``2 years``: a number and its noun, plural unless one.

    >>> count(1, "year"), count(0, "cluster meeting")
    ('1 year', '0 cluster meetings')
    """
    return f"{number} {_plural(number, noun)}"


def _collect(needs: Sequence[tuple[Term, int]], how: str) -> list[str]:
    """``collect 1 more recent evidence item for assessment, 2 more for curriculum``."""
    if not needs:
        return []
    (first, number), *rest = needs
    phrases = [f"{number} more {_plural(number, 'recent evidence item')} {how} {first.value}"]
    phrases += [f"{more} more {how} {term.value}" for term, more in rest]
    return ["collect " + ", ".join(phrases)]


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
                f"collect recent evidence of {count(self.voice_kinds, 'more voice kind')} "
                f"(from: {names(self.voice_kinds_from)})"
            )
        for target in Judgement:
            raised = [element for element, wanted in self.raise_to if wanted is target]
            if raised:
                parts.append(f"raise to {target.value}: {names(raised)}")
        if self.embedded_more:
            parts.append(
                f"raise {count(self.embedded_more, 'more element')} to embedded "
                f"(from: {names(self.embedded_from)})"
            )
        if self.commitments:
            parts.append(f"make the commitments: {names(self.commitments)}")
        if self.cluster_meetings:
            parts.append(f"attend {count(self.cluster_meetings, 'more cluster meeting')}")
        if self.passes_from is not None:
            parts.append(f"wait: FS-4 passes from {self.passes_from.isoformat()}")
        if self.needs_centre_of_excellence:
            parts.append("hold centre_of_excellence without a break first (FS-4, §7.6)")
        return "; ".join(parts)


class _Failing(Protocol):
    """What :meth:`Shortfall.of` reads of a failing finding (a decision's or a readiness's)."""

    @property
    def rule(self) -> str: ...
    @property
    def level(self) -> Award: ...
    @property
    def message(self) -> str: ...
    @property
    def missing(self) -> Missing | None: ...


@frozen
class Shortfall:
    """What a school must do to meet one failing rule: one ``action`` line, and its data."""

    rule: str
    level: Award
    action: str
    missing: Missing | None = None

    @classmethod
    def of(cls, finding: _Failing) -> Shortfall:
        """The shortfall behind a failing ``finding``; the message stands in when no data."""
        if finding.missing is None:
            return cls(finding.rule, finding.level, f"meet {finding.rule}: {finding.message}")
        return cls(finding.rule, finding.level, finding.missing.action(), finding.missing)

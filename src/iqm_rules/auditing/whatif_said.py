"""What-if in plain words: each changed school by its id and name, only what changed, before
and after, every term by its title (the text of ``iqm-rules what-if``).

The records of :mod:`iqm_rules.auditing.whatif` keep the rulebook's values (its JSON and CSV);
these functions say them for people in a :class:`~iqm_rules.words.Words`' language. A kind of
change (``flagship due earlier``) is read back from its record and said anew.

>>> from datetime import date
>>> from iqm_rules.interchange.examples import example_text
>>> from iqm_rules.interchange import load_history
>>> from iqm_rules.policy import Policy, FlagshipBoundary
>>> from iqm_rules.auditing.whatif import compare
>>> strict = Policy(flagship_boundary=FlagshipBoundary.MORE_THAN)
>>> (change,) = compare([load_history(example_text("flagship-journey"))],
...                     date(2025, 9, 1), Policy(), strict)
>>> print(school_text(change), end="")
URN-140876 (Ashgrove Academy)
  Flagship School: due 1 July 2026 → 24 June 2026; lapses on 1 October 2026 → 24
    September 2026; held since 1 July 2024 → 24 June 2025
  assessment AG-2024-01 of 1 July 2024: granted → granted the lower level Centre
    of Excellence (FS-4 (Centre of Excellence held long enough) now fails: wait:
    Centre of Excellence will have been held long enough on 2 July 2024)
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date

from iqm_rules._shown import shown
from iqm_rules.auditing.whatif import AwardChange, DecisionChange, Flip, SchoolChange, Summary
from iqm_rules.awards import Award
from iqm_rules.lifecycle.records import AwardState
from iqm_rules.lifecycle.said import action_lines, awarded_said, level_said, rule_title
from iqm_rules.words import ENGLISH, Words

__all__ = ["kind_said", "school_text", "summary_text", "text"]


def _day(words: Words, day: date | None) -> str:
    return words.date(day) if day is not None else words.gettext("none")


def _award_said(words: Words, change: AwardChange) -> str:
    """``Flagship School: due 1 July 2026 → 24 June 2026``: only what differs."""
    b, a = change.before, change.after
    parts: list[str] = []
    if b.state is not a.state:
        parts.append(
            words.gettext(
                "%(before)s → %(after)s", before=words.title(b.state), after=words.title(a.state)
            )
        )
    if b.due != a.due:
        parts.append(
            words.gettext(
                "due %(before)s → %(after)s", before=_day(words, b.due), after=_day(words, a.due)
            )
        )
    if b.lapses_on != a.lapses_on:
        parts.append(
            words.gettext(
                "lapses on %(before)s → %(after)s",
                before=_day(words, b.lapses_on),
                after=_day(words, a.lapses_on),
            )
        )
    if b.ended_on != a.ended_on:
        parts.append(
            words.gettext(
                "ended on %(before)s → %(after)s",
                before=_day(words, b.ended_on),
                after=_day(words, a.ended_on),
            )
        )
    if b.since != a.since:
        parts.append(
            words.gettext(
                "held since %(before)s → %(after)s",
                before=_day(words, b.since),
                after=_day(words, a.since),
            )
        )
    return words.gettext(
        "%(award)s: %(changes)s", award=words.title(change.award), changes="; ".join(parts)
    )


def _flip_said(words: Words, flip: Flip) -> str:
    title = rule_title(words, flip.rule)
    if flip.now_passes:
        return words.gettext("%(rule)s (%(title)s) now passes", rule=flip.rule, title=title)
    if flip.missing is None:
        return words.gettext("%(rule)s (%(title)s) now fails", rule=flip.rule, title=title)
    return words.gettext(
        "%(rule)s (%(title)s) now fails: %(actions)s",
        rule=flip.rule,
        title=title,
        actions=words.listing(action_lines(words, flip.missing)),
    )


def _decision_said(words: Words, change: DecisionChange) -> str:
    values = {
        "assessment": change.assessment_id,
        "day": words.date(change.held_on),
        "before": awarded_said(words, change.sought, change.awarded_before),
        "after": awarded_said(words, change.sought, change.awarded_after),
    }
    if not change.flips:
        return words.gettext(
            "assessment %(assessment)s of %(day)s: %(before)s → %(after)s", **values
        )
    return words.gettext(
        "assessment %(assessment)s of %(day)s: %(before)s → %(after)s (%(why)s)",
        why=words.listing([_flip_said(words, flip) for flip in change.flips]),
        **values,
    )


def _wrapped(line: str, width: int, first: str = "  ", rest: str = "    ") -> str:
    return textwrap.fill(
        shown(line),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def school_text(change: SchoolChange, words: Words = ENGLISH, width: int = 80) -> str:
    """The lines of one changed school for people (empty if it is unchanged), wrapped to
    ``width``: its id and name, then only what changed; ids, names and errors shown safe on a
    terminal (:func:`~iqm_rules._shown.shown`)."""
    if change.unchanged:
        return ""
    head = f"{change.school_id} ({change.school_name})" if change.school_name else change.school_id
    lines = [_wrapped(head, width, "", "  ")]
    if change.level_before != change.level_after:
        lines.append(
            _wrapped(
                words.gettext(
                    "level held: %(before)s → %(after)s",
                    before=level_said(words, change.level_before),
                    after=level_said(words, change.level_after),
                ),
                width,
            )
        )
    if change.error_before != change.error_after:
        lines.append(
            _wrapped(
                words.gettext(
                    "the history cannot be read: %(before)s → %(after)s",
                    before=change.error_before or words.gettext("none"),
                    after=change.error_after or words.gettext("none"),
                ),
                width,
            )
        )
    lines += [_wrapped(_award_said(words, a), width) for a in change.awards]
    lines += [_wrapped(_decision_said(words, d), width) for d in change.decisions]
    return "\n".join(lines) + "\n"


def N_(message: str) -> str:
    """A message marked for the catalog (gettext's convention), translated where it is used."""
    return message


_WHEN = {
    "due": (N_("%(award)s falls due earlier"), N_("%(award)s falls due later")),
    "lapse": (N_("%(award)s lapses earlier"), N_("%(award)s lapses later")),
    "end": (N_("%(award)s ends earlier"), N_("%(award)s ends later")),
    "start": (N_("%(award)s starts earlier"), N_("%(award)s starts later")),
}


def kind_said(words: Words, kind: str) -> str:
    """A kind of change of :attr:`SchoolChange.kinds` (``flagship due earlier``) in plain
    words (``Flagship School falls due earlier``)."""
    if kind == "become invalid":
        return words.gettext("the history becomes unreadable")
    if kind == "become valid":
        return words.gettext("the history becomes readable")
    if kind == "have a decision changed":
        return words.gettext("a decision changes")
    verb, _, rest = kind.partition(" ")
    if verb in ("lose", "gain") and rest in {award.value for award in Award}:
        award = words.title(Award.parse(rest))
        if verb == "lose":
            return words.gettext("loses %(award)s", award=award)
        return words.gettext("gains %(award)s", award=award)
    award = words.title(Award.parse(verb))
    if rest == "dates change":
        return words.gettext("the dates of %(award)s change", award=award)
    if " -> " in rest:
        before, after = rest.split(" -> ")
        return words.gettext(
            "%(award)s: %(before)s → %(after)s",
            award=award,
            before=words.title(AwardState.parse(before)),
            after=words.title(AwardState.parse(after)),
        )
    what, _, how = rest.partition(" ")
    earlier, later = _WHEN[what]
    message = earlier if how == "earlier" else later
    return words.gettext(message, award=award)


def summary_text(summary: Summary, words: Words = ENGLISH, width: int = 80) -> str:
    """The summary for people: schools per kind of change, the rules responsible, unchanged."""
    lines = [words.gettext("Summary:")]
    lines += [
        _wrapped(
            words.ngettext(
                "%(n)s school: %(change)s",
                "%(n)s schools: %(change)s",
                n,
                change=kind_said(words, kind),
            ),
            width,
        )
        for kind, n in summary.kinds
    ]
    if summary.rules:
        responsible = [
            words.ngettext(
                "%(rule)s, %(title)s (%(n)s school)",
                "%(rule)s, %(title)s (%(n)s schools)",
                n,
                rule=rule,
                title=rule_title(words, rule),
            )
            for rule, n in summary.rules
        ]
        lines.append(
            _wrapped(
                words.gettext("rules responsible: %(rules)s", rules=words.listing(responsible)),
                width,
            )
        )
    lines.append(
        _wrapped(
            words.ngettext(
                "%(n)s school unchanged of %(schools)s",
                "%(n)s schools unchanged of %(schools)s",
                summary.unchanged,
                schools=summary.schools,
            ),
            width,
        )
    )
    return "\n".join(lines) + "\n"


def text(
    changes: Sequence[SchoolChange], summary: Summary, words: Words = ENGLISH, width: int = 80
) -> str:
    """The report for people: each changed school, then the summary."""
    return "".join(school_text(c, words, width) for c in changes) + summary_text(
        summary, words, width
    )

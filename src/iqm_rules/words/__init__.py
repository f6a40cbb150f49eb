"""Every text a person reads, in their language: the one way to say something (RULEBOOK §1).

A :class:`Words` is a translator: whole sentences with named placeholders
(``"due by %(day)s"``), plural forms from the catalog (:meth:`Words.ngettext`), a context where
one English word has two meanings (:meth:`Words.pgettext`), every vocabulary term by its title
(:meth:`Words.title`) and dates in long form (:meth:`Words.date`). The messages live in GNU
gettext catalogs under ``locale/`` (domain ``iqm_rules``), read by the standard library's
:mod:`gettext`; English is the source text and needs none.

Nothing here changes process-wide state: no locale is set and nothing is installed into the
builtins. A program picks a language (:func:`language_of` reads ``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES`` and ``LANG`` from the environment it is given) and passes the
:class:`Words` of it (:func:`words`) to whatever makes text; English is every default.

>>> from datetime import date
>>> welsh = words("cy")
>>> welsh.date(date(2026, 7, 1)), ENGLISH.date(date(2026, 7, 1))
('1 Gorffennaf 2026', '1 July 2026')
>>> from iqm_rules.awards import Award
>>> welsh.title(Award.FLAGSHIP)
'Ysgol Flaenllaw'
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Protocol

from iqm_rules._terms import Term

__all__ = [
    "DOMAIN",
    "ENGLISH",
    "LANGUAGES",
    "LOCALE_DIR",
    "Catalog",
    "Words",
    "accepted_language",
    "language_of",
    "words",
]

DOMAIN = "iqm_rules"
"""The gettext domain: ``locale/LANG/LC_MESSAGES/iqm_rules.po`` (and ``.mo``)."""

LOCALE_DIR = Path(__file__).parent / "locale"
"""Where the catalogs are."""

LANGUAGES: tuple[str, ...] = ("en", "cy")
"""The languages of the text outputs: English (the source) and Welsh."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Catalog(Protocol):
    """What :class:`Words` reads of a translation (:class:`gettext.GNUTranslations` has it)."""

    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...
    def pgettext(self, context: str, message: str, /) -> str: ...
    def npgettext(self, context: str, singular: str, plural: str, n: int, /) -> str: ...


class Words:
    """The texts of one language: each method finds the message in the catalog, then fills its
    named placeholders with ``values`` (``%(name)s``); a message is never built from pieces."""

    __slots__ = ("catalog", "language")

    def __init__(self, language: str, catalog: Catalog) -> None:
        self.language = language
        self.catalog = catalog

    def __repr__(self) -> str:
        return f"Words({self.language!r})"

    def gettext(self, message: str, /, **values: object) -> str:
        """``message`` in this language, its placeholders filled."""
        return _filled(self.catalog.gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The plural form for ``n`` (its placeholder ``%(n)s`` is ``n``)."""
        return _filled(self.catalog.ngettext(singular, plural, n), {"n": n, **values})

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """``message`` in ``context`` (one English word, two meanings)."""
        return _filled(self.catalog.pgettext(context, message), values)

    def npgettext(
        self, context: str, singular: str, plural: str, n: int, /, **values: object
    ) -> str:
        """The plural form for ``n`` in ``context``."""
        return _filled(self.catalog.npgettext(context, singular, plural, n), {"n": n, **values})

    def title(self, term: Term) -> str:
        """A vocabulary term by its title; the catalog's context is the term's type
        (``Element``, ``Award``, ``AwardState``…)."""
        return self.catalog.pgettext(type(term).__name__, term.title)

    def short_title(self, term: Term) -> str:
        """A term's title without its parenthesised gloss: ``Curriculum``."""
        return _GLOSS.sub("", self.title(term))

    def titles(self, terms: Iterable[Term]) -> str:
        """Terms by their short titles, as a list people read (:meth:`listing`)."""
        return self.listing([self.short_title(term) for term in terms])

    def date(self, day: date) -> str:
        """A date as people write it: ``1 July 2026``, ``1 Gorffennaf 2026``."""
        month = self.catalog.pgettext("month", _MONTHS[day.month - 1])
        return self.pgettext(
            "date", "%(day)s %(month)s %(year)s", day=day.day, month=month, year=day.year
        )

    def listing(self, items: Sequence[str]) -> str:
        """``A``, ``A and B``, ``A; B and C``: items joined as a sentence of this language joins
        them. Items are separated by semicolons, since titles hold commas."""
        if not items:
            return self.gettext("none")
        if len(items) == 1:
            return items[0]
        head = self.pgettext("list", "%(head)s; %(item)s")
        joined = items[0]
        for item in items[1:-1]:
            joined = _filled(head, {"head": joined, "item": item})
        return self.pgettext("list", "%(head)s and %(last)s", head=joined, last=items[-1])


_GLOSS = re.compile(r" \([^()]*\)")
"""A parenthesised gloss of a title: `` (what is taught)``."""


def _filled(message: str, values: Mapping[str, object]) -> str:
    return message % values if values else message


@cache
def words(language: str | None = None) -> Words:
    """The :class:`Words` of ``language`` (``en``, ``cy``, or a locale name such as ``cy_GB``);
    English for ``None`` or a language with no catalog."""
    code = _code(language)
    if code == "en":
        return ENGLISH
    catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    return Words(code, catalog)


def _code(language: str | None) -> str:
    """``cy_GB.UTF-8`` → ``cy``; ``en`` for anything without a catalog."""
    if not language:
        return "en"
    code = language.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def language_of(environ: Mapping[str, str]) -> str:
    """The language an environment asks for, as gettext reads it: the first of ``LANGUAGE``
    (a colon-separated list), ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set; the first
    language of it with a catalog, else English.

    >>> language_of({"LANGUAGE": "fr:cy", "LANG": "en_GB.UTF-8"}), language_of({"LANG": "C"})
    ('cy', 'en')
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            for wanted in value.split(":"):
                if _code(wanted) != "en" or wanted.lower().startswith("en"):
                    return _code(wanted)
            return "en"
    return "en"


def accepted_language(header: str | None) -> str:
    """The language of :data:`LANGUAGES` an HTTP ``Accept-Language`` header prefers (RFC 9110,
    section 12.5.4): the highest ``q`` first, the header's order between equals, ``*`` for
    English; English when it names none of them (or is absent or malformed).

    >>> accepted_language("fr, cy;q=0.8, en;q=0.5"), accepted_language("en-GB,cy;q=0.9")
    ('cy', 'en')
    >>> accepted_language("cy;q=0"), accepted_language(None)
    ('en', 'en')
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, *parameters = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        code = "en" if tag == "*" else tag.split("-")[0].lower()
        if weight > 0 and code in LANGUAGES:
            ranked.append((-weight, index, code))
    return min(ranked)[2] if ranked else "en"


ENGLISH = Words("en", gettext.NullTranslations())
"""English, the language the messages are written in."""

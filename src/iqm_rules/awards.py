"""The award ladder: three levels, each needing every level below it (RULEBOOK §1, §3)."""

from __future__ import annotations

from iqm_rules._terms import RankedTerm

__all__ = ["Award"]


class Award(RankedTerm):
    """An IQM award level, ordered ``inclusive_school < centre_of_excellence < flagship``.

    >>> Award.FLAGSHIP > Award.INCLUSIVE_SCHOOL
    True
    >>> [a.value for a in Award.CENTRE_OF_EXCELLENCE.up_to()]
    ['inclusive_school', 'centre_of_excellence']
    """

    INCLUSIVE_SCHOOL = ("inclusive_school", "Inclusive School Award")
    CENTRE_OF_EXCELLENCE = ("centre_of_excellence", "Centre of Excellence")
    FLAGSHIP = ("flagship", "Flagship School")

    @property
    def level(self) -> int:
        """The level number: 1, 2 or 3."""
        return self.rank + 1

    def up_to(self) -> tuple[Award, ...]:
        """Every level from the lowest up to and including this one."""
        return _LEVELS[: self.rank + 1]

    @property
    def below(self) -> Award | None:
        """The level directly below, or ``None`` for the lowest."""
        return None if self.rank == 0 else _LEVELS[self.rank - 1]


_LEVELS: tuple[Award, ...] = tuple(Award)
"""The levels, lowest first, made once (the replay asks for the level below often)."""

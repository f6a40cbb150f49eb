"""`flagship_eligible_from` under a policy book, case by case where the properties of
``test_flagship_eligibility.py`` reach a branch only on some random draws."""

from __future__ import annotations

from datetime import date

from builders import assessment
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import decide
from iqm_rules.decisions.facts import Prior
from iqm_rules.decisions.rules import flagship_eligible_from
from iqm_rules.policy import Policy, PolicyBook


def test_a_later_policy_passing_before_it_starts_is_eligible_from_its_start() -> None:
    """Under P2 alone FS-4 would pass from 2020-09-01, before P2 is in force; under P1, in force
    until then, only from 2022-09-01, after P2 starts: so FS-4 passes for good from P2's start."""
    book = PolicyBook(
        (
            Policy(id="P1", effective_from=date(2000, 1, 1), flagship_min_coe_years=3),
            Policy(id="P2", effective_from=date(2021, 1, 1), flagship_min_coe_years=1),
        )
    )
    coe_since = date(2019, 9, 1)
    assert flagship_eligible_from(coe_since, book) == date(2021, 1, 1)
    prior = Prior(
        held=frozenset({Award.INCLUSIVE_SCHOOL, Award.CENTRE_OF_EXCELLENCE}), coe_since=coe_since
    )

    def passes(day: date) -> bool:
        flagship = assessment("F", day, sought=Award.FLAGSHIP, meets=Award.FLAGSHIP)
        return decide(flagship, prior, book).finding("FS-4").passed

    assert not passes(date(2020, 12, 31))
    assert passes(date(2021, 1, 1))

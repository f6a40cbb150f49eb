"""Every judgement vector (4^8) and every set of commitments (2^8), checked exhaustively."""

from __future__ import annotations

import itertools
from datetime import date

import attrs
import pytest

from builders import flagship_ready, holding_coe
from iqm_rules.assessment import Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import decide
from iqm_rules.decisions.facts import RuleInput
from iqm_rules.decisions.registry import Verdict
from iqm_rules.decisions.rules import CE_COMMITMENTS, FS_COMMITMENTS, rule
from iqm_rules.decisions.shortfalls import Missing
from iqm_rules.principles import Element
from strategies import facts

ELEMENTS = tuple(Element)
POSITION = {element: index for index, element in enumerate(ELEMENTS)}
RANK = {judgement: judgement.rank for judgement in Judgement}
STEPS = tuple(Judgement)
Vector = tuple[Judgement, ...]
IS_1, CE_1, FS_1 = rule("IS-1"), rule("CE-1"), rule("FS-1")


def code(vector: Vector) -> int:
    """The vector as a base-4 number, element 0 the most significant digit."""
    number = 0
    for judgement in vector:
        number = number * 4 + judgement.rank
    return number


BASE = facts()


def verdicts(vector: Vector) -> tuple[Verdict, Verdict, Verdict]:
    judged = RuleInput(
        BASE.held_on,
        BASE.recent_evidence,
        BASE.commitments,
        BASE.cluster_meetings_attended,
        BASE.prior,
        BASE.policy,
        dict(zip(ELEMENTS, vector, strict=True)),
    )
    return IS_1.check(judged), CE_1.check(judged), FS_1.check(judged)


def raised(vector: Vector, missing: Missing) -> int:
    """The :func:`code` of ``vector`` with the judgements ``missing`` names raised."""
    ranks = [RANK[judgement] for judgement in vector]
    for element, target in missing.raise_to:
        ranks[POSITION[element]] = max(ranks[POSITION[element]], RANK[target])
    for element in missing.embedded_from[: missing.embedded_more]:
        ranks[POSITION[element]] = 3
    return sum(rank * 4 ** (7 - index) for index, rank in enumerate(ranks))


@attrs.frozen
class Judged:
    """IS-1, CE-1, FS-1 on every vector (indexed by :func:`code`, the enumeration order).

    ``passed[n]`` holds the three results; ``fixed[n]`` the code of the vector raised as each
    failing verdict's ``missing`` says (-1 for a passing one). Only small values are kept, so
    that 65,536 rows stay cheap.
    """

    passed: list[tuple[bool, bool, bool]]
    fixed: list[tuple[int, int, int]]
    consistent: bool


@pytest.fixture(scope="module")
def judged() -> Judged:
    passed: list[tuple[bool, bool, bool]] = []
    fixed: list[tuple[int, int, int]] = []
    consistent = True
    for vector in itertools.product(STEPS, repeat=8):
        row = verdicts(vector)
        passed.append((row[0].passed, row[1].passed, row[2].passed))
        fixed.append(
            tuple(  # type: ignore[arg-type]
                -1 if verdict.missing is None else raised(vector, verdict.missing)
                for verdict in row
            )
        )
        consistent &= all((v.missing is None) is v.passed for v in row)
    return Judged(passed, fixed, consistent)


@pytest.fixture(scope="module")
def levels(judged: Judged) -> list[int]:
    """The ladder level of every vector (0 none … 3 flagship) when every other rule passes."""
    found = []
    for row in judged.passed:
        level = 0
        while level < 3 and row[level]:
            level += 1
        found.append(level)
    return found


def test_exhaustive_judgement_rules_match_their_rulebook_rows(judged: Judged) -> None:
    ranks = itertools.product(range(4), repeat=8)
    for vector, (is_1, ce_1, fs_1) in zip(ranks, judged.passed, strict=True):
        embedded = vector.count(3)
        assert is_1 is (min(vector) >= 2)
        assert ce_1 is (embedded >= 4 and vector[0] == 3)
        assert fs_1 is (embedded == 8)


def test_exhaustive_judgement_shortfalls_make_their_rule_pass(judged: Judged) -> None:
    assert judged.consistent
    for number, row in enumerate(judged.fixed):
        for index, fixed in enumerate(row):
            assert (fixed == -1) is judged.passed[number][index]
            if fixed != -1:
                assert judged.passed[fixed][index], number


def test_exhaustive_judgements_ladder_flagship_means_every_judgement_rule_passed(
    judged: Judged, levels: list[int]
) -> None:
    """Awarded flagship ⇒ IS-1 and CE-1 passed; awarded anything ⇒ IS-1 passed."""
    for row, level in zip(judged.passed, levels, strict=True):
        assert all(row[:level])
        if row[2]:
            assert level == 3
    assert levels.count(3) == 1
    assert levels[code((Judgement.EMBEDDED,) * 8)] == 3


def test_exhaustive_judgements_raising_one_never_lowers_the_level(levels: list[int]) -> None:
    for number, level in enumerate(levels):
        for digit in range(8):
            place = 4**digit
            if (number // place) % 4 < 3:
                assert levels[number + place] >= level, (number, digit)


def test_exhaustive_judgements_agree_with_decide_on_a_sample(levels: list[int]) -> None:
    """decide's ladder gives the same level as the judgement rules, on every 257th vector."""
    base = flagship_ready()
    prior = holding_coe(date(2015, 1, 1))
    for vector in itertools.islice(itertools.product(STEPS, repeat=8), 0, None, 257):
        decision = decide(
            attrs.evolve(base, judgements=dict(zip(ELEMENTS, vector, strict=True))), prior
        )
        awarded = decision.awarded_level.level if decision.awarded_level else 0
        assert awarded == levels[code(vector)], vector


SUBSETS = [
    frozenset(chosen)
    for size in range(len(Commitment) + 1)
    for chosen in itertools.combinations(Commitment, size)
]


def test_exhaustive_commitments_against_CE_2_and_FS_2() -> None:
    assert len(SUBSETS) == 256
    for made in SUBSETS:
        ce_2 = rule("CE-2").check(facts(commitments=made))
        fs_2 = rule("FS-2").check(facts(commitments=made))
        assert ce_2.passed is (made >= CE_COMMITMENTS)
        assert fs_2.passed is (made >= FS_COMMITMENTS)
        for needed, verdict in ((CE_COMMITMENTS, ce_2), (FS_COMMITMENTS, fs_2)):
            if verdict.missing is not None:
                assert set(verdict.missing.commitments) == needed - made
                assert verdict.message == "missing commitments: " + ", ".join(
                    sorted(c.value for c in needed - made)
                )


def test_exhaustive_commitments_decide_level_and_monotonicity() -> None:
    base = flagship_ready()
    prior = holding_coe(date(2015, 1, 1))
    awarded: dict[frozenset[Commitment], Award | None] = {}
    for made in SUBSETS:
        level = decide(attrs.evolve(base, commitments=made), prior).awarded_level
        if made >= CE_COMMITMENTS:
            expected = Award.FLAGSHIP if made >= FS_COMMITMENTS else Award.CENTRE_OF_EXCELLENCE
        else:
            expected = Award.INCLUSIVE_SCHOOL
        assert level is expected, made
        awarded[made] = level
    for made in SUBSETS:
        for commitment in set(Commitment) - made:
            more = awarded[made | {commitment}]
            assert more is not None
            assert more >= (awarded[made] or Award.INCLUSIVE_SCHOOL)

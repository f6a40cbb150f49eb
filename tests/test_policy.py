"""Policies are dated, validated data (RULEBOOK §2); the book picks the one in force (LC-8)."""

from __future__ import annotations

import importlib
import re
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given

from iqm_rules import (
    DEFAULT_POLICY,
    Award,
    Element,
    FlagshipBoundary,
    InvalidPolicy,
    Policy,
    PolicyBook,
)
from iqm_rules.errors import InvalidRecord
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.policy import policy_in_force
from iqm_rules.testing import dates, policies, policy_books

policy_module = importlib.import_module("iqm_rules.policy")
"""The module itself, for the helpers that run while the ``Policy`` class body is evaluated."""


def test_defaults_are_those_of_policy_iqm_2025_1() -> None:
    assert DEFAULT_POLICY.id == "iqm-2025.1"
    assert (
        DEFAULT_POLICY.evidence_window_months,
        DEFAULT_POLICY.min_items_per_element,
        DEFAULT_POLICY.min_items_per_principle,
        DEFAULT_POLICY.min_voice_kinds,
        DEFAULT_POLICY.coe_min_embedded,
        DEFAULT_POLICY.flagship_min_cluster_meetings,
        DEFAULT_POLICY.flagship_min_coe_years,
        DEFAULT_POLICY.renewal_window_months,
        DEFAULT_POLICY.grace_months,
    ) == (18, 2, 2, 3, 4, 2, 3, 6, 3)
    assert DEFAULT_POLICY.coe_required_embedded == {Element.INCLUSION_VALUES}
    assert DEFAULT_POLICY.flagship_boundary is FlagshipBoundary.AT_LEAST
    assert [DEFAULT_POLICY.cycle(award) for award in Award] == [3, 1, 1]


def test_every_parameter_is_described_and_readable() -> None:
    names = {a.name for a in attrs.fields(Policy)} - {"id", "effective_from"}
    assert set(PARAMETERS) == names
    for name, parameter in PARAMETERS.items():
        assert parameter.description
        assert parameter.used_by
        assert DEFAULT_POLICY.parameter(name) == getattr(DEFAULT_POLICY, name)
    with pytest.raises(KeyError):
        DEFAULT_POLICY.parameter("id")


STRAY_KEY_CYCLES: dict[object, int] = {"flagship": 1, **dict.fromkeys(Award, 1)}


@pytest.mark.parametrize(
    ("changes", "path", "allowed"),
    [
        ({"evidence_window_months": -1}, "evidence_window_months", "from 0 to 1,200"),
        ({"min_items_per_element": -2}, "min_items_per_element", "from 0 to 1,000"),
        ({"min_items_per_principle": 1.5}, "min_items_per_principle", "whole number from 0"),
        ({"min_voice_kinds": 5}, "min_voice_kinds", "from 0 to 4"),
        ({"coe_min_embedded": 9}, "coe_min_embedded", "from 0 to 8"),
        ({"coe_required_embedded": {"inclusion_values"}}, "coe_required_embedded", "Element"),
        ({"flagship_min_cluster_meetings": -1}, "flagship_min_cluster_meetings", "from 0 to 1,000"),
        ({"flagship_min_coe_years": True}, "flagship_min_coe_years", "whole number"),
        ({"flagship_boundary": "over"}, "flagship_boundary", "at_least, more_than"),
        ({"renewal_window_months": -6}, "renewal_window_months", "from 0 to 1,200"),
        ({"grace_months": -3}, "grace_months", "from 0 to 1,200"),
        ({"id": ""}, "id", "non-empty text"),
        ({"effective_from": "2025-01-01"}, "effective_from", "must be a date"),
        ({"cycle_years": {Award.INCLUSIVE_SCHOOL: 3}}, "cycle_years", "missing centre_of"),
        (
            {
                "cycle_years": {
                    Award.INCLUSIVE_SCHOOL: 3,
                    Award.CENTRE_OF_EXCELLENCE: 0,
                    Award.FLAGSHIP: 1,
                }
            },
            "cycle_years.centre_of_excellence",
            "whole number from 1 to 100",
        ),
        ({"cycle_years": [3, 1, 1]}, "cycle_years", "map each award"),
        (
            {"cycle_years": STRAY_KEY_CYCLES},
            "cycle_years",
            "keys must be",
        ),
    ],
)
def test_invalid_parameters_are_rejected_with_what_is_allowed(
    changes: dict[str, Any], path: str, allowed: str
) -> None:
    with pytest.raises(InvalidPolicy, match=f"^{re.escape(path)}: .*{re.escape(allowed)}"):
        Policy(**changes)


@given(policies())
def test_generated_policies_survive_evolve(policy: Policy) -> None:
    assert attrs.evolve(policy) == policy
    with pytest.raises(InvalidPolicy):
        attrs.evolve(policy, grace_months=-1)


def test_a_lone_policy_is_in_force_on_every_date() -> None:
    dated = attrs.evolve(DEFAULT_POLICY, effective_from=date(2030, 1, 1))
    assert policy_in_force(dated, date(2001, 1, 1)) is dated


def test_the_book_picks_the_latest_policy_not_after_the_date() -> None:
    old = attrs.evolve(DEFAULT_POLICY, id="old", effective_from=date(2020, 1, 1))
    new = attrs.evolve(DEFAULT_POLICY, id="new", effective_from=date(2025, 9, 1))
    book = PolicyBook((new, old))
    assert book.in_force(date(2025, 8, 31)).id == "old"
    assert book.in_force(date(2025, 9, 1)).id == "new"
    assert policy_in_force(book, date(2030, 1, 1)).id == "new"
    with pytest.raises(InvalidPolicy, match="no policy is in force on 2019-12-31"):
        book.in_force(date(2019, 12, 31))


def test_a_book_rejects_repeated_ids_and_dates_and_non_policies() -> None:
    other_day = attrs.evolve(DEFAULT_POLICY, effective_from=date(2025, 1, 1))
    with pytest.raises(InvalidPolicy, match=r"^policies\[1\]\.id: duplicate policy id"):
        PolicyBook((DEFAULT_POLICY, other_day))
    with pytest.raises(InvalidPolicy, match=r"^policies\[1\]\.effective_from: another policy"):
        PolicyBook((DEFAULT_POLICY, attrs.evolve(DEFAULT_POLICY, id="x")))
    with pytest.raises(InvalidPolicy, match=r"^policies\[0\]: must be a Policy"):
        PolicyBook(("iqm-2025.1",))
    with pytest.raises(InvalidPolicy, match="at least one Policy"):
        PolicyBook(())


@given(policy_books(), dates())
def test_in_force_is_the_latest_effective_from_not_after_the_day(
    book: PolicyBook, day: date
) -> None:
    starts = sorted(p.effective_from for p in book.policies)
    if day < starts[0]:
        with pytest.raises(InvalidPolicy, match="no policy is in force"):
            book.in_force(day)
        return
    chosen = book.in_force(day)
    assert chosen.effective_from <= day
    assert not any(chosen.effective_from < start <= day for start in starts)


def test_parameter_of_an_unknown_name_is_a_key_error_naming_it() -> None:
    for name in ("id", "effective_from", "grace"):
        with pytest.raises(KeyError) as raised:
            DEFAULT_POLICY.parameter(name)
        assert raised.value.args == (name,)


def test_cycle_years_of_the_wrong_shape_say_what_is_allowed() -> None:
    with pytest.raises(InvalidPolicy) as raised:
        Policy(cycle_years=[3, 1, 1])
    assert str(raised.value) == "cycle_years: must map each award to a whole number of years"
    with pytest.raises(InvalidPolicy) as raised:
        Policy(
            cycle_years={
                Award.INCLUSIVE_SCHOOL: 3,
                Award.CENTRE_OF_EXCELLENCE: True,
                Award.FLAGSHIP: 1,
            }
        )
    assert str(raised.value) == (
        "cycle_years.centre_of_excellence: must be a whole number from 1 to 100, got True"
    )


def test_field_metadata_holds_the_description_and_what_is_allowed() -> None:
    assert policy_module._about("Months of grace", "months, 0 to 1,200") == {
        "description": "Months of grace",
        "allowed": "months, 0 to 1,200",
    }
    grace = attrs.fields(Policy).grace_months
    assert dict(grace.metadata) == {
        "description": "Months after due before an award lapses",
        "allowed": "months, a whole number 0 to 1,200",
    }


def test_policy_field_checks_raise_invalid_policy_at_the_same_path() -> None:
    """Field checks are wrapped while the class body runs; the wrapper itself is pinned here."""
    calls: list[tuple[object, object, object]] = []

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        calls.append((instance, attribute, value))
        if value == "bad":
            raise InvalidRecord(f"{attribute.name}[0]", "is bad")

    wrapped = policy_module._policy(check)
    field = attrs.fields(Policy).id
    assert wrapped(DEFAULT_POLICY, field, "good") is None
    with pytest.raises(InvalidPolicy) as raised:
        wrapped(DEFAULT_POLICY, field, "bad")
    assert (raised.value.path, raised.value.problem) == ("id[0]", "is bad")
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__
    assert calls == [(DEFAULT_POLICY, field, "good"), (DEFAULT_POLICY, field, "bad")]

"""Policy files written by hand: TOML and JSON, inheritance within a book, the shipped default."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings

from iqm_rules.errors import InvalidPolicy, InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.lifecycle.replay import status
from iqm_rules.office.policy_files import (
    default_policy_text,
    differences,
    read_policy,
)
from iqm_rules.office.policy_files import (
    settings as settings_on,
)
from iqm_rules.policy import DEFAULT_POLICY, FlagshipBoundary, PolicyBook
from iqm_rules.testing import school_histories

BOOK_TOML = """
[[policies]]
id = "first"
effective_from = 2020-01-01
grace_months = 4
[[policies]]
id = "strict"
effective_from = 2026-09-01
flagship_boundary = "more_than"
cycle_years = { flagship = 2 }
"""

BOOK_JSON = {
    "format": "iqm-rules/policy@1",
    "policies": [
        {
            "id": "strict",
            "effective_from": "2026-09-01",
            "flagship_boundary": "more_than",
            "cycle_years": {"flagship": 2},
        },
        {"id": "first", "effective_from": "2020-01-01", "grace_months": 4},
    ],
}


def test_toml_and_json_forms_of_a_book_load_equal() -> None:
    assert read_policy(BOOK_TOML).book == read_policy(json.dumps(BOOK_JSON)).book


def test_a_later_policy_inherits_what_it_leaves_out_and_the_first_takes_defaults() -> None:
    book = read_policy(BOOK_TOML).book
    first, strict = book.policies
    assert first.grace_months == 4
    assert first.flagship_boundary is FlagshipBoundary.AT_LEAST
    assert first.renewal_window_months == DEFAULT_POLICY.renewal_window_months
    assert strict.grace_months == 4
    assert strict.flagship_boundary is FlagshipBoundary.MORE_THAN
    assert [strict.cycle(a) for a in sorted(strict.cycle_years)] == [3, 1, 2]


def test_the_day_before_the_change_is_decided_under_the_old_policy() -> None:
    book = read_policy(BOOK_TOML).book
    assert book.in_force(date(2026, 8, 31)).id == "first"
    assert book.in_force(date(2026, 9, 1)).id == "strict"


def test_settings_say_which_policy_set_each_parameter() -> None:
    written = read_policy(BOOK_TOML)
    by_name = {s.name: s for s in settings_on(written, date(2027, 1, 1))}
    assert by_name["grace_months"].set_by == "first"
    assert by_name["flagship_boundary"].set_by == "strict"
    assert by_name["min_voice_kinds"].set_by is None
    assert {s.in_force for s in by_name.values()} == {"strict"}


def test_differences_name_the_parameters_that_differ() -> None:
    book = read_policy(BOOK_TOML).book
    assert differences(DEFAULT_POLICY, book, date(2027, 1, 1)) == (
        "flagship_boundary",
        "cycle_years",
        "grace_months",
    )
    assert differences(book, book, date(2027, 1, 1)) == ()


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            '[[policies]]\nid = "a"\neffective_from = 2020-01-01\n'
            '[[policies]]\nid = "b"\neffective_from = 2021-01-01\ngrace_months = -5',
            "policies[1].grace_months",
        ),
        (
            '[[policies]]\nid = "a"\neffective_from = 2020-01-01\n'
            '[[policies]]\nid = "a"\neffective_from = 2021-01-01',
            "policies[1].id",
        ),
        (
            '[[policies]]\nid = "a"\neffective_from = 2020-01-01\n'
            '[[policies]]\nid = "b"\neffective_from = 2020-01-01',
            "policies[1].effective_from",
        ),
        ('id = "a"\neffective_from = 2020-01-01\ncolour = "red"', "colour"),
        ('id = "a"', "effective_from"),
        ("policies = []", "policies"),
        ("id = [", ""),
    ],
)
def test_a_bad_file_is_refused_with_its_path(text: str, path: str) -> None:
    with pytest.raises(InvalidRecord) as raised:
        read_policy(text)
    assert raised.value.path == path


def test_json_needs_its_format() -> None:
    with pytest.raises(InvalidPolicy, match="format"):
        read_policy('{"id": "a", "effective_from": "2020-01-01"}')


def test_the_shipped_default_file_is_the_default_policy() -> None:
    (policy,) = read_policy(default_policy_text()).book.policies
    assert policy == DEFAULT_POLICY


@settings(max_examples=30, deadline=None)
@given(school_histories())
def test_a_book_holding_only_the_default_decides_as_the_default(history: SchoolHistory) -> None:
    book = read_policy(default_policy_text()).book
    assert isinstance(book, PolicyBook)
    for day in (date(2000, 1, 1), date(2030, 1, 1)):
        try:
            expected = status(history, day, DEFAULT_POLICY)
        except InvalidPolicy:
            continue
        except ValueError as error:
            with pytest.raises(type(error)):
                status(history, day, book)
            continue
        assert status(history, day, book) == expected

"""Hostile input (issue: hostile input never crashes it): the calendar and the policy bounds.

Each defect has a test named after it; each fails on the library before the fix.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import assessment, history, withdrawal
from iqm_rules._dates import DateOutOfRange, add_days, add_months, add_years
from iqm_rules._validate import _CONTROL, _VISIBLE, ID_MAX_LENGTH, is_id
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import decide
from iqm_rules.errors import InvalidPolicy, InvalidRecord
from iqm_rules.interchange import _jsontext, load_history, load_policy
from iqm_rules.lifecycle.replay import replay, status, timeline, upcoming
from iqm_rules.policy import DEFAULT_POLICY, FlagshipBoundary, Policy, PolicyBook
from strategies import minimal_history

IS = Award.INCLUSIVE_SCHOOL
COE = Award.CENTRE_OF_EXCELLENCE


def test_a_due_date_past_9999_names_the_held_on() -> None:
    late = history(
        withdrawal(date(2020, 1, 1)), assessment("A9", date(9999, 3, 12), sought=IS, meets=IS)
    )
    with pytest.raises(InvalidRecord) as caught:
        status(late, date(9999, 3, 12))
    assert str(caught.value) == (
        "events[1].held_on: due date 3 years after 9999-03-12 is past 9999-12-31"
    )
    with pytest.raises(InvalidRecord, match=r"^events\[1\]\.held_on: due date"):
        timeline(late)


def test_a_recency_window_before_0001_names_the_held_on() -> None:
    early = history(assessment("A1", date(1, 4, 1), sought=IS, meets=IS))
    with pytest.raises(InvalidRecord) as caught:
        status(early, date(2000, 1, 1))
    assert str(caught.value) == (
        "events[0].held_on: recency window 18 months before 0001-04-01 is before 0001-01-01"
    )
    with pytest.raises(InvalidRecord, match=r"^held_on: recency window"):
        decide(early.events[0])  # type: ignore[arg-type]


def test_lapse_and_flagship_eligibility_past_9999_are_named_not_raised() -> None:
    lapse = history(assessment("A1", date(9996, 12, 1), sought=IS, meets=IS))
    with pytest.raises(InvalidRecord, match=r"^events\[0\]\.held_on: lapse date 3 months after"):
        replay(lapse)
    coe = history(assessment("A1", date(9998, 6, 1), sought=COE, meets=COE))
    yearly = Policy(cycle_years=dict.fromkeys(Award, 1))
    with pytest.raises(InvalidRecord) as caught:
        replay(coe, yearly)
    assert str(caught.value) == (
        "events[0].held_on: Flagship eligibility 3 years after 9998-06-01 is past 9999-12-31"
    )
    book = PolicyBook((DEFAULT_POLICY, Policy(id="later", effective_from=date(9999, 1, 1))))
    almost = history(assessment("A1", date(9996, 6, 1), sought=COE, meets=COE))
    assert replay(almost, book).status(date(9996, 6, 1)).level is COE
    edge = Policy(cycle_years=dict.fromkeys(Award, 1), flagship_boundary=FlagshipBoundary.MORE_THAN)
    on_edge = history(assessment("A1", date(9996, 12, 31), sought=COE, meets=COE))
    with pytest.raises(InvalidRecord, match=r"Flagship eligibility 1 day after 9999-12-31"):
        replay(on_edge, edge)


def test_an_anchored_renewal_past_9999_is_named_not_raised() -> None:
    policy = Policy(cycle_years={IS: 1, COE: 1, Award.FLAGSHIP: 1})
    chain = history(
        assessment("A1", date(9998, 1, 1), sought=IS, meets=IS),
        assessment("A2", date(9998, 12, 1), sought=IS, meets=IS),
    )
    with pytest.raises(InvalidRecord) as caught:
        replay(chain, policy)
    assert str(caught.value) == (
        "events[1].held_on: anchored due date 1 year after 9999-01-01 is past 9999-12-31"
    )


def test_far_dates_through_the_command_line_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from iqm_rules.cli import main

    document = minimal_history()
    document["events"][0]["held_on"] = "0001-03-01"
    document["events"][0]["evidence"][0]["collected_on"] = "0001-02-01"
    document["events"][0]["evidence"][1]["collected_on"] = "0001-02-01"
    del document["events"][1]
    path = tmp_path / "far.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["status", str(path), "--as-of", "0002-01-01"]) == 2
    assert "events[0].held_on: " in capsys.readouterr().err


def test_an_upcoming_horizon_past_the_calendar_holds_every_date() -> None:
    held = history(assessment("A1", date(2024, 3, 10), sought=IS, meets=IS))
    far = upcoming(held, date(2024, 3, 10), days=10**9)
    assert [item.award for item in far] == [IS]
    assert upcoming(held, date(2024, 3, 10), months=10**12) == far
    assert upcoming(held, date(2024, 3, 10), days=10) == ()
    with pytest.raises(ValueError, match="days: must be a whole number"):
        upcoming(held, date(2024, 3, 10), days=-1)


@given(st.dates(), st.integers(-(10**6), 10**6))
def test_month_arithmetic_raises_only_past_the_calendar(day: date, months: int) -> None:
    inside = 12 <= day.year * 12 + day.month - 1 + months < 120_000
    if inside:
        moved = add_months(day, months)
        assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    else:
        with pytest.raises(DateOutOfRange, match=r"is (past 9999-12-31|before 0001-01-01)$"):
            add_months(day, months)
    if not date.min.toordinal() <= day.toordinal() + months <= date.max.toordinal():
        with pytest.raises(DateOutOfRange):
            add_days(day, months)
    if not 1 <= day.year + months // 12 <= 9999:
        with pytest.raises(DateOutOfRange):
            add_years(day, months // 12)


def test_policy_bounds_every_default_within_rulebook_section_2() -> None:
    policy = DEFAULT_POLICY
    assert policy.id == "iqm-2025.1"
    assert policy.effective_from == date.min
    assert (policy.evidence_window_months, policy.renewal_window_months) == (18, 6)
    assert policy.grace_months == 3
    assert (policy.min_items_per_element, policy.min_items_per_principle) == (2, 2)
    assert (policy.min_voice_kinds, policy.coe_min_embedded) == (3, 4)
    assert {e.value for e in policy.coe_required_embedded} == {"inclusion_values"}
    assert policy.flagship_min_cluster_meetings == 2
    assert policy.flagship_min_coe_years == 3
    assert policy.flagship_boundary.value == "at_least"
    assert dict(policy.cycle_years) == {IS: 3, COE: 1, Award.FLAGSHIP: 1}


@pytest.mark.parametrize(
    ("name", "top"),
    [
        ("evidence_window_months", 1_200),
        ("renewal_window_months", 1_200),
        ("grace_months", 1_200),
        ("min_items_per_element", 1_000),
        ("min_items_per_principle", 1_000),
        ("flagship_min_cluster_meetings", 1_000),
        ("flagship_min_coe_years", 100),
    ],
)
def test_policy_bounds_each_number_at_and_past_its_limit(name: str, top: int) -> None:
    assert getattr(Policy(**{name: top}), name) == top  # type: ignore[arg-type]
    assert getattr(Policy(**{name: 0}), name) == 0  # type: ignore[arg-type]
    for bad in (top + 1, -1, 10**400):
        with pytest.raises(InvalidPolicy, match=f"^{name}: must be a whole number from 0 to "):
            Policy(**{name: bad})  # type: ignore[arg-type]


def test_policy_bounds_cycle_years_1_to_100() -> None:
    assert Policy(cycle_years={IS: 100, COE: 1, Award.FLAGSHIP: 1}).cycle(IS) == 100
    for bad in (0, 101, 100_000):
        with pytest.raises(InvalidPolicy, match=r"^cycle_years\.flagship: .* from 1 to 100"):
            Policy(cycle_years={IS: 3, COE: 1, Award.FLAGSHIP: bad})


def test_policy_documents_with_huge_numbers_name_the_path() -> None:
    for key, value, shown in [
        ("grace_months", "5000", "got 5000"),
        ("grace_months", "100000", "got 100000"),
    ]:
        text = (
            '{"format": "iqm-rules/policy@1", "policies": ['
            '{"id": "a", "effective_from": "2020-01-01"},'
            f'{{"id": "b", "effective_from": "2021-01-01", "{key}": {value}}}]}}'
        )
        with pytest.raises(InvalidRecord) as caught:
            load_policy(text)
        assert str(caught.value).startswith(
            f"policies[1].{key}: must be a whole number from 0 to 1,200, {shown}"
        )
    huge = '{"format": "iqm-rules/policy@1", "policies": [{"grace_months": 1%s}]}' % ("0" * 400)
    with pytest.raises(InvalidRecord) as caught:
        load_policy(huge)
    assert str(caught.value) == (
        "policies[0].grace_months: a number written with more than 400 digits is too large"
    )
    cycle = (
        '{"format": "iqm-rules/policy@1", "policies": [{"id": "a", "effective_from": '
        '"2020-01-01", "cycle_years": {"inclusive_school": 100000, '
        '"centre_of_excellence": 1, "flagship": 1}}]}'
    )
    with pytest.raises(InvalidRecord, match=r"^policies\[0\]\.cycle_years\.inclusive_school: "):
        load_policy(cycle)


def test_policy_bounds_two_policies_of_a_book_never_share_id_or_date() -> None:
    first = Policy(id="a", effective_from=date(2020, 1, 1))
    with pytest.raises(InvalidPolicy, match=r"^policies\[1\]\.id: duplicate"):
        PolicyBook((first, Policy(id="a", effective_from=date(2021, 1, 1))))
    with pytest.raises(InvalidPolicy, match=r"^policies\[1\]\.effective_from: another"):
        PolicyBook((first, Policy(id="b", effective_from=date(2020, 1, 1))))


def test_no_policy_in_force_names_the_effective_from_path() -> None:
    book = PolicyBook((Policy(id="late", effective_from=date(2030, 1, 1)),))
    with pytest.raises(InvalidPolicy) as caught:
        book.in_force(date(2029, 12, 31))
    assert str(caught.value) == (
        "effective_from: no policy is in force on 2029-12-31; "
        "the earliest takes effect on 2030-01-01"
    )
    assert book.in_force(date(2030, 1, 1)).id == "late"


def test_lone_surrogates_are_refused_on_reading_with_their_path() -> None:
    escaped = (
        '{"format":"iqm-rules/history@1","school":{"id":"URN-\\ud800","name":"x"},"events":[]}'
    )
    with pytest.raises(InvalidRecord) as caught:
        load_history(escaped)
    assert str(caught.value) == "school.id: holds a lone surrogate (\\ud800), which is not text"
    document = minimal_history()
    document["events"][0]["evidence"][1]["summary"] = "ok \udfff"
    with pytest.raises(InvalidRecord, match=r"^events\[0\]\.evidence\[1\]\.summary: holds"):
        load_history(json.dumps(document, ensure_ascii=False))
    with pytest.raises(InvalidRecord, match=r"^events\[0\]\.evidence\[1\]\.summary: holds"):
        load_history(json.dumps(document))
    paired = json.dumps({**minimal_history(), "school": {"id": "URN-\U0001f600", "name": "x"}})
    assert load_history(paired).school.id == "URN-\U0001f600"


_ANY_SURROGATE = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")


@given(
    st.lists(
        st.sampled_from(
            ["a", "é", "€", "\U0001f600", "\ud800", "\udfff", "\\", "u", "d", "D", "8", "b", "f"]
        )
        | st.text(max_size=3),
        max_size=12,
    ).map("".join)
)
def test_the_quick_look_for_surrogates_agrees_with_the_full_search(text: str) -> None:
    """The fast test of whether text may hold a lone surrogate answers what one regular
    expression over the whole text answers, raw or escaped, ASCII or not."""
    assert _jsontext._suspect(text) == (_ANY_SURROGATE.search(text) is not None)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_name_their_path(constant: str) -> None:
    text = json.dumps(minimal_history()).replace(
        '"cluster_meetings_attended": 1', f'"cluster_meetings_attended": {constant}'
    )
    with pytest.raises(InvalidRecord) as caught:
        load_history(text)
    assert str(caught.value) == (
        f"events[0].cluster_meetings_attended: {constant} is not a JSON number"
    )
    policy = (
        '{"format": "iqm-rules/policy@1", "policies": [{"id": "p", '
        f'"effective_from": "2020-01-01", "grace_months": {constant}}}]}}'
    )
    with pytest.raises(InvalidRecord, match=rf"^policies\[0\]\.grace_months: {constant} is not"):
        load_policy(policy)


def test_nesting_too_deep_names_where() -> None:
    text = json.dumps(minimal_history()).replace(
        '"reason": "School closed"', '"reason": ' + "[" * 5000 + "]" * 5000
    )
    with pytest.raises(InvalidRecord) as caught:
        load_history(text)
    assert str(caught.value).startswith("events[1].reason[0][0][0]…[0][0][0]: nested more than")
    with pytest.raises(InvalidRecord, match=r"^\[0\]\[0\].*nested more than 256 levels deep$"):
        load_history("[" * 3000)


def test_a_byte_order_mark_at_the_start_is_ignored() -> None:
    text = json.dumps(minimal_history())
    assert load_history("\ufeff" + text) == load_history(text)
    assert load_history(("\ufeff" + text).encode("utf-8")) == load_history(text)
    with pytest.raises(InvalidRecord, match="malformed JSON"):
        load_history("\ufeff\ufeff" + text)


def test_a_level_capped_by_the_lapse_of_the_level_below_lapses_with_it() -> None:
    short_below = Policy(cycle_years={IS: 1, COE: 3, Award.FLAGSHIP: 1})
    held = history(assessment("A1", date(2020, 1, 1), sought=COE, meets=COE))
    report = status(held, date(2021, 6, 1), short_below)
    assert report.level is None
    assert report.award(IS).ended_on == date(2021, 4, 1)
    assert report.award(COE).ended_on == date(2021, 4, 1)
    assert report.award(COE).lapses_on == date(2023, 4, 1)
    assert [str(s.state) for s in report.awards] == ["lapsed", "lapsed", "not_held"]
    with pytest.raises(KeyError):
        report.award("flagship")  # type: ignore[arg-type]


def test_an_ended_level_ends_on_its_own_end_date() -> None:
    from iqm_rules.lifecycle import clocks as lifecycle

    ended = history(
        assessment("A1", date(2020, 1, 1), sought=COE, meets=COE), withdrawal(date(2020, 6, 1))
    )
    clocks = replay(ended).steps[-1].clocks
    assert lifecycle._effective_end(clocks, COE) == date(2020, 6, 1)
    assert lifecycle._effective_end(clocks, None) == date.max


def test_an_audit_of_a_file_nested_too_deep_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from iqm_rules.cli import main

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    code = main(["audit", str(deep)])
    said = capsys.readouterr()
    assert code == 1, said
    assert "[0][0][0][0][0][0]…[0][0][0]: nested more than 256 levels deep" in said.out
    assert "Traceback" not in said.out + said.err


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=8))
def test_id_fast_path_for_ascii_equals_the_general_check(value: str) -> None:
    general = (
        0 < len(value) <= ID_MAX_LENGTH
        and _CONTROL.search(value) is None
        and _VISIBLE.search(value) is not None
    )
    assert is_id(value) == general

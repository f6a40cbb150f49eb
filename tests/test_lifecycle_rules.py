"""The registry of RULEBOOK §4: LC-1 … LC-8 once each, word for word, and where each is done."""

# The rows below quote RULEBOOK §4 character for character, its script l and minus signs included.
# ruff: noqa: RUF001

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from hypothesis import given, settings

from iqm_rules import ChangeKind, SchoolHistory, lifecycle_rule, lifecycle_rules, timeline
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.policy import Policy
from iqm_rules.testing import school_histories

SECTION_4 = {
    "LC-1": "An assessment is decided (section 3) with the school's state just before it.",
    "LC-2": "For every level ℓ ≤ the awarded level: if ℓ is held on `held_on` and "
    "`held_on ≥ due(ℓ) − renewal_window_months`, the new `due(ℓ)` is the old `due(ℓ) + cycle(ℓ)` "
    "(anchored: renewing early in the window loses nothing, renewing late gains nothing); "
    "otherwise the new `due(ℓ)` is `held_on + cycle(ℓ)`. `since(ℓ)` is kept if ℓ was held, else "
    "it becomes `held_on`.",
    "LC-3": "Every level above the awarded level that was held ends on `held_on` (state "
    "`revoked`); a `refused` decision ends every held level.",
    "LC-4": "A level is held from `since` until `lapses_on`, and never longer than the level "
    "below it: the effective end of ℓ is the earlier of its own `lapses_on` and the effective "
    "end of ℓ − 1. Reaching the end without renewal makes it `lapsed`.",
    "LC-5": "On `as_of` each award has exactly one state: `not_held` (never held), `active` "
    "(held, `as_of < due − renewal_window_months`), `renewal_due` (held, "
    "`due − renewal_window_months ≤ as_of < due`), `overdue` (held, `due ≤ as_of`, inside "
    "grace), or, once ended, `lapsed`, `withdrawn` or `revoked` with `ended_on`, until it is "
    "awarded again.",
    "LC-6": "A withdrawal ends every held level on its date (`withdrawn`).",
    "LC-7": "`coe_since` is the `since` of centre_of_excellence. While it is held, "
    "`flagship_eligible_from` is the first date on which FS-4 would pass.",
    "LC-8": "Each event is decided under the policy in force on its date; `due`, window and "
    "grace come from the policy of the event that set the clock.",
}
"""The §4 table of RULEBOOK.md, copied row by row."""

LIFECYCLE = [
    Path(__file__).parent.parent / "src" / "iqm_rules" / "lifecycle" / f"{name}.py"
    for name in ("records", "clocks", "changes", "replay")
]
"""The modules of the replay, which take every rule from the registry."""


def test_LC_registry_lists_LC_1_to_LC_8_once_each_in_order() -> None:
    ids = [entry.id for entry in lifecycle_rules()]
    assert ids == [f"LC-{n}" for n in range(1, 9)]
    for entry in lifecycle_rules():
        assert lifecycle_rule(entry.id) is entry
        assert entry.title


def test_LC_registry_text_is_the_rulebook_row_word_for_word() -> None:
    assert {entry.id: entry.text for entry in lifecycle_rules()} == SECTION_4


def test_LC_registry_unknown_id_is_a_key_error_naming_the_known_ids() -> None:
    with pytest.raises(KeyError, match=r"no lifecycle rule 'LC-9'; the rules are LC-1, .*LC-8"):
        lifecycle_rule("LC-9")


def test_LC_registry_parameters_are_policy_parameters() -> None:
    for entry in lifecycle_rules():
        assert set(entry.parameters) <= set(PARAMETERS), entry.id
        for name in entry.parameters:
            getattr(Policy(), name)


def test_LC_registry_names_functions_that_cite_the_rule() -> None:
    for entry in lifecycle_rules():
        assert entry.implemented_by, entry.id
        for where in entry.implemented_by:
            module, _, path = where.partition(".")
            found: object = importlib.import_module(f"iqm_rules.{module}")
            for part in path.split("."):
                found = getattr(found, part)
            assert callable(found), where
            assert entry.id in (inspect.getdoc(found) or ""), where


def test_LC_each_change_kind_knows_its_rule() -> None:
    expected = {
        ChangeKind.AWARDED: "LC-2",
        ChangeKind.RENEWED: "LC-2",
        ChangeKind.REVOKED: "LC-3",
        ChangeKind.LAPSED: "LC-4",
        ChangeKind.WITHDRAWN: "LC-6",
        ChangeKind.WINDOW_OPENED: "LC-5",
        ChangeKind.OVERDUE: "LC-5",
    }
    assert {kind: kind.rule.id for kind in ChangeKind} == expected
    for kind in ChangeKind:
        assert lifecycle_rule(kind.rule.id) is kind.rule
        assert f"({kind.rule.id})" in kind.title


@settings(max_examples=30)
@given(school_histories(max_events=4))
def test_LC_every_change_names_the_rule_of_its_kind(history: SchoolHistory) -> None:
    for change in timeline(history):
        assert change.rule == change.kind.rule.id


def test_LC_lifecycle_functions_write_no_rule_id_as_a_string_literal() -> None:
    """Code takes a rule from the registry (or a change's kind); docstrings may cite it, and so
    may the titles of the change kinds, which the test above checks against their rule, and the
    marks above each function, which are the registry's own record of who carries it out."""
    literals: list[str] = []
    functions: list[ast.FunctionDef] = []
    for path in LIFECYCLE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
        functions.extend(found)
        skipped = {
            id(node.body[0].value)
            for node in found
            if isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
        }
        skipped |= {id(n) for node in found for mark in node.decorator_list for n in ast.walk(mark)}
        literals += [
            node.value
            for function in found
            for node in ast.walk(function)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
            and "LC-" in node.value
        ]
    assert functions
    assert literals == []


def test_LC_every_mark_names_a_rule_and_every_rule_is_carried_out() -> None:
    from iqm_rules._registry import _CARRIERS
    from iqm_rules.decisions.rules import rules

    known = {entry.id for entry in lifecycle_rules()} | {entry.id for entry in rules()}
    assert set(_CARRIERS) <= known
    for entry in lifecycle_rules():
        assert entry.functions, entry.id
        assert len(set(entry.implemented_by)) == len(entry.implemented_by), entry.id


def test_LC_4_is_carried_out_where_grace_months_is_read() -> None:
    assert "lifecycle.clocks._lapses_on" in lifecycle_rule("LC-4").implemented_by
    assert "lifecycle.clocks._lapses_on" in lifecycle_rule("LC-5").implemented_by

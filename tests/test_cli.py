"""The ``iqm-rules`` command, end to end: through the real entry points, and in process."""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from attrs import evolve
from hypothesis import given
from jsonschema import Draft202012Validator

import iqm_rules
from iqm_rules import cli, lifecycle_rules
from iqm_rules.assessment import Assessment, Judgement
from iqm_rules.awards import Award
from iqm_rules.cli import inputs
from iqm_rules.cli.exits import EXIT_STATUSES
from iqm_rules.decisions.rules import rule, rules
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import (
    dump_decision,
    dump_history,
    dump_status,
    load_status,
    schema,
)
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.lifecycle.next_steps import long_date, next_steps
from iqm_rules.lifecycle.replay import replay, status, timeline
from iqm_rules.principles import Element
from iqm_rules.testing import school_histories
from strategies import FEW, example, last_date, recording

DOCS_RULES = Path(__file__).parent.parent / "docs" / "rules.md"
INSTALLED = Path(sys.executable).parent / "iqm-rules"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iqm_rules", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def history_file(tmp_path: Path, history: SchoolHistory, name: str = "history.json") -> str:
    path = tmp_path / name
    path.write_text(dump_history(history), encoding="utf-8")
    return str(path)


def wrong_first_award(tmp_path: Path) -> tuple[str, str]:
    """A copy of first-award whose first assessment is recorded as flagship: a disagreement."""
    history = example("first-award")
    first = next(e for e in history.events if isinstance(e, Assessment))
    return history_file(tmp_path, recording(history, {first.id: Award.FLAGSHIP})), first.id


# --- through the real entry points (few: each costs a process start) ----------------------------


def test_demo_status_report_through_python_m() -> None:
    done = run("status", "--example", "flagship-journey", "--as-of", "2025-09-01")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    for expected in (
        "URN-140876 (Ashgrove Academy)",
        "As of     1 September 2025",
        "Policy    iqm-2025.1",
        "Level     Flagship School",
        "1 July 2024, AG-2024-01: annual review seeking Flagship School; granted",
        "Audit: every recorded outcome agrees with the rules (5 compared)",
        "Centre of Excellence: Held; renewal window not yet open",
        "Next steps\n  Inclusive School Award: reassessment due by 24 June 2028;",
        "Centre of Excellence: annual review due by 1 July 2026;",
        "and Flagship School with it",
    ):
        assert expected in " ".join(out.split()) or expected in out
    assert "_" not in out.split("Decisions")[0].replace("iqm-rules", "")


def test_installed_script_audits_stdin_and_exits_1_on_a_disagreement(tmp_path: Path) -> None:
    path, first = wrong_first_award(tmp_path)
    done = subprocess.run(
        [str(INSTALLED), "audit", "-"],
        input=Path(path).read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert f"{first} " in done.stdout
    assert "recorded Flagship School" in " ".join(done.stdout.split())


def test_bad_input_through_python_m_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "iqm-rules/history@1", "school": ', encoding="utf-8")
    done = run("status", str(bad), "--as-of", "2024-01-01")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"iqm-rules: error: {bad}: malformed JSON at column")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


# --- status ------------------------------------------------------------------------------------


def test_status_json_validates_and_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["status", "--example", "coe-lapsed", "--as-of", "2025-01-01", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    jsonschema.validate(json.loads(out), schema("status"))
    replayed = replay(example("coe-lapsed"))
    report = replayed.status(date(2025, 1, 1))
    steps = next_steps(replayed, date(2025, 1, 1))
    assert out == dump_status(report, steps) + "\n"
    assert json.loads(out)["next_steps"][0]["what"] == "reassessment"
    assert load_status(out) == load_status(dump_status(report)) == report
    assert json.loads(dump_status(report)) == {
        k: v for k, v in json.loads(out).items() if k != "next_steps"
    }


def test_status_as_of_defaults_to_today(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(inputs, "today", lambda: date(2023, 5, 4))
    assert cli.main(["status", "--example", "first-award", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2023-05-04"


def test_today_is_the_clock() -> None:
    assert inputs.today() == date.today()


def test_status_lists_failing_findings_and_lapses(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["status", "--example", "coe-lapsed", "--as-of", "2025-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Centre of Excellence: Ended without renewal" in out
    assert "ended on 10 August 2024" in " ".join(out.split())
    assert "Flagship School: Centre of Excellence must be held first" in out


def test_status_of_a_refusal_shows_its_failing_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = example("first-award")
    first = next(e for e in history.events if isinstance(e, Assessment))
    weak = evolve(first, judgements={**first.judgements, Element.CURRICULUM: Judgement.DEVELOPING})
    path = history_file(tmp_path, evolve(history, events=[weak]))
    assert cli.main(["status", path, "--as-of", first.held_on.isoformat()]) == 1
    out = capsys.readouterr().out
    assert "; refused: nothing was awarded" in " ".join(out.split())
    flat = " ".join(out.split())
    assert "✗ IS-1 Inclusive School Award: Every element established — to do: raise to" in out
    assert "raise to Established: Curriculum" in flat
    assert "fix what it lacked, then book a new full assessment" in flat
    assert "first, IS-1 (Every element established): raise to Established: Curriculum" in flat
    assert "✓ EV-1" not in out


def test_status_with_nothing_applied(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["status", "--example", "first-award", "--as-of", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Level     no award" in out
    assert "Decisions (0 applied up to 1 January 2000)\n  none" in out
    assert "Next steps\n  No award is held: book a full assessment for Inclusive School" in out


def test_status_reports_disagreements_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, first = wrong_first_award(tmp_path)
    assert cli.main(["status", path, "--as-of", "2030-01-01"]) == 1
    out = capsys.readouterr().out
    assert "Audit: 1 of" in out
    assert f"{first} " in out
    assert cli.main(["status", path, "--as-of", "2030-01-01", "--json"]) == 1
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert captured.err.startswith(f"iqm-rules: disagreement: assessment {first} of ")
    assert "events[" not in captured.err


@FEW
@given(school_histories(max_events=4))
def test_status_exit_status_is_1_exactly_when_an_applied_decision_disagrees(
    history: SchoolHistory,
) -> None:
    """Only assessments applied up to ``--as-of`` are audited by ``status`` (§7.8)."""
    events = [e for e in history.events if isinstance(e, Assessment)]
    as_of = events[len(events) // 2].held_on if events else date(2024, 1, 1)
    report = status(history, as_of)
    recorded = {e.id: e.recorded_outcome for e in events}
    expected = any(
        (outcome := recorded[d.assessment_id]) is not None
        and outcome.awarded_level != d.awarded_level
        for d in report.decisions
    )
    out, err = io.StringIO(), io.StringIO()
    with StdinText(dump_history(history)), Redirected(out, err):
        code = cli.main(["status", "-", "--as-of", as_of.isoformat(), "--json"])
    assert code == (1 if expected else 0)
    steps = next_steps(replay(history), as_of)
    assert out.getvalue() == dump_status(report, steps) + "\n"
    lines = err.getvalue().splitlines()
    assert all(line.startswith("iqm-rules: disagreement: assessment ") for line in lines)
    assert bool(lines) == expected


# --- decide ------------------------------------------------------------------------------------


@FEW
@given(school_histories(max_events=4))
def test_clarification_7_8_decide_replays_the_events_before_it(history: SchoolHistory) -> None:
    """``decide`` gives, for each assessment, the decision the whole replay makes of it."""
    whole = {d.assessment_id: d for d in status(history, last_date(history)).decisions}
    text = dump_history(history)
    for assessment_id, decision in whole.items():
        out = io.StringIO()
        with StdinText(text), Redirected(out, io.StringIO()):
            cli.main(["decide", "-", "--assessment", assessment_id, "--json"])
        assert out.getvalue() == dump_decision(decision) + "\n"


def test_decide_shows_every_finding_and_the_shortfalls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = cli.main(["decide", "--example", "flagship-journey", "--assessment", "AG-2021-01"])
    out = capsys.readouterr().out
    assert code == 0
    history = example("flagship-journey")
    decision = status(history, date(2021, 7, 1)).decisions[0]
    assert "Held on   1 July 2021 (full assessment)" in out
    assert "Seeks     Centre of Excellence" in out
    assert "Outcome   granted" in out
    flat = " ".join(out.split())
    for finding in decision.findings:
        mark = "✓" if finding.passed else "✗"
        assert f"{mark} {finding.rule} {finding.level.title}: " in out
        assert rule(finding.rule).title in flat
    assert "parents_carers_guardians" not in out
    assert "Shortfalls for Centre of Excellence\n  none" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_decide_lists_shortfalls_and_ignored_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = example("first-award")
    first = next(e for e in history.events if isinstance(e, Assessment))
    old = evolve(first.evidence[0], collected_on=date(2001, 1, 1))
    weak = evolve(
        first,
        level_sought=Award.CENTRE_OF_EXCELLENCE,
        judgements={**first.judgements, Element.CURRICULUM: Judgement.DEVELOPING},
        evidence=[old, *first.evidence[1:]],
        recorded_outcome=None,
    )
    path = history_file(tmp_path, evolve(history, events=[weak]))
    assert cli.main(["decide", path, "--assessment", weak.id]) == 0
    out = capsys.readouterr().out
    decision = status(evolve(history, events=[weak]), weak.held_on).decisions[0]
    assert f"Ignored evidence (not recent): {old.id}" in out
    assert "Shortfalls for Centre of Excellence" in out
    assert decision.shortfalls()
    for shortfall in decision.shortfalls():
        assert f"{shortfall.rule} {shortfall.level.title}: " in out
    assert "raise to Established: Curriculum" in out


def test_status_shows_flagship_eligibility(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["status", "--example", "flagship-journey", "--as-of", "2022-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Flagship School: eligible from 1 July 2024 if every Flagship rule is met" in " ".join(
        out.split()
    )
    assert "Level     Centre of Excellence" in out


def test_decide_json_validates(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["decide", "--example", "flagship-journey", "--assessment", "AG-2024-01", "--json"]
    assert cli.main(args) == 0
    jsonschema.validate(json.loads(capsys.readouterr().out), schema("decision"))


def test_decide_reports_a_disagreement_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, first = wrong_first_award(tmp_path)
    assert cli.main(["decide", path, "--assessment", first]) == 1
    out = capsys.readouterr().out
    assert f"assessment {first} of 12 March 2024: recorded Flagship School" in out
    assert "events[" not in out


def test_decide_an_unknown_assessment_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["decide", "--example", "first-award", "--assessment", "A9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("iqm-rules: error: --assessment: no assessment 'A9' in this history;")
    assert "the assessments are " in err


# --- timeline, audit, rules, schema, example ---------------------------------------------------


def test_timeline_two_lines_per_change_and_today_between(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["timeline", "--example", "withdrawn-and-reawarded", "--as-of", "2024-01-01"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    changes = timeline(example("withdrawn-and-reawarded"))
    heads = [line for line in out.splitlines() if line.startswith("  ") and line[2] != " "]
    assert len(heads) == len(changes)
    for head, change in zip(heads, changes, strict=True):
        assert head.startswith(f"  {long_date(change.on)}: {change.award.title} ")
        assert head.endswith(f"({change.rule})")
    before, today, after = out.partition("— 1 January 2024: today")
    assert today
    assert "if nothing is done" in after
    assert "24 May 2024: Inclusive School Award lapsed" in after
    assert "lapsed" not in before
    assert "events[" not in out
    assert "Left the scheme during conversion" in " ".join(out.split())
    assert "assessment OF-2021-01 of 24 February 2021" in out


def test_timeline_json_flags_each_change(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["timeline", "--example", "withdrawn-and-reawarded", "--as-of", "2024-01-01"]
    assert cli.main([*argv, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "iqm-rules/timeline@1"
    changes = timeline(example("withdrawn-and-reawarded"))
    assert [c["happened"] for c in document["changes"]] == [
        c.on <= date(2024, 1, 1) for c in changes
    ]
    jsonschema.validate(document, schema("timeline"))


@pytest.mark.parametrize("name", examples())
@pytest.mark.parametrize("as_of", ["2019-01-01", "2025-09-01", "2031-01-01"])
def test_timeline_json_of_every_example_validates(
    name: str, as_of: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["timeline", "--example", name, "--as-of", as_of, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["changes"]) == len(timeline(example(name)))
    Draft202012Validator.check_schema(schema("timeline"))
    jsonschema.validate(document, schema("timeline"), cls=Draft202012Validator)


def test_schema_timeline_is_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "timeline"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == schema("timeline")
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed["properties"]["format"] == {"const": "iqm-rules/timeline@1"}


def test_timeline_after_every_change_says_nothing_is_projected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["timeline", "--example", "first-award", "--as-of", "2030-01-01"]) == 0
    assert capsys.readouterr().out.endswith("1 January 2030: today; nothing is projected —\n")


def test_timeline_of_an_empty_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = SchoolHistory(example("first-award").school)
    assert cli.main(["timeline", history_file(tmp_path, empty)]) == 0
    assert capsys.readouterr().out.endswith("  no changes\n")


def test_audit_agrees_on_every_example(capsys: pytest.CaptureFixture[str]) -> None:
    for name in examples():
        assert cli.main(["audit", "--example", name]) == 0, name
        assert " 0 disagree\n" in capsys.readouterr().out


def test_audit_with_nothing_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = example("first-award")
    bare = evolve(
        history,
        events=[
            evolve(e, recorded_outcome=None) if isinstance(e, Assessment) else e
            for e in history.events
        ],
    )
    assert cli.main(["audit", history_file(tmp_path, bare)]) == 0
    assert "0 recorded outcomes compared" in capsys.readouterr().out


def test_audit_lists_disagreements_with_failing_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, first = wrong_first_award(tmp_path)
    assert cli.main(["audit", path]) == 1
    out = capsys.readouterr().out
    assert "1 recorded outcome compared: 0 agree, 1 disagree" in out
    assert f": assessment {first} of " in out


def test_rules_lists_every_rule_with_parameter_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    for entry in rules():
        assert f"{entry.id} {entry.level.title}: {entry.title}" in " ".join(out.split())
    assert "flagship_min_coe_years = 3; flagship_boundary = at_least" in out
    assert "coe_required_embedded = inclusion_values" in out


def test_rules_lists_the_lifecycle_rules_after_the_rules_of_section_3(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["rules"], ["rules", "--markdown"]):
        assert cli.main(argv) == 0
        out = capsys.readouterr().out
        assert out.endswith("\n")
        assert not out.endswith("\n\n")
        ids = [r.id for r in rules()] + [r.id for r in lifecycle_rules()]
        places = [out.index(f"{rule_id} ") for rule_id in ids]
        assert places == sorted(places), argv
        for entry in lifecycle_rules():
            assert entry.title in out
    assert cli.main(["rules"]) == 0
    assert re.search(r"LC-4  status over time: +Lapsed", capsys.readouterr().out)


def test_docs_rules_md_is_the_current_rules_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/rules.md is ``iqm-rules rules --markdown``; regenerate it when this fails."""
    assert cli.main(["rules", "--markdown"]) == 0
    assert capsys.readouterr().out == DOCS_RULES.read_text(encoding="utf-8")


def test_rules_markdown_shows_cycle_years(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["rules", "--markdown"])
    out = capsys.readouterr().out
    assert "| `cycle_years` | inclusive_school 3, centre_of_excellence 1, flagship 1 |" in out
    assert "## FS-4: " in out


@pytest.mark.parametrize("name", ["history", "decision", "status"])
def test_schema_prints_the_published_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", name]) == 0
    assert json.loads(capsys.readouterr().out) == schema(name)  # type: ignore[arg-type]


def test_example_lists_and_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["example"]) == 0
    assert capsys.readouterr().out.split() == list(examples())
    assert cli.main(["example", "coe-lapsed"]) == 0
    printed = capsys.readouterr().out
    assert printed.rstrip("\n") == example_text("coe-lapsed").rstrip("\n")
    jsonschema.validate(json.loads(printed), schema("history"))


# --- bad usage and unreadable input: one line on stderr, exit 2 --------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "missing.json"], "cannot read missing.json: No such file or directory"),
        (["status"], "give a history FILE, - for standard input, or --example NAME"),
        (["status", "x.json", "--example", "first-award"], "give FILE or --example, not both"),
        (["status", "--example", "nope"], "--example: no example 'nope'; the examples are "),
        (["example", "nope"], "no example 'nope'; the examples are coe-lapsed, "),
        (
            ["status", "--example", "first-award", "--as-of", "2024-02-30"],
            "argument --as-of: 2024-02-30 is not a calendar date",
        ),
        (
            ["status", "--example", "first-award", "--as-of", "20240101"],
            "argument --as-of: must be a date written YYYY-MM-DD, got '20240101'",
        ),
        (["schema", "rules"], "argument name: invalid choice: 'rules'"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
        (["decide", "--example", "first-award"], "required: --assessment"),
        (["batch", "in.jsonl", "--jobs", "0"], "argument --jobs: must be a whole number ≥ 1"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("iqm-rules: error: ")
    assert message in captured.err
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[]", "a history document must be a JSON object"),
        ('{"format": "iqm-rules/status@1"}', 'format: must be "iqm-rules/history@1"'),
        (b"\xff\xfe", "not UTF-8 text"),
    ],
)
def test_unreadable_history_is_exit_2(
    document: str | bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "h.json"
    if isinstance(document, bytes):
        path.write_bytes(document)
    else:
        path.write_text(document, encoding="utf-8")
    assert cli.main(["timeline", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("iqm-rules: error: ")
    assert message in err


def test_invalid_record_names_its_json_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(example_text("first-award"))
    held_on = data["events"][0]["held_on"]
    data["events"][0]["evidence"][5]["collected_on"] = "2099-01-01"
    path = tmp_path / "h.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli.main(["decide", str(path), "--assessment", data["events"][0]["id"]]) == 2
    assert capsys.readouterr().err == (
        f"iqm-rules: error: {path}: events[0].evidence[5].collected_on: "
        f"2099-01-01 is after held_on {held_on}\n"
    )


def test_kind_errors_name_the_file_and_the_right_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = tmp_path / "schools.jsonl"
    lines.write_text(
        "\n".join(dump_history(example(n)) for n in ("first-award", "coe-lapsed")) + "\n",
        encoding="utf-8",
    )
    assert cli.main(["status", str(lines)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"iqm-rules: error: {lines}: malformed JSON at line 2")
    assert "looks like JSON Lines" in err
    assert err.endswith(f"use: iqm-rules batch {lines}\n")
    pretty = tmp_path / "school.json"
    pretty.write_text(json.dumps(json.loads(example_text("first-award")), indent=2))
    assert cli.main(["batch", str(pretty)]) == 2
    err = capsys.readouterr().err
    assert f"{pretty} looks like one pretty-printed document" in err
    assert f"iqm-rules status {pretty}" in err
    data = json.loads(example_text("first-award"))
    data["events"][0]["judgements"]["curriculum"] = "embeded"
    misspelt = tmp_path / "misspelt.json"
    misspelt.write_text(json.dumps(data))
    assert cli.main(["status", str(misspelt)]) == 2
    assert capsys.readouterr().err.endswith('got "embeded"; did you mean "embedded"?\n')


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("status", "decide", "timeline", "rules", "schema", "example", "audit", "batch"):
        assert command in out


# --- exit statuses and the package's layout ----------------------------------------------------

CODES = sorted({int(code) for code in cli.ExitStatus})
DOCS_CLI = Path(__file__).parent.parent / "docs" / "cli.md"


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == cli.ExitStatus.OK
    assert capsys.readouterr().out == f"iqm-rules {iqm_rules.__version__}\n"


def test_help_epilog_lists_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == cli.ExitStatus.OK
    help_text = " ".join(capsys.readouterr().out.split())
    epilog = help_text.split("Exit status: ", 1)[1]
    listed = [int(part.split()[0]) for part in epilog.split("; ")]
    assert listed == CODES == [0, 1, 2, 130, 143]
    for code, meaning in EXIT_STATUSES:
        assert f"{code} {' '.join(meaning.split())}" in epilog


def test_every_exit_status_is_documented_in_the_package_and_the_docs() -> None:
    docstring = cli.__doc__ or ""
    page = DOCS_CLI.read_text(encoding="utf-8")
    for code in CODES:
        assert f"- {code} " in docstring, code
        assert f"- `{code}`:" in page, code
    assert "broken pipe" in docstring
    assert "broken pipe" in page


def test_exit_statuses_say_what_they_mean() -> None:
    assert {name: int(code) for name, code in cli.ExitStatus.__members__.items()} == {
        "OK": 0,
        "DISAGREEMENT": 1,
        "LINE_FAILED": 1,
        "OUTPUT_CLOSED": 1,
        "USAGE": 2,
        "INTERRUPTED": 130,
        "TERMINATED": 143,
    }


def test_a_one_file_command_loads_no_batch_machinery() -> None:
    """``status`` must start fast: no pool, no progress bar, no temporary files."""
    probe = (
        "import contextlib, io, json, sys\n"
        "import iqm_rules.lifecycle.replay, iqm_rules.interchange, iqm_rules.cli.app\n"
        "before = set(sys.modules)\n"
        "from iqm_rules.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['status', '--example', 'first-award', '--as-of', '2025-01-01'])\n"
        "print(json.dumps([code, sorted(set(sys.modules) - before), sorted(sys.modules)]))\n"
    )
    unmeasured = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=unmeasured,  # coverage, measuring subprocesses, would load modules of its own
    )
    code, added, loaded = json.loads(done.stdout)
    assert code == 0
    assert "iqm_rules.cli.commands.status" in added
    assert not {"multiprocessing", "tqdm", "iqm_rules.cli.batching"} & set(loaded)
    assert not {"tempfile", "threading"} & set(added)


LAZY = {"multiprocessing", "tempfile", "threading", "tqdm", "iqm_rules.cli.batching"}
"""Imported only by the modules that run many documents."""


def test_only_the_batch_modules_import_the_batch_machinery_at_module_level() -> None:
    package = Path(cli.__file__).parent
    importing = set()
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module is not None:
                names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        if names & LAZY:
            importing.add(path.relative_to(package).as_posix())
    assert importing == {
        "batching.py",
        "pool.py",
        "commands/audit.py",
        "commands/batch.py",
        "commands/whatif.py",
        "commands/register.py",
        "commands/upcoming.py",
    }


# --- helpers -----------------------------------------------------------------------------------


class StdinText:
    """Replace standard input with ``text`` (UTF-8) for the block."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __enter__(self) -> None:
        self.saved = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(self.text.encode("utf-8")), encoding="utf-8")

    def __exit__(self, *_: object) -> None:
        sys.stdin = self.saved


class Redirected:
    """Replace standard output and error for the block."""

    def __init__(self, out: io.StringIO, err: io.StringIO) -> None:
        self.out, self.err = out, err

    def __enter__(self) -> None:
        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.out, self.err

    def __exit__(self, *_: object) -> None:
        sys.stdout, sys.stderr = self.saved


_ARGVS = [
    ["status", "--example", "flagship-journey", "--as-of", "2025-09-01", "--json"],
    ["decide", "x.json", "--assessment", "A1", "--policy", "p.toml"],
    ["timeline", "-", "--as-of", "2024-01-01"],
    ["batch", "in.jsonl", "-o", "out.jsonl", "--jobs", "2", "--records"],
    ["policy", "diff", "a.toml", "b.toml", "--on", "2027-01-01"],
    ["upcoming", "dir", "--within", "30", "--csv"],
    ["what-if", "in.jsonl", "--policy", "new.toml", "--jsonl"],
    ["test", "cases/", "--coverage"],
]


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (found,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(found.choices)


@pytest.mark.parametrize("argv", _ARGVS, ids=lambda argv: argv[0])
def test_a_parser_of_the_named_command_alone_parses_and_helps_as_the_whole_one(
    argv: list[str],
) -> None:
    whole, alone = cli.parser.build([]), cli.parser.build(argv)
    assert list(_commands(alone)) == [argv[0]]
    assert list(_commands(whole)) == list(cli.parser.COMMANDS)
    assert vars(alone.parse_args(argv)) == vars(whole.parse_args(argv))
    assert _commands(alone)[argv[0]].format_help() == _commands(whole)[argv[0]].format_help()


def test_a_misspelt_command_is_refused_with_every_command_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["stauts", "--example", "first-award"]) == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'stauts'" in error
    assert all(repr(name) in error for name in cli.parser.COMMANDS)

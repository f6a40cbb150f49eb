"""``iqm-rules audit``, ``verify`` and ``--record``/``--records``, end to end through the entry
point, with their exit statuses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import jsonschema

from iqm_rules import Assessment, Judgement, cli, dump_history
from iqm_rules.auditing.record import load_record
from iqm_rules.auditing.verify import dump_verifications, verify
from iqm_rules.interchange import schema
from iqm_rules.principles import Element
from strategies import example


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iqm_rules", *args], capture_output=True, text=True, check=False
    )


def _weakened() -> str:
    history = example("flagship-journey")
    last = history.events[-1]
    assert isinstance(last, Assessment)
    weaker = {**last.judgements, Element.CURRICULUM: Judgement.ESTABLISHED}
    from attrs import evolve

    events = [*history.events[:-1], evolve(last, judgements=weaker)]
    return dump_history(evolve(history, events=events))


def _schools(tmp_path: Path) -> Path:
    lines = [
        dump_history(example("first-award")),
        '{"format": "iqm-rules/history@1", "school": {}}',
        _weakened(),
        dump_history(example("coe-lapsed")),
    ]
    path = tmp_path / "schools.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_audit_reports_the_disagreement_and_the_bad_line(tmp_path: Path) -> None:
    path = _schools(tmp_path)
    done = run("audit", str(path))
    assert done.returncode == 1
    assert all(len(line) <= 80 or " " not in line.strip() for line in done.stdout.splitlines())
    lines = done.stdout.replace("\n  ", " ").splitlines()
    assert lines[0] == (
        "3 schools audited, 8 recorded outcomes compared: 7 agree, 1 disagree; "
        "1 input could not be read"
    )
    wanted = (
        "assessment AG-2025-01 of 24 June 2025: recorded Flagship School, the rules give "
        "Centre of Excellence: FS-1 (Every element embedded) is not met"
    )
    assert wanted in lines[1]
    assert lines[2] == f"{path}:2: school.id: required key missing"


def test_audit_jobs_2_gives_the_same_report_and_csv_rows(tmp_path: Path) -> None:
    path = _schools(tmp_path)
    one, two = run("audit", str(path), "--json"), run("audit", str(path), "--json", "--jobs", "2")
    assert one.stdout == two.stdout
    assert json.loads(one.stdout)["disagreed"] == 1
    rows = list(csv.DictReader(io.StringIO(run("audit", str(path), "--csv").stdout)))
    assert [row["failing_rules"] for row in rows] == ["FS-1"]
    (line,) = run("audit", str(path), "--jsonl").stdout.splitlines()
    assert json.loads(line)["assessment_id"] == "AG-2025-01"


def test_audit_of_a_directory_and_an_example_is_clean(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(dump_history(example("coe-lapsed")), encoding="utf-8")
    pretty = json.dumps(json.loads(dump_history(example("first-award"))), indent=2)
    (tmp_path / "b.json").write_text(pretty, encoding="utf-8")
    done = run("audit", str(tmp_path), "-o", str(tmp_path / "report.txt"))
    assert done.returncode == 0
    assert (tmp_path / "report.txt").read_text().startswith("2 schools audited")
    single = run("audit", str(tmp_path / "b.json"))
    assert (single.returncode, single.stdout.split(",")[0]) == (0, "1 school audited")
    assert run("audit", "--example", "first-award").returncode == 0
    assert run("audit").returncode == 2


def test_records_written_by_status_decide_and_batch_verify(tmp_path: Path) -> None:
    r1, r2, many = tmp_path / "r1.json", tmp_path / "r2.json", tmp_path / "many.jsonl"
    status = ["status", "--example", "flagship-journey", "--as-of", "2025-09-01"]
    assert run(*status, "--record", str(r1)).returncode == 0
    decide = ["decide", "--example", "flagship-journey", "--assessment", "AG-2024-01"]
    assert run(*decide, "--json", "--record", str(r2)).returncode == 0
    schools = tmp_path / "ok.jsonl"
    schools.write_text(dump_history(example("first-award")) + "\n" + _weakened() + "\n")
    batch = ["batch", str(schools), "--as-of", "2025-09-01", "--records", "-o", str(many)]
    assert run(*batch).returncode == 0
    assert json.loads(many.read_text().splitlines()[0])["format"] == "iqm-rules/record@2"
    done = run("verify", str(r1), str(r2), str(many))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        f"{r1}: reproduces, unsigned",
        f"{r2}: reproduces, unsigned",
        f"{many}:1: reproduces, unsigned",
        f"{many}:2: reproduces, unsigned",
    ]


def test_verify_fails_on_a_tampered_or_unreadable_record(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    run("decide", "--example", "first-award", "--assessment", "HB-2024-01", "--record", str(good))
    data = json.loads(good.read_text())
    data["output"]["awarded_level"] = "flagship"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=2))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(good.read_text() + '{"format": "nope"}\n')
    done = run("verify", str(good), str(bad), str(broken))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{good}: reproduces, unsigned",
        f"{bad}: tampered: the output does not match its digest, unsigned",
        f"{broken}:1: reproduces, unsigned",
        f"{broken}:2: unreadable: format: must be "
        '"iqm-rules/record@2" or "iqm-rules/record@1", got "nope"',
    ]
    assert "2 records did not pass" in done.stderr
    assert run("verify", str(tmp_path / "missing.json")).returncode == 2
    as_json = run("verify", str(good), str(bad), str(broken), "--json")
    assert as_json.returncode == 1
    document = json.loads(as_json.stdout)
    jsonschema.validate(document, schema("verification"))
    records = [load_record(good.read_text()), load_record(bad.read_text())]
    assert as_json.stdout.rstrip("\n") == dump_verifications(
        [verify(records[0]), verify(records[1]), verify(records[0])]
    )
    assert [r["verdict"] for r in document["records"]] == ["reproduces", "tampered", "reproduces"]
    assert f'{broken}:2: unreadable: format: must be "iqm-rules/record@2"' in as_json.stderr
    assert "2 records did not pass" in as_json.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_audit_of_a_directory_draws_the_progress_bar_and_writes_the_report_whole(
    tmp_path: Path,
) -> None:
    for name in ("coe-lapsed", "first-award"):
        (tmp_path / f"{name}.json").write_text(dump_history(example(name)), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    out, err = io.StringIO(), Terminal()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["audit", str(tmp_path), "--json", "-o", str(report), "--jobs", "2"])
    assert code == 1
    assert out.getvalue() == ""
    assert "iqm-rules: 100%" in err.getvalue()
    assert f"{tmp_path / 'broken.json'}: malformed JSON" in err.getvalue()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["schools"], data["disagreed"], len(data["bad"])) == (2, 0, 1)
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]


def test_audit_reads_json_lines_from_standard_input() -> None:
    lines = dump_history(example("first-award")) + "\n\n" + _weakened() + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "iqm_rules", "audit", "-", "--jsonl"],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    (line,) = done.stdout.splitlines()
    assert json.loads(line)["location"] == "stdin:3"

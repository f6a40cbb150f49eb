"""The report page: its data without a template, and the HTML parsed as a browser would."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import html5lib
import pytest

from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.cli import main
from iqm_rules.history import School
from iqm_rules.interchange import dump_history, load_history
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.lifecycle.next_steps import next_steps
from iqm_rules.lifecycle.replay import replay
from iqm_rules.office.report import COLOURS, page, render_html
from iqm_rules.office.said import flagship_said, next_step_said, situation_said
from iqm_rules.words import ENGLISH
from strategies import recording

NS = {"h": "http://www.w3.org/1999/xhtml", "s": "http://www.w3.org/2000/svg"}
AS_OF = date(2025, 9, 1)


def _parsed(text: str) -> ET.Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    root: ET.Element = parser.parse(text)
    return root


def _text(node: ET.Element) -> str:
    return " ".join("".join(node.itertext()).split())


@pytest.mark.parametrize("name", examples())
def test_every_example_renders_a_self_contained_page(name: str) -> None:
    history = load_history(example_text(name))
    data = page(history, AS_OF)
    root = _parsed(render_html(data))
    assert root.find(".//h:link", NS) is None
    assert root.find(".//h:script", NS) is None
    assert root.find(".//h:img", NS) is None
    assert _text(root.find(".//h:h1", NS)) == history.school.name  # type: ignore[arg-type]
    svg = root.find(".//s:svg", NS)
    assert svg is not None
    marks = [n for n in svg.iter() if n.get("class", "").startswith(("mark", "bar", "today"))]
    assert marks
    for mark in marks:
        title = mark.find("s:title", NS)
        assert title is not None
        assert _text(title)
    assessments = [m for m in marks if "assessment" in m.get("class", "")]
    assert len(assessments) == sum(1 for d in page(history, date(2100, 1, 1)).decisions)
    decisions = root.findall(".//h:div[@class='decision']", NS)
    assert len(decisions) == len(data.decisions)
    lanes = [n for n in svg.iter() if n.get("class") == "lane"]
    assert len(lanes) == 3
    assert "@media print" in render_html(data)


def test_the_school_name_is_text_never_markup() -> None:
    history = load_history(example_text("first-award"))
    evil = history.__class__(School(history.school.id, "<script>alert(1)</script>"), history.events)
    text = render_html(page(evil, AS_OF))
    assert "<script>" not in text
    root = _parsed(text)
    assert root.find(".//h:script", NS) is None
    assert _text(root.find(".//h:h1", NS)) == "<script>alert(1)</script>"  # type: ignore[arg-type]


def test_next_steps_say_what_is_due_and_when() -> None:
    data = page(load_history(example_text("withdrawn-and-reawarded")), date(2023, 9, 1))
    assert data.next_steps == (
        "Inclusive School Award: reassessment due by 24 February 2024; the renewal window "
        "opened on 24 August 2023; without it the award lapses on 24 May 2024",
        "Centre of Excellence: may be sought at a full assessment while Inclusive School Award "
        "is held",
        "Flagship School: Centre of Excellence must be held first",
    )
    held = [b for lane in data.lanes for b in lane.bars]
    assert {b.kind for b in held} == {"held", "window", "grace"}
    assert [m.title for m in data.marks if m.shape == "withdrawal"] == [
        "Withdrew from the scheme on 19 July 2019" + (": " + r if (r := _reason()) else "")
    ]
    assert all(lane.bars == () for lane in data.lanes[1:])
    assert data.marks[0].colour == COLOURS["granted"]


ON_DATES = (date(2019, 1, 1), date(2022, 1, 1), AS_OF, date(2026, 3, 1), date(2030, 1, 1))


@pytest.mark.parametrize("name", examples())
def test_the_page_and_status_give_the_same_next_steps(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    history = load_history(example_text(name))
    run = replay(history)
    for on in ON_DATES:
        listed = page(history, on).next_steps
        steps = next_steps(run, on)
        assert listed[: len(steps)] == tuple(next_step_said(ENGLISH, s, on) for s in steps)
        report = run.status(on)
        eligibility = [line for line in [flagship_said(ENGLISH, report)] if line is not None]
        assert listed[len(steps) :] == (*eligibility, *situation_said(ENGLISH, report))
        main(["status", "--example", name, "--as-of", on.isoformat()])
        text = capsys.readouterr().out.split("\n\nNext steps\n")[1].split("\n\n")[0]
        shown = [" ".join(item.split()) for item in re.split(r"\n(?=  \S)", text)]
        assert shown == list(listed)


def _reason() -> str:
    history = load_history(example_text("withdrawn-and-reawarded"))
    return next(e.reason for e in history.events if hasattr(e, "reason"))


def test_a_refused_decision_shows_what_to_fix() -> None:
    data = page(load_history(example_text("flagship-revoked")), date(2030, 1, 1))
    failing = [d for d in data.decisions if d.failing]
    assert failing
    assert failing[0].shortfalls[0] == ("FS-1", "raise to Embedded: Parents, carers and guardians")
    assert failing[0].failing[0][0] == "FS-1 Every element embedded"


def test_report_command_end_to_end(tmp_path: Path) -> None:
    source = tmp_path / "h.json"
    source.write_text(dump_history(load_history(example_text("coe-lapsed"))), encoding="utf-8")
    out = tmp_path / "school.html"
    assert main(["report", str(source), "--as-of", "2025-09-01", "-o", str(out)]) == 0
    root = _parsed(out.read_text(encoding="utf-8"))
    assert "1 September 2025" in _text(root.find(".//h:header", NS))  # type: ignore[arg-type]
    assert root.get("lang") == "en"
    assert (
        main(["report", str(source), "--as-of", "2025-09-01", "--lang", "cy", "-o", str(out)]) == 0
    )
    root = _parsed(out.read_text(encoding="utf-8"))
    assert root.get("lang") == "cy"
    assert "1 Medi 2025" in _text(root.find(".//h:header", NS))  # type: ignore[arg-type]
    assert _text(root.find(".//h:section[@id='level']/h:h2", NS)) == "Y lefel a ddelir"  # type: ignore[arg-type]


def test_the_page_prints_a_withdrawal_with_its_reason() -> None:
    root = _parsed(render_html(page(load_history(example_text("withdrawn-and-reawarded")), AS_OF)))
    listed = [_text(li) for li in root.findall(".//h:ul[@class='withdrawals']/h:li", NS)]
    reason = _reason()
    assert listed == [
        "Withdrew from the scheme on 19 July 2019" + (f": {reason}" if reason else "")
    ]


@pytest.mark.parametrize("name", examples())
def test_an_ended_award_has_no_due_date(name: str) -> None:
    for award, _, _, due, lapses, ended in page(load_history(example_text(name)), AS_OF).awards:
        if ended != "—":
            assert (due, lapses) == ("—", "—"), (name, award)


def test_the_page_carries_the_audit_as_status_does() -> None:
    history = load_history(example_text("first-award"))
    first = next(e for e in history.events if isinstance(e, Assessment))
    data = page(recording(history, {first.id: Award.FLAGSHIP}), AS_OF)
    assert data.audit
    assert "recorded Flagship School" in data.audit[0][0]
    section = _parsed(render_html(data)).find(".//h:section[@id='audit']", NS)
    assert section is not None
    assert "the rules award Inclusive School Award" in _text(section)


def test_importing_the_package_does_not_import_jinja2() -> None:
    import subprocess

    code = "import sys, iqm_rules, iqm_rules.office.report; print('jinja2' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"

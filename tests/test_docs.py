"""The documentation says what the code does: generated tables, citations, glossary and site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import iqm_rules
from iqm_rules import DEFAULT_POLICY, InvalidPolicy, Policy, rules
from iqm_rules.lifecycle.parameters import PARAMETERS
from scripts import module_at

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RULEBOOK = DOCS / "rulebook.md"
CITATION = re.compile(r"§\s?(\d+(?:\.\d+)?)")
SECTION_HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", re.M)


def _load(name: str) -> ModuleType:
    return module_at(DOCS / f"_{name}.py", f"docs_{name}")


generate = _load("generate")
griffe_extension = _load("griffe")


def generated(page: Path, name: str) -> str:
    """The body of the part of ``page`` marked ``<!-- generated: name -->``."""
    found = re.search(
        rf"<!-- generated: {name} -->\n(.*?)<!-- end -->", page.read_text("utf-8"), re.S
    )
    assert found, f"{page.name} has no generated part {name!r}"
    return found[1]


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of the Markdown tables in ``markdown`` (no header), cells stripped."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    headers = {i - 1 for i, line in enumerate(lines) if line.startswith("| --- |")}
    return [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for i, line in enumerate(lines)
        if i not in headers and not line.startswith("| --- |")
    ]


def test_generated_parts_of_every_page_match_the_code() -> None:
    assert generate.stale_pages() == [], "run: python docs/_generate.py"


def test_a_page_that_differs_from_the_code_is_found_and_rewritten(tmp_path: Path) -> None:
    for name in generate.PAGES:
        shutil.copy(DOCS / name, tmp_path / name)
    page = tmp_path / "rulebook.md"
    page.write_text(page.read_text("utf-8").replace("| EV-1 |", "| EV-9 |"), "utf-8")
    assert generate.stale_pages(tmp_path) == ["rulebook.md"]
    assert generate.stale_pages(tmp_path, write=True) == ["rulebook.md"]
    assert page.read_text("utf-8") == RULEBOOK.read_text("utf-8")


def test_an_unknown_generated_part_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown generated section 'nothing'"):
        generate.render("<!-- generated: nothing -->\n<!-- end -->")


def test_each_rules_registry_text_is_its_row_on_the_rulebook_page() -> None:
    rows = {row[0]: row for row in table_rows(generated(RULEBOOK, "rules"))}
    assert list(rows) == [r.id for r in rules()]
    for entry in rules():
        _, level, text, _ = rows[entry.id]
        assert (level, text) == (entry.level.value, entry.text)


def test_every_lifecycle_rule_has_its_row() -> None:
    rows = table_rows(generated(RULEBOOK, "lifecycle"))
    assert [row[0] for row in rows] == [f"LC-{n}" for n in range(1, 9)]
    assert all(len(row[1]) > 40 for row in rows)


def test_every_parameter_is_on_the_page_with_its_default() -> None:
    rows = {row[0].strip("`"): row for row in table_rows(generated(RULEBOOK, "parameters"))}
    assert list(rows) == list(PARAMETERS)
    assert rows["grace_months"][1] == str(DEFAULT_POLICY.grace_months)
    assert rows["flagship_boundary"][1].startswith(f"`{DEFAULT_POLICY.flagship_boundary.value}`")
    for name, parameter in PARAMETERS.items():
        assert rows[name][2:] == [parameter.description, ", ".join(parameter.used_by)]


@pytest.mark.parametrize(
    "name",
    [
        "min_items_per_element",
        "min_items_per_principle",
        "min_voice_kinds",
        "coe_min_embedded",
        "flagship_min_cluster_meetings",
        "evidence_window_months",
        "renewal_window_months",
        "grace_months",
        "flagship_min_coe_years",
    ],
)
def test_the_documented_lower_bound_of_every_number_is_enforced(name: str) -> None:
    zero: dict[str, Any] = {name: 0}
    assert Policy(**zero).parameter(name) == 0
    with pytest.raises(InvalidPolicy, match=f"^{name}: "):
        Policy(**{**zero, name: -1})
    assert f"`{name}`" in RULEBOOK.read_text("utf-8").split("**Bounds.**")[1]


def test_every_cycle_is_at_least_one_year_as_documented() -> None:
    cycles = dict(DEFAULT_POLICY.cycle_years)
    cycles[iqm_rules.Award.FLAGSHIP] = 0
    with pytest.raises(InvalidPolicy, match=r"^cycle_years\.flagship: "):
        Policy(cycle_years=cycles)


def rulebook_sections() -> set[str]:
    return set(SECTION_HEADING.findall(RULEBOOK.read_text("utf-8")))


def test_the_rulebook_has_sections_0_to_7_and_clarifications_1_to_13() -> None:
    wanted = {str(n) for n in range(8)} | {f"7.{n}" for n in range(1, 14)}
    assert rulebook_sections() == wanted


def cited_files() -> list[Path]:
    return [
        *sorted((ROOT / "src").rglob("*.py")),
        *sorted(DOCS.rglob("*.md")),
        ROOT / "README.md",
    ]


def test_every_cited_section_is_a_heading_of_the_rulebook() -> None:
    sections = rulebook_sections()
    cited = {
        (path.relative_to(ROOT).as_posix(), number)
        for path in cited_files()
        for number in CITATION.findall(path.read_text("utf-8"))
    }
    assert len(cited) > 50
    assert {(where, n) for where, n in cited if n not in sections} == set()


def test_the_citation_pattern_finds_sections_and_clarifications() -> None:
    text = "see §3, RULEBOOK §7.10 and (§6). Also § 2."
    assert CITATION.findall(text) == ["3", "7.10", "6", "2"]


def test_the_glossary_gives_every_state_outcome_and_change_kind_its_title() -> None:
    page = (DOCS / "glossary.md").read_text("utf-8")
    kinds = generate.glossary_terms()
    for wanted in (iqm_rules.AwardState, iqm_rules.Outcome, iqm_rules.ChangeKind):
        assert wanted in kinds
    for kind in kinds:
        assert f"## {kind.__name__}\n" in page
        for member in kind:
            assert f"| `{member.value}` | {member.title} |" in page


def test_the_api_page_names_every_public_name() -> None:
    grouped = generate.api_names()
    assert sorted(n for names in grouped.values() for n in names) == sorted(iqm_rules.__all__)
    page = (DOCS / "api.md").read_text("utf-8")
    for module, names in grouped.items():
        for name in names:
            assert f"::: {module}.{name}\n" in page


def test_the_version_comes_from_the_package_metadata() -> None:
    project = (ROOT / "pyproject.toml").read_text("utf-8")
    assert f'\nversion = "{iqm_rules.__version__}"\n' in project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built strictly once for the checks below."""
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
    )
    return out


def test_the_site_uses_the_material_theme_with_search(site: Path) -> None:
    home = (site / "index.html").read_text("utf-8")
    assert 'name="generator" content="mkdocs-' in home
    assert "mkdocs-material" in home
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert any("FS-4" in doc["text"] for doc in index["docs"])


def test_the_site_api_page_shows_every_public_name(site: Path) -> None:
    html = (site / "api" / "index.html").read_text("utf-8")
    anchors = set(re.findall(r'id="(iqm_rules\.[\w.]+)"', html))
    for name in iqm_rules.__all__:
        assert any(anchor.endswith(f".{name}") for anchor in anchors), name


def test_the_site_rulebook_has_every_rule_clarification_and_the_diagram(site: Path) -> None:
    html = (site / "rulebook" / "index.html").read_text("utf-8")
    for rule_id in [r.id for r in rules()] + [f"LC-{n}" for n in range(1, 9)]:
        assert f"<td>{rule_id}</td>" in html
    for n in range(1, 14):
        assert f'id="7{n}-' in html
    assert '<pre class="mermaid"><code>stateDiagram-v2' in html


def test_the_site_publishes_the_package_schemas(site: Path) -> None:
    for name in ("history", "decision", "status", "policy"):
        published = json.loads((site / "schemas" / f"{name}.schema.json").read_text("utf-8"))
        assert published == iqm_rules.schema(name)


def test_docstrings_read_as_markdown_in_the_api_reference() -> None:
    docstring = "Sums.\n\n    >>> [1 + 1]\n    [2]\n\nSee :func:`~iqm_rules.decide`."
    assert griffe_extension.markdown(docstring).splitlines() == [
        "Sums.",
        "",
        "```pycon",
        "    >>> [1 + 1]",
        "    [2]",
        "```",
        "",
        "See `iqm_rules.decide`.",
    ]

"""The tools of ``make mutation``: the score per module, and the equivalent mutants documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import module_at

ROOT = Path(__file__).parent.parent


score = module_at(ROOT / "tools" / "mutation_score.py", "mutation_score")


def test_every_equivalent_mutant_is_in_docs_testing_md_with_its_reason() -> None:
    docs = " ".join((ROOT / "docs" / "testing.md").read_text(encoding="utf-8").split())
    equivalent = score.equivalent()
    assert equivalent
    for name, reason in equivalent.items():
        assert f"`{name}`" in docs, name
        assert reason in docs, name


def test_score_leaves_out_equivalent_mutants_and_counts_no_tests_against(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (name, _), *_ = score.equivalent().items()
    module = name.rsplit(".", 1)[0]
    results = tmp_path / "results.txt"
    lines = [f"    {name}: survived"]
    lines += [f"    {module}.x_f__mutmut_{n}: killed" for n in range(1, 37)]
    lines += [f"    {module}.x_f__mutmut_37: timeout", f"    {module}.x_g__mutmut_1: no tests"]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert score.main([str(results)]) == 0
    out = capsys.readouterr().out
    assert f"{module}: 97.4% killed (37 of 38; " in out
    assert f"not killed: {module}.x_g__mutmut_1: no tests" in out
    assert f"equivalent: {name}: " in out
    results.write_text("\n".join([*lines, f"    {module}.x_g__mutmut_2: survived"]) + "\n")
    assert score.main([str(results)]) == 1
    assert f"{module}: 94.9% killed (37 of 39; " in capsys.readouterr().out
    results.write_text(f"    {name}: killed\n", encoding="utf-8")
    score.main([str(results)])
    assert f"stale equivalent entry (killed): {name}: killed" in capsys.readouterr().out

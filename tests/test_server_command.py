"""``serve``'s options and start-up checks, and the importable application."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from starlette.applications import Starlette

import iqm_rules.server
from iqm_rules.server.command import add_arguments, run


def _parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_the_defaults() -> None:
    args = _parsed()
    assert (args.host, args.port, args.workers, args.timeout) == ("127.0.0.1", 8000, 1, 30.0)
    assert args.max_body_bytes == 10 * 1024 * 1024
    assert args.cors_origin == []


@pytest.mark.parametrize(
    "argv",
    [["--workers", "0"], ["--timeout", "-1"], ["--timeout", "x"], ["--max-body-bytes", "1e3"]],
)
def test_bad_options_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        _parsed(*argv)


def test_an_unreadable_policy_stops_before_serving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("POLICY", "MAX_BODY_BYTES", "TIMEOUT", "CORS_ORIGINS"):
        monkeypatch.setenv(f"IQM_RULES_{name}", "")  # run sets them; monkeypatch restores them
    bad = tmp_path / "policy.json"
    bad.write_text('{"format": "iqm-rules/policy@1", "policies": [{"id": "x"}]}')
    assert run(_parsed("--policy", str(bad))) == 2
    assert "policies[0].effective_from" in capsys.readouterr().err
    assert run(_parsed("--policy", str(tmp_path / "missing.json"))) == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_application_is_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IQM_RULES_TIMEOUT", "5")
    monkeypatch.delitem(iqm_rules.server.__dict__, "app", raising=False)
    assert isinstance(iqm_rules.server.app, Starlette)
    assert isinstance(iqm_rules.server.create_app(), Starlette)
    with pytest.raises(AttributeError):
        _ = iqm_rules.server.nothing


def test_a_bad_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from iqm_rules import InvalidRecord
    from iqm_rules.server.service import from_environment

    monkeypatch.setenv("IQM_RULES_TIMEOUT", "soon")
    with pytest.raises(InvalidRecord, match="IQM_RULES_TIMEOUT"):
        from_environment()


def test_importing_the_library_imports_no_server_package() -> None:
    import subprocess
    import sys

    code = (
        "import sys, iqm_rules, iqm_rules.server.command; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('starlette', 'uvicorn', 'httpx', 'anyio')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_serve_is_a_command_of_iqm_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from iqm_rules.cli import main

    for name in ("POLICY", "MAX_BODY_BYTES", "TIMEOUT", "CORS_ORIGINS"):
        monkeypatch.setenv(f"IQM_RULES_{name}", "")
    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
    assert main(["serve", "--policy", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err

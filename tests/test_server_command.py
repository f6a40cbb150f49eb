"""``serve``'s options and start-up checks, and the importable application."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

import iqm_rules.server
from iqm_rules.server.command import add_arguments, run

SETTINGS = (
    "POLICY",
    "MAX_BODY_BYTES",
    "TIMEOUT",
    "CORS_ORIGINS",
    "HEADER_TIMEOUT",
    "MAX_CONNECTIONS",
)


def _parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_the_defaults() -> None:
    args = _parsed()
    assert (args.host, args.port, args.workers, args.timeout) == ("127.0.0.1", 8000, 1, 30.0)
    assert args.max_body_bytes == 10 * 1024 * 1024
    assert args.cors_origin == []
    assert (args.header_timeout, args.keep_alive, args.max_connections) == (10.0, 5, 256)


@pytest.mark.parametrize(
    "argv",
    [
        ["--workers", "0"],
        ["--timeout", "-1"],
        ["--timeout", "x"],
        ["--max-body-bytes", "1e3"],
        ["--header-timeout", "0"],
        ["--header-timeout", "nan"],
        ["--keep-alive", "0.5"],
        ["--max-connections", "0"],
    ],
)
def test_bad_options_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        _parsed(*argv)


def test_an_unreadable_policy_stops_before_serving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SETTINGS:
        monkeypatch.setenv(f"IQM_RULES_{name}", "")  # run sets them; monkeypatch restores them
    bad = tmp_path / "policy.json"
    bad.write_text('{"format": "iqm-rules/policy@1", "policies": [{"id": "x"}]}')
    assert run(_parsed("--policy", str(bad))) == 2
    assert "policies[0].effective_from" in capsys.readouterr().err
    assert run(_parsed("--policy", str(tmp_path / "missing.json"))) == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_limits_reach_uvicorn_and_its_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from iqm_rules.server.protocol import BoundedH11Protocol, limits_from_environment

    for name in SETTINGS:
        monkeypatch.setenv(f"IQM_RULES_{name}", "")
    given: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: given.update(options))
    argv = ("--header-timeout", "2.5", "--keep-alive", "7", "--max-connections", "40")
    assert run(_parsed(*argv)) == 0
    assert (given["http"], given["timeout_keep_alive"]) == (BoundedH11Protocol, 7)
    assert limits_from_environment() == (2.5, 40)  # what each worker's protocol reads


def test_the_limits_default_and_refuse_bad_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    from iqm_rules import InvalidRecord
    from iqm_rules.server.protocol import limits_from_environment

    monkeypatch.delenv("IQM_RULES_HEADER_TIMEOUT", raising=False)
    monkeypatch.delenv("IQM_RULES_MAX_CONNECTIONS", raising=False)
    assert limits_from_environment() == (10.0, 256)
    for bad in ("soon", "0", "-1", "inf", "nan"):
        monkeypatch.setenv("IQM_RULES_HEADER_TIMEOUT", bad)
        with pytest.raises(InvalidRecord, match="IQM_RULES_HEADER_TIMEOUT"):
            limits_from_environment()


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

    for name in SETTINGS:
        monkeypatch.setenv(f"IQM_RULES_{name}", "")
    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
    assert main(["serve", "--policy", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err

"""The package's public face: a small explicit API, and an import that pulls in nothing extra."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from importlib import resources

import pytest

import iqm_rules

FORBIDDEN_AT_IMPORT = (
    "hypothesis",
    "pytest",
    "jsonschema",
    "tqdm",
    "argparse",
    "iqm_rules.cli",
    "iqm_rules.testing",
)


def test_import_pulls_in_no_test_or_command_line_package() -> None:
    probe = "import json, sys; import iqm_rules; print(json.dumps(sorted(m for m in sys.modules)))"
    loaded = set(json.loads(subprocess.check_output([sys.executable, "-c", probe], text=True)))
    assert not loaded & set(FORBIDDEN_AT_IMPORT)


def test_every_public_name_resolves() -> None:
    assert len(set(iqm_rules.__all__)) == len(iqm_rules.__all__)
    for name in iqm_rules.__all__:
        assert getattr(iqm_rules, name) is not None


def test_the_package_is_typed() -> None:
    assert resources.files("iqm_rules").joinpath("py.typed").is_file()


@pytest.mark.parametrize(
    ("old", "new"),
    [("whatif", "iqm_rules.auditing.whatif"), ("plans", "iqm_rules.office.plans")],
)
def test_a_module_that_moved_is_still_reached_with_a_deprecation_warning(
    old: str, new: str
) -> None:
    with pytest.warns(DeprecationWarning, match=f"iqm_rules.{old} has moved to {new}"):
        module = getattr(iqm_rules, old)
    assert module is importlib.import_module(new)

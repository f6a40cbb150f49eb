"""Bundled example histories (``iqm-rules/history@1`` documents), one journey each.

``first-award``, ``inclusive-to-coe``, ``flagship-journey``, ``coe-lapsed``, ``flagship-revoked``
and ``withdrawn-and-reawarded``: realistic schools whose ``recorded_outcome`` on every assessment is
what the rules decide.

>>> "flagship-journey" in examples()
True
>>> example_text("first-award").startswith("{")
True
"""

from __future__ import annotations

import os

from iqm_rules.errors import InvalidRecord

__all__ = ["example_text", "examples"]


def examples() -> tuple[str, ...]:
    """The names of the bundled examples, sorted."""
    return tuple(sorted(name[: -len(".json")] for name in _names() if name.endswith(".json")))


def _names() -> list[str]:
    """The files beside this module: read from the directory when installed as files (a
    one-file command then needs no :mod:`importlib.resources`, which imports ``tempfile`` and
    ``zipfile``), else through the package's resources."""
    try:
        return os.listdir(os.path.dirname(__file__))
    except OSError:
        from importlib import resources

        return [f.name for f in resources.files(__name__).iterdir()]


def example_text(name: str) -> str:
    """The JSON text of the bundled example ``name``."""
    if name not in examples():
        raise InvalidRecord("example", f"must be one of {', '.join(examples())}, got {name!r}")
    path = os.path.join(os.path.dirname(__file__), f"{name}.json")
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError:
        from importlib import resources

        return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")

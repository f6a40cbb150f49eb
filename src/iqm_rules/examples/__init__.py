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

from importlib import resources

from iqm_rules.errors import InvalidRecord

__all__ = ["example_text", "examples"]


def examples() -> tuple[str, ...]:
    """The names of the bundled examples, sorted."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name[: -len(".json")] for f in files if f.name.endswith(".json")))


def example_text(name: str) -> str:
    """The JSON text of the bundled example ``name``."""
    if name not in examples():
        raise InvalidRecord("example", f"must be one of {', '.join(examples())}, got {name!r}")
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")

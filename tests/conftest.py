"""Hypothesis profiles: ``ci`` (chosen when the CI environment variable is set) runs more
examples, derandomized so a failure reproduces, and writes no example database; ``mutation``
(``make mutation`` sets ``HYPOTHESIS_PROFILE``) runs few examples, derandomized, so that each
mutant is judged quickly and the same way on every run. ``HYPOTHESIS_PROFILE`` wins over CI."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "mutation",
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(autouse=True)
def _english_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output in English and, off a terminal, 80 columns wide, whatever the environment
    the tests run in: a test of another language or width sets it itself."""
    for name in ("COLUMNS", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGUAGE", "en")

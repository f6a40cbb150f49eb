"""``python -m iqm_rules``: the same program as ``iqm-rules``."""

from iqm_rules.cli import program

if __name__ == "__main__":
    raise SystemExit(program())

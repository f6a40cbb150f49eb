"""``python -m iqm_rules``: the same command as ``iqm-rules``."""

from iqm_rules.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

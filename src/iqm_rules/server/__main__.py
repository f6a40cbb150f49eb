"""``python -m iqm_rules.server``: the ``serve`` command on its own."""

from __future__ import annotations

import argparse
import sys

from iqm_rules.server.command import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` as the options of ``serve`` and serve."""
    parser = argparse.ArgumentParser(
        prog="python -m iqm_rules.server", description="Serve iqm-rules over HTTP."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

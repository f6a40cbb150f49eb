"""``iqm-rules example``: list the bundled examples, or print one."""

from __future__ import annotations

import argparse

from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.inputs import known
from iqm_rules.interchange.examples import example_text, examples


def run(args: argparse.Namespace) -> int:
    name: str | None = args.name
    if name is None:
        write("\n".join(examples()))
        return ExitStatus.OK
    if name not in examples():
        raise Failure(f"no example {name!r}; the examples are {known()}")
    write(example_text(name))
    return ExitStatus.OK

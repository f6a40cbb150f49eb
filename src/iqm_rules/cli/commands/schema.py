"""``iqm-rules schema``: the JSON Schema of a format, as shipped in the package."""

from __future__ import annotations

import argparse

from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.interchange import schema
from iqm_rules.interchange._jsontext import readable_json


def run(args: argparse.Namespace) -> int:
    write(readable_json(schema(args.name), indent=2, sort_keys=False))
    return ExitStatus.OK

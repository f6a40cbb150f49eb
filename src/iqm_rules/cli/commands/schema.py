"""``iqm-rules schema``: the JSON Schema of a format, as shipped in the package."""

from __future__ import annotations

import argparse
import json

from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.interchange import schema


def run(args: argparse.Namespace) -> int:
    write(json.dumps(schema(args.name), indent=2, ensure_ascii=False))
    return ExitStatus.OK

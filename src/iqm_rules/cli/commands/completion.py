"""``iqm-rules completion``: a bash or zsh completion script, walked from the parser."""

from __future__ import annotations

import argparse

from iqm_rules.cli import parser
from iqm_rules.cli.commands import write
from iqm_rules.cli.completion import script
from iqm_rules.cli.exits import ExitStatus


def run(args: argparse.Namespace) -> int:
    write(script(args.shell, parser.build([])))
    return ExitStatus.OK

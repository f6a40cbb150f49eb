"""``iqm-rules timeline``: the school's journey, one change a line."""

from __future__ import annotations

import argparse

from iqm_rules.cli import render
from iqm_rules.cli.commands import history, write
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.inputs import PolicySource
from iqm_rules.lifecycle import timeline


def run(args: argparse.Namespace) -> int:
    school = history(args)
    write(render.timeline_text(school, timeline(school, PolicySource.named(args.policy).load())))
    return ExitStatus.OK

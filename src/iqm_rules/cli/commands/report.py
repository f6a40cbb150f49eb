"""``iqm-rules report``: a school's report page, one self-contained HTML file."""

from __future__ import annotations

import argparse

from iqm_rules.cli import inputs
from iqm_rules.cli.commands import history
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.report import page, render_html


def run(args: argparse.Namespace) -> int:
    from iqm_rules.cli.batching import replaced  # atomic -o; loaded only when run

    school = history(args)
    policy = inputs.PolicySource.named(args.policy).load()
    text = render_html(page(school, inputs.as_of(args.as_of), policy))
    with replaced(args.output) as out:
        out.write(text)
    return ExitStatus.OK

"""``iqm-rules report``: a school's report page, one self-contained HTML file."""

from __future__ import annotations

import argparse

from iqm_rules.cli import inputs
from iqm_rules.cli.commands import history
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.files import written
from iqm_rules.office.report import page, render_html


def run(args: argparse.Namespace) -> int:
    school = history(args)
    policy = inputs.PolicySource.named(args.policy).load()
    words = inputs.words(args)
    text = render_html(page(school, inputs.as_of(args.as_of), policy, words), words)
    with written(args.output) as out:
        out.write(text)
    return ExitStatus.OK

"""``iqm-rules rules``: the rulebook from the rule registry, as text or the Markdown page."""

from __future__ import annotations

import argparse

from iqm_rules.cli import inputs, office_text
from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.policy import Policy


def run(args: argparse.Namespace) -> int:
    chosen = inputs.PolicySource.named(args.policy).load()
    policy = chosen if isinstance(chosen, Policy) else chosen.in_force(inputs.as_of(args.as_of))
    write(
        office_text.rules_markdown(policy)
        if args.markdown
        else office_text.rules_text(policy, inputs.words(args))
    )
    return ExitStatus.OK

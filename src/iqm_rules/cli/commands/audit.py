"""``iqm-rules audit``: recorded outcomes that disagree with the rules (exit status 1)."""

from __future__ import annotations

import argparse

from iqm_rules.audit import audit
from iqm_rules.cli import render
from iqm_rules.cli.commands import history, write
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.inputs import PolicySource


def run(args: argparse.Namespace) -> int:
    school = history(args)
    audited = audit(school, PolicySource.named(args.policy).load())
    write(render.audit_text(school, audited))
    return ExitStatus.DISAGREEMENT if audited.disagreements else ExitStatus.OK

"""``iqm-rules timeline``: the school's journey, what has happened and what is projected."""

from __future__ import annotations

import argparse

from iqm_rules.cli import inputs, school_text
from iqm_rules.cli.commands import history, write
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.inputs import PolicySource
from iqm_rules.interchange.formats import timeline_document
from iqm_rules.lifecycle.replay import timeline


def run(args: argparse.Namespace) -> int:
    school = history(args)
    as_of = inputs.as_of(args.as_of)
    changes = timeline(school, PolicySource.named(args.policy).load())
    if args.json:
        write(timeline_document(school.school.id, changes, as_of))
    else:
        write(school_text.timeline_text(school, changes, as_of, inputs.words(args)))
    return ExitStatus.OK

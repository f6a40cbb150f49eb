"""``iqm-rules serve``: the web service of :mod:`iqm_rules.server` (needs the server extra)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from iqm_rules.server.command import run as serve

    return serve(args)

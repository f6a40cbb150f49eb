"""``iqm-rules policy show|diff|lint``: a policy file's parameters, differences and problems."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from iqm_rules._shown import shown
from iqm_rules.cli import inputs, office_text
from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.inputs import Input, read
from iqm_rules.errors import IQMRulesError
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import load_history
from iqm_rules.office.policy_files import (
    WrittenBook,
    default_policy_text,
    read_policy,
    settings,
    settings_document,
)
from iqm_rules.office.policy_lint import lint, lint_history
from iqm_rules.policy import PolicyBook


def run(args: argparse.Namespace) -> int:
    action: str = args.action
    if action == "show":
        return _show(args)
    if action == "diff":
        return _diff(args)
    return _lint(args)


def _written(file: str) -> WrittenBook:
    """A policy file read with its inheritance; a bad one is a :class:`Failure` naming it."""
    text = read(file)
    try:
        return read_policy(text)
    except IQMRulesError as error:
        raise Failure(f"{file}: {error}") from None


def _latest(book: PolicyBook) -> date:
    return max(policy.effective_from for policy in book.policies)


def _show(args: argparse.Namespace) -> int:
    if args.default:
        if args.file is not None:
            raise Failure(f"give FILE or --default, not both (got {args.file!r})")
        write(default_policy_text())
        return ExitStatus.OK
    if args.file is None:
        raise Failure("give a policy FILE, or --default for the shipped default")
    written = _written(args.file)
    on: date = args.on or _latest(written.book)
    if args.json:
        write(settings_document(written, on))
        return ExitStatus.OK
    write(office_text.policy_settings_text(on, settings(written, on), inputs.words(args)))
    return ExitStatus.OK


def _diff(args: argparse.Namespace) -> int:
    a, b = _written(args.a).book, _written(args.b).book
    on: date = args.on or max(_latest(a), _latest(b))
    write(office_text.policy_diff_text(on, a.in_force(on), b.in_force(on), inputs.words(args)))
    return ExitStatus.OK


def _lint(args: argparse.Namespace) -> int:
    text = read(args.file)
    problems = list(lint(text))
    if args.history:
        problems += lint_history(text, _histories(args.history))
    if problems:
        write("\n".join(shown(f"{args.file}: {problem}") for problem in problems))
        return ExitStatus.DISAGREEMENT
    return ExitStatus.OK


def _histories(name: str) -> Iterator[tuple[str, SchoolHistory]]:
    """The histories of a file, a JSON Lines file (``.jsonl``) or a directory, each with where
    it is for messages; a bad one is a :class:`Failure` naming it."""
    from iqm_rules.cli.batching import Item, files_in, lines_of

    path = Path(name)
    if path.is_dir():
        items = files_in(path)
    elif path.suffix == ".jsonl":
        with Input.given(name, None).lines() as stream:
            items = iter(list(lines_of(stream, name)))
    else:
        items = iter([Item(name, read(name))])
    for item in items:
        where = f"{item.where}: "
        if item.problem is not None:
            raise Failure(f"{where}{item.problem}")
        try:
            yield where, load_history(item.text)
        except IQMRulesError as error:
            raise Failure(f"{where}{error}") from None

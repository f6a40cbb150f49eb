"""The help of ``iqm-rules`` in the reader's language, each command's ending with an example.

The parser's texts (descriptions, epilogs, each argument's help, section titles) are written in
English in :mod:`~iqm_rules.cli.parser`; ``tools/messages.py`` puts every one of them in the
catalogs (context ``help``), and :class:`Translated` says them in the language of ``--lang`` or
the environment (:func:`help_language`) when ``--help`` is asked for. :data:`EXAMPLES` holds the
example each command's help ends with.
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Iterator, Sequence
from typing import Any

from iqm_rules.words import ENGLISH, Words, language_of, words

PARAGRAPH = "\n\n"
"""What separates the paragraphs of a description or an epilog."""

__all__ = ["EXAMPLES", "Translated", "help_language", "help_texts", "parsers", "speak"]

EXAMPLES: dict[str, str] = {
    "status": "iqm-rules status --example flagship-journey --as-of 2025-09-01",
    "decide": "iqm-rules decide --example flagship-journey --assessment AG-2024-01",
    "timeline": "iqm-rules timeline --example coe-lapsed --as-of 2025-09-01",
    "rules": "iqm-rules rules --policy book.toml --as-of 2026-09-01",
    "schema": "iqm-rules schema history > history.schema.json",
    "example": "iqm-rules example first-award > school.json",
    "audit": "iqm-rules audit schools.jsonl --jobs 4 --csv -o audit.csv",
    "verify": "iqm-rules verify status.record.json --trust body.pub",
    "keys": "iqm-rules keys generate --out body.key",
    "log": "iqm-rules log verify office.log --trust body.pub",
    "conformance": 'iqm-rules conformance run suite --command "iqm-rules conformance adapter"',
    "readiness": "iqm-rules readiness --example inclusive-to-coe",
    "report": "iqm-rules report --example flagship-journey --lang cy -o report.html",
    "evidence-to-json": "iqm-rules evidence-to-json evidence.csv -o evidence.json",
    "batch": "iqm-rules batch schools.jsonl --as-of 2025-09-01 -o statuses.jsonl",
    "upcoming": "iqm-rules upcoming schools.jsonl --within 60",
    "register": "iqm-rules register schools.jsonl --csv -o register.csv",
    "serve": "iqm-rules serve --port 8000",
    "policy": "iqm-rules policy diff current.toml proposed.toml",
    "test": "iqm-rules test cases/",
    "what-if": "iqm-rules what-if schools.jsonl --policy proposed.toml",
    "completion": "source <(iqm-rules completion bash)",
}
"""The example that ends each command's ``--help``."""


class Translated(argparse.HelpFormatter):
    """argparse's help formatter: each paragraph of a description or epilog filled on its own
    (a line indented by two spaces, such as the example, kept as it is), and ``usage:`` in
    ``words``' language."""

    def __init__(self, prog: str, words: Words = ENGLISH) -> None:
        super().__init__(prog)
        self._words = words

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text
        lines = [
            indent + line if line.startswith("  ") else fill(line, width, indent)
            for part in text.split(PARAGRAPH)
            for line in [*part.split("\n"), ""]
        ]
        return "\n".join(lines).rstrip("\n")

    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, prefix or self._words.gettext("usage: "))


def help_language(argv: Sequence[str]) -> Words:
    """The language of the help asked for by ``argv``: its ``--lang``, else the environment's."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            return words(argv[index + 1])
        if word.startswith("--lang="):
            return words(word.partition("=")[2])
    return words(language_of(os.environ))


def parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """``parser`` and every parser under it (commands, their actions), each with its name."""
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from parsers(sub)


def help_texts(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Every text of ``parser``'s help and its commands' (for the catalogs)."""
    for _, each in parsers(parser):
        for text in (each.description, each.epilog):
            if text:
                yield text
        for group in each._action_groups:
            if group.title:
                yield group.title
        for action in each._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                yield action.help
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.help:
                        yield choice.help


def speak(parser: argparse.ArgumentParser, said: Words) -> None:
    """Have ``parser`` and every parser under it give their help in ``said``'s language, each
    command's ending with its example (:data:`EXAMPLES`)."""
    for prog, each in parsers(parser):
        each.formatter_class = functools.partial(Translated, words=said)
        if each.description:
            each.description = said.pgettext("help", each.description)
        epilog = said.pgettext("help", each.epilog) if each.epilog else ""
        example = EXAMPLES.get(prog.removeprefix(f"{parser.prog} "))
        if example is not None:
            heading = said.gettext("Example:")
            shown = f"{heading}\n  {example}"
            epilog = f"{epilog}{PARAGRAPH}{shown}" if epilog else shown
        each.epilog = epilog or None
        for group in each._action_groups:
            if group.title:
                group.title = said.pgettext("help", group.title)
        for action in each._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                action.help = said.pgettext("help", action.help)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.help:
                        choice.help = said.pgettext("help", choice.help)

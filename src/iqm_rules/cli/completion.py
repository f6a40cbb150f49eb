"""Shell completion for ``iqm-rules``, walked from the parser itself (``iqm-rules completion``).

:func:`walk` reads every command of the parser (:func:`iqm_rules.cli.parser.build`), the actions of
``policy``, each command's options and positional arguments, and what each takes: nothing (a
flag), one of its ``choices`` (``schema NAME``), a file (its ``type`` is a
:class:`~iqm_rules.cli.files.FileOption`) or other text (a date, a number, an id). :func:`bash`
and :func:`zsh` write that tree as a completion script, so a command or an option added to the
parser is completed without anyone writing it twice.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from typing import Final, Literal

from attrs import frozen

from iqm_rules.cli.files import FileOption
from iqm_rules.cli.text import PROG

__all__ = ["SHELLS", "Argument", "Node", "bash", "script", "walk", "zsh"]

Takes = Literal["nothing", "choices", "file", "text"]

SHELLS: Final = ("bash", "zsh")
"""The shells ``iqm-rules completion`` writes a script for."""

_WORD = re.compile(r"[A-Za-z0-9_.,@+=/-]+")
"""What a command, option or choice may be made of, to be written unquoted in a script."""


@frozen
class Argument:
    """An option (``names`` such as ``-o``, ``--output``) or a positional argument (no names)."""

    names: tuple[str, ...]
    metavar: str
    help: str
    takes: Takes
    choices: tuple[str, ...] = ()
    optional: bool = False
    many: bool = False


@frozen
class Node:
    """A command (or ``iqm-rules`` itself, ``path`` empty): its arguments and sub-commands."""

    path: tuple[str, ...]
    summary: str
    options: tuple[Argument, ...]
    positionals: tuple[Argument, ...]
    children: tuple[Node, ...] = ()

    @property
    def name(self) -> str:
        """The word that names the command (``show`` of ``policy show``; ``""`` at the top)."""
        return self.path[-1] if self.path else ""

    def nodes(self) -> Iterator[Node]:
        """This node, then every node below it, depth first in the parser's order."""
        yield self
        for child in self.children:
            yield from child.nodes()


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = (), summary: str = "") -> Node:
    """The completion tree of ``parser``: its arguments, and the tree of each sub-command."""
    options: list[Argument] = []
    positionals: list[Argument] = []
    children: list[Node] = []
    formatter = parser._get_formatter()
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                children.append(walk(sub, (*path, _word(name)), summaries.get(name, "")))
            continue
        text = formatter._expand_help(action) if action.help else ""
        argument = Argument(
            names=tuple(_word(name) for name in action.option_strings),
            metavar=_metavar(action),
            help=" ".join(text.split()),
            takes=_takes(action),
            choices=tuple(_word(str(c)) for c in action.choices or ()),
            optional=action.nargs in ("?", "*"),
            many=action.nargs in ("*", "+"),
        )
        (options if action.option_strings else positionals).append(argument)
    return Node(path, summary, tuple(options), tuple(positionals), tuple(children))


def _takes(action: argparse.Action) -> Takes:
    if action.nargs == 0:
        return "nothing"
    if action.choices:
        return "choices"
    if isinstance(action.type, FileOption):
        return "file"
    return "text"


def _metavar(action: argparse.Action) -> str:
    metavar = action.metavar if isinstance(action.metavar, str) else None
    return metavar or action.dest.upper()


def _word(text: str) -> str:
    if not _WORD.fullmatch(text):
        raise ValueError(f"{text!r} cannot be completed as written: it is not a plain word")
    return text


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """The completion script for ``shell`` (one of :data:`SHELLS`) of ``parser``, the parser of
    every command (:func:`iqm_rules.cli.parser.build`)."""
    tree = walk(parser)
    return bash(tree) if shell == "bash" else zsh(tree)


# --- bash ----------------------------------------------------------------------------------------


def bash(tree: Node) -> str:
    """A bash script defining ``_iqm_rules`` and registering it for ``iqm-rules``."""
    lines = [
        f"# bash completion for {PROG}, written by `{PROG} completion bash`.",
        f"# Load it with: source <({PROG} completion bash), or save it to a file and source that.",
        "",
        "_iqm_rules_words() {",
        '    COMPREPLY=($(compgen -W "$1" -- "$cur"))',
        "}",
        "",
        "_iqm_rules_files() {",
        "    local IFS=$'\\n'",
        "    compopt -o filenames 2>/dev/null",
        '    COMPREPLY=($(compgen -f -- "$cur"))',
        "}",
        "",
        "_iqm_rules() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" path="" word i',
        "    COMPREPLY=()",
        '    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"',
        "    for (( i = 1; i < COMP_CWORD; i++ )); do",
        '        word="${COMP_WORDS[i]}"',
        "        [[ $word == -* ]] && continue",
        '        case "$path" in',
    ]
    for node in tree.nodes():
        if node.children:
            names = "|".join(child.name for child in node.children)
            into = f"{' '.join(node.path)} $word" if node.path else "$word"
            lines.append(
                f'            "{" ".join(node.path)}") case "$word" in {names}) '
                f'path="{into}" ;; esac ;;'
            )
    lines += ["        esac", "    done", '    case "$path" in']
    for node in tree.nodes():
        lines += _bash_node(node)
    lines += ["    esac", "}", "", f"complete -F _iqm_rules {PROG}", ""]
    return "\n".join(lines)


def _bash_node(node: Node) -> list[str]:
    lines = [f'        "{" ".join(node.path)}")']
    valued = [option for option in node.options if option.takes != "nothing"]
    if valued:
        lines.append('            case "$prev" in')
        for takes, then in (
            ("file", "_iqm_rules_files; return"),
            ("text", "return"),
        ):
            names = [name for option in valued if option.takes == takes for name in option.names]
            if names:
                lines.append(f"                {'|'.join(names)}) {then} ;;")
        for option in valued:
            if option.takes == "choices":
                choices = " ".join(option.choices)
                lines.append(
                    f'                {"|".join(option.names)}) _iqm_rules_words "{choices}"; '
                    "return ;;"
                )
        lines.append("            esac")
    every = " ".join(name for option in node.options for name in option.names)
    lines.append(f'            if [[ $cur == -* ]]; then _iqm_rules_words "{every}"; return; fi')
    words = [child.name for child in node.children]
    words += [choice for argument in node.positionals for choice in argument.choices]
    if words:
        lines.append(f'            _iqm_rules_words "{" ".join(words)}"')
    elif any(argument.takes == "file" for argument in node.positionals):
        lines.append("            _iqm_rules_files")
    lines.append("            ;;")
    return lines


# --- zsh -----------------------------------------------------------------------------------------


def zsh(tree: Node) -> str:
    """A zsh script: ``#compdef iqm-rules`` and one ``_arguments`` function per command."""
    lines = [
        f"#compdef {PROG}",
        f"# zsh completion for {PROG}, written by `{PROG} completion zsh`.",
        f"# Save it as _{PROG} in a directory of $fpath, or load it with:",
        f"#   source <({PROG} completion zsh)",
        "",
    ]
    for node in tree.nodes():
        lines += _zsh_node(node)
    lines += [
        'if [[ "$funcstack[1]" == _iqm_rules ]]; then',
        '    _iqm_rules "$@"',
        "else",
        f"    compdef _iqm_rules {PROG}",
        "fi",
        "",
    ]
    return "\n".join(lines)


def _zsh_function(node: Node) -> str:
    return "_iqm_rules" + "".join(f"__{part.replace('-', '_')}" for part in node.path)


def _zsh_node(node: Node) -> list[str]:
    specs = [_zsh_option(option) for option in node.options]
    lines = [f"{_zsh_function(node)}() {{"]
    if node.children:
        specs += ["'1: :->command'", "'*:: :->argument'"]
        lines += [
            '    local curcontext="$curcontext" state line',
            "    typeset -A opt_args",
            "    _arguments -C -s \\",
            *(f"        {spec} \\" for spec in specs[:-1]),
            f"        {specs[-1]} && return",
            "    case $state in",
            "        command)",
            "            local -a commands",
            "            commands=(",
            *(
                f"                {_zsh_quoted(child.name + ':' + child.summary)}"
                for child in node.children
            ),
            "            )",
            f"            _describe -t commands {_zsh_quoted(node.name or PROG)} commands",
            "            ;;",
            "        argument)",
            "            case $line[1] in",
            *(
                f"                {child.name}) {_zsh_function(child)} ;;"
                for child in node.children
            ),
            "            esac",
            "            ;;",
            "    esac",
        ]
    else:
        specs += [_zsh_positional(argument) for argument in node.positionals]
        if specs:
            lines.append("    _arguments -s \\")
            lines += [f"        {spec} \\" for spec in specs[:-1]]
            lines.append(f"        {specs[-1]}")
        else:
            lines.append("    _message 'no arguments'")
    lines += ["}", ""]
    return lines


def _zsh_option(option: Argument) -> str:
    names = option.names
    head = f"({' '.join(names)})'{{{','.join(names)}}}'" if len(names) > 1 else names[0]
    spec = f"[{_zsh_explained(option.help)}]"
    if option.takes != "nothing":
        spec += f":{_zsh_escaped(option.metavar)}:{_zsh_action(option)}"
    return f"'{head}{_zsh_single(spec)}'"


def _zsh_positional(argument: Argument) -> str:
    count = "*" if argument.many else ""
    colons = "::" if argument.optional and not argument.many else ":"
    spec = f"{count}{colons}{_zsh_escaped(argument.metavar)}:{_zsh_action(argument)}"
    return f"'{_zsh_single(spec)}'"


def _zsh_action(argument: Argument) -> str:
    if argument.takes == "file":
        return "_files"
    if argument.takes == "choices":
        return f"({' '.join(argument.choices)})"
    return " "


def _zsh_explained(text: str) -> str:
    """An option's help inside the ``[...]`` of an ``_arguments`` spec: ``]`` and ``\\`` quoted."""
    return re.sub(r"([\\\]])", r"\\\1", text)


def _zsh_escaped(text: str) -> str:
    """A message between the colons of an ``_arguments`` spec: ``:`` and ``\\`` quoted."""
    return re.sub(r"([\\:])", r"\\\1", text)


def _zsh_single(text: str) -> str:
    """Text inside single quotes: each ``'`` closes them, is escaped, and opens them again."""
    return text.replace("'", "'\\''")


def _zsh_quoted(text: str) -> str:
    return "'" + _zsh_single(text) + "'"

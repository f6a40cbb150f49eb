"""Rewrite the generated parts of the documentation from the library's registries.

A page marks each generated part ``<!-- generated: NAME -->`` … ``<!-- end -->``; this script
replaces what lies between with :data:`SECTIONS` ``[NAME]()``, so a table is written once (in the
code) and shown wherever the docs need it. ``python docs/_generate.py`` rewrites the pages;
``--check`` only reports the pages that differ (``make docs`` and the tests run it).

Each table comes from one small function, so that a registry that moves needs one edit here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import iqm_rules
from iqm_rules._terms import RankedTerm, Term
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.policy import DEFAULT_POLICY

DOCS = Path(__file__).resolve().parent
PAGES = ("rulebook.md", "glossary.md", "api.md")
MARKED = re.compile(r"(<!-- generated: (?P<name>[a-z]+) -->\n)(?P<body>.*?)(<!-- end -->)", re.S)

VOCABULARY = (
    iqm_rules.Principle,
    iqm_rules.Element,
    iqm_rules.Judgement,
    iqm_rules.EvidenceKind,
    iqm_rules.Commitment,
    iqm_rules.Award,
    iqm_rules.AssessmentKind,
)
"""The vocabulary of rulebook §1, in its order."""


def rule_rows() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(id, level, text, parameters) of every rule of §3, from the rule registry."""
    return [(r.id, r.level.value, r.text, r.parameters) for r in iqm_rules.rules()]


def lifecycle_rows() -> list[tuple[str, str]]:
    """(id, what happens) of every lifecycle rule of §4, from the lifecycle rule registry."""
    return [(r.id, r.text) for r in iqm_rules.lifecycle_rules()]


def parameter_rows() -> list[tuple[str, object, str, tuple[str, ...]]]:
    """(name, default, meaning, used by) of every policy parameter of §2."""
    return [
        (name, DEFAULT_POLICY.parameter(name), p.description, p.used_by)
        for name, p in PARAMETERS.items()
    ]


def glossary_terms() -> list[type[Term]]:
    """Every vocabulary enum the package exports, in ``__all__`` order."""
    found = [getattr(iqm_rules, name) for name in iqm_rules.__all__]
    return [kind for kind in found if inspect.isclass(kind) and issubclass(kind, Term)]


def api_names() -> dict[str, list[str]]:
    """Every name of ``iqm_rules.__all__``, grouped by the module that defines it."""
    modules = [
        importlib.import_module(f"iqm_rules.{info.name}")
        for info in pkgutil.iter_modules(iqm_rules.__path__)
        if not info.name.startswith("_")
    ]
    grouped: dict[str, list[str]] = {}
    for name in iqm_rules.__all__:
        obj = getattr(iqm_rules, name)
        home = getattr(obj, "__module__", None) if inspect.isclass(obj) or callable(obj) else None
        if home is None:
            home = next(m.__name__ for m in modules if name in getattr(m, "__all__", ()))
        grouped.setdefault(home, []).append(name)
    return dict(sorted(grouped.items()))


def _code(value: object) -> str:
    """A parameter value as the page shows it: terms and names in code spans."""
    if isinstance(value, Term):
        others = [m.value for m in type(value) if m is not value]
        alternatives = f" (or {', '.join(f'`{o}`' for o in others)})" if others else ""
        return f"`{value.value}`{alternatives}"
    if isinstance(value, Mapping):
        return ", ".join(f"`{k.value}` {v}" for k, v in value.items())
    if isinstance(value, frozenset):
        return ", ".join(sorted(f"`{m.value}`" for m in value)) or "none"
    return str(value)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _plain(docstring: str) -> str:
    """A docstring paragraph as Markdown: one line, ``code`` and :role:`name` as code spans."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", docstring.replace("\n", " "))
    return text.replace("``", "`")


def vocabulary() -> str:
    rows = []
    for kind in VOCABULARY:
        ordered = ", ordered" if issubclass(kind, RankedTerm) else ""
        members = "; ".join(f"`{m.value}` — {m.title}" for m in kind)
        rows.append((f"`{kind.__name__}` ({len(kind)}{ordered})", members))
    return _table(("type", "members (JSON value — title)"), rows)


def parameters() -> str:
    rows = [
        (f"`{name}`", _code(default), meaning, ", ".join(used))
        for name, default, meaning, used in parameter_rows()
    ]
    return _table(("parameter", "default", "meaning", "used by"), rows)


def rules() -> str:
    rows = [
        (rule_id, level, text, ", ".join(f"`{p}`" for p in params) or "—")
        for rule_id, level, text, params in rule_rows()
    ]
    return _table(("rule", "level", "passes when", "parameters read"), rows)


def lifecycle() -> str:
    return _table(("rule", "what happens"), lifecycle_rows())


def glossary() -> str:
    parts = []
    for kind in glossary_terms():
        summary = _plain((inspect.getdoc(kind) or "").split("\n\n")[0])
        rows = [(f"`{m.value}`", m.title) for m in kind]
        parts.append(f"## {kind.__name__}\n\n{summary}\n\n" + _table(("value", "meaning"), rows))
    return "\n".join(parts)


def api() -> str:
    parts = []
    for module, names in api_names().items():
        about = _plain((inspect.getdoc(importlib.import_module(module)) or "").split("\n\n")[0])
        parts.append(f"## `{module}`\n\n{about}\n")
        parts += [f"::: {module}.{name}\n" for name in names]
    return "\n".join(parts)


SECTIONS: Mapping[str, Callable[[], str]] = {
    "vocabulary": vocabulary,
    "parameters": parameters,
    "rules": rules,
    "lifecycle": lifecycle,
    "glossary": glossary,
    "api": api,
}


def render(text: str) -> str:
    """``text`` with every marked part replaced by its current content."""

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in SECTIONS:
            raise KeyError(f"unknown generated section {name!r}; known: {', '.join(SECTIONS)}")
        return match[1] + SECTIONS[name]() + match[4]

    return MARKED.sub(fill, text)


def stale_pages(docs: Path = DOCS, *, write: bool = False) -> list[str]:
    """The pages whose generated parts differ from the code; rewritten when ``write``."""
    stale = []
    for name in PAGES:
        page = docs / name
        text = page.read_text(encoding="utf-8")
        wanted = render(text)
        if wanted != text:
            stale.append(name)
            if write:
                page.write_text(wanted, encoding="utf-8")
    return stale


def main(argv: Sequence[str]) -> int:
    check = "--check" in argv
    stale = stale_pages(write=not check)
    for name in stale:
        verb = "is out of date; run python docs/_generate.py" if check else "rewritten"
        print(f"docs/{name} {verb}", file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

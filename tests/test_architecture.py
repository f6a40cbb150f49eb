"""The import graph of ``iqm_rules``: no cycle, and no module imports one of a layer above it.

Every ``import`` under ``src/`` counts, wherever it is written: inside a function, or under
``if TYPE_CHECKING:``. A package (``iqm_rules.cli``, ``iqm_rules.interchange``) is one layer with
all its submodules, which may import each other freely; the layers are listed bottom up.
"""

from __future__ import annotations

import ast
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src"
PACKAGE = "iqm_rules"

LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "foundations: the vocabulary, the records, the calendar, the policy and their helpers",
        frozenset(
            {
                "principles",
                "awards",
                "evidence",
                "assessment",
                "history",
                "policy",
                "errors",
                "_dates",
                "_terms",
                "_validate",
                "_registry",
                "_shown",
                "words",
            }
        ),
    ),
    ("§3: deciding one assessment, readiness", frozenset({"decisions"})),
    ("§4: the lifecycle, the replay, next steps", frozenset({"lifecycle"})),
    ("interchange: formats, the reader and writer, schemas, examples", frozenset({"interchange"})),
    ("auditing: audits, records, verify, what-if, rule cases", frozenset({"auditing"})),
    ("the decision log: entries, the chain, the store, status", frozenset({"decision_log"})),
    ("the office: plans, rows, the report page, policy files", frozenset({"office"})),
    ("the conformance suite: its protocol, cases and runner", frozenset({"conformance"})),
    ("the strategies for users' tests", frozenset({"testing"})),
    ("the edges: the command line and the service", frozenset({"cli", "server"})),
    ("python -m iqm_rules", frozenset({"__main__"})),
)
"""Bottom up, each named: a module may import from its own layer or those below, never from
above. Within a layer, modules import each other freely but never in a cycle."""

EDGES = ("cli", "server")
"""The two edges import the library, never each other (see :data:`SERVE`)."""

SERVE = {
    ("iqm_rules.cli.parser", "iqm_rules.server.command"),
    ("iqm_rules.cli.commands.serve", "iqm_rules.server.command"),
}
"""The one way from the command line to the service: its ``serve`` command, inside a function
(the parser adds the serve options when that command is named; the handler starts it)."""


def _name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, ast.Module]:
    return {
        _name(path): ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for path in sorted((SRC / PACKAGE).rglob("*.py"))
    }


def _imported(module: str, is_package: bool, tree: ast.Module, known: set[str]) -> Iterator[str]:
    """Every module of ``known`` that ``tree`` imports, relative imports resolved.

    ``from iqm_rules import _validate`` imports the submodule ``iqm_rules._validate``;
    ``from iqm_rules import decide`` imports the package ``iqm_rules`` itself.
    """
    here = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = here.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                if name in known:
                    yield name
                elif base in known:
                    yield base


def _graph() -> dict[str, set[str]]:
    """Module → the modules of ``iqm_rules`` it imports."""
    modules = _modules()
    known = set(modules)
    packages = {_name(path.parent / "__init__.py") for path in (SRC / PACKAGE).rglob("__init__.py")}
    return {
        module: set(_imported(module, module in packages, tree, known)) - {module}
        for module, tree in modules.items()
    }


def _layer(module: str) -> int:
    """The layer of ``module``: that of its top-level module or package under ``iqm_rules``."""
    top = module.split(".")[1]
    for index, (_, layer) in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module} is in no layer: add {top!r} to LAYERS in {__file__}")


def _cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, as the modules along it, or ``None``."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_every_module_is_in_exactly_one_layer() -> None:
    listed = [name for _, layer in LAYERS for name in layer]
    assert len(listed) == len(set(listed))
    for module in _graph():
        if module != PACKAGE:
            _layer(module)


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycle(_graph()) is None


def test_no_module_imports_one_of_a_layer_above_it() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if module != PACKAGE
        for target in sorted(targets)
        if target == PACKAGE or _layer(target) > _layer(module)
    ]
    assert upward == []


def _module_level(tree: ast.Module) -> set[str]:
    """The modules ``tree`` imports at module level (not inside a function)."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def test_the_command_line_and_the_service_import_each_other_only_to_serve() -> None:
    def edge(module: str) -> str | None:
        top = module.split(".")[1:2]
        return top[0] if top and top[0] in EDGES else None

    crossing = {
        (module, target)
        for module, targets in _graph().items()
        for target in targets
        if edge(module) and edge(target) and edge(module) != edge(target)
    }
    assert crossing <= SERVE, sorted(crossing - SERVE)
    modules = _modules()
    for module, target in SERVE:
        assert target not in _module_level(modules[module]), f"{module} imports {target} eagerly"


def test_the_package_itself_imports_only_what_it_re_exports() -> None:
    assert PACKAGE not in {t for targets in _graph().values() for t in targets}


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"a"}}, ["a", "a"]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert _cycle(graph) == cycle


def test_type_checking_and_function_level_imports_count() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from iqm_rules.decisions.decision import Decision\n"
        "def f() -> None:\n"
        "    from ..lifecycle.replay import status\n"
    )
    known = {
        "iqm_rules",
        "iqm_rules.decisions.rules",
        "iqm_rules.decisions.decision",
        "iqm_rules.lifecycle.replay",
    }
    found = set(_imported("iqm_rules.decisions.rules", False, tree, known))
    assert found == {"iqm_rules.decisions.decision", "iqm_rules.lifecycle.replay"}


def test_type_hints_of_the_records_the_rules_read_resolve_at_run_time() -> None:
    from iqm_rules.decisions.facts import Prior, RuleInput
    from iqm_rules.decisions.registry import Rule, Verdict
    from iqm_rules.decisions.shortfalls import Missing, Shortfall

    for cls in (Prior, RuleInput, Rule, Verdict, Missing, Shortfall):
        assert typing.get_type_hints(cls)
    assert typing.get_type_hints(RuleInput)["prior"] is Prior


def test_the_architecture_page_names_every_layer_and_package() -> None:
    page = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = {
        path.parent.name for path in (SRC / PACKAGE).glob("*/__init__.py") if path.parent.name
    }
    missing = sorted(name for name in packages if f"{name}/" not in page)
    assert missing == [], "docs/architecture.md should say what lives in each package"


def test_no_module_of_the_package_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(SRC)): count
        for path in sorted((SRC / PACKAGE).rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}, "split these by concept (one concept a module)"

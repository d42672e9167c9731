"""The apps form layers: no import cycle between them, no app reaching into another app's
page forms or API, no swallowed lookups (issue 9.13).

The graph is built with ``ast`` from every import statement in ``pcmd/<app>/**.py``,
module level or inside a function (a lazy import hides a cycle, it does not remove it);
imports under ``if TYPE_CHECKING:`` are for the type checker only and do not count.
Migrations are left out: they name models of the apps they depend on by design.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PCMD = ROOT / "pcmd"
# An app's page and API modules; other apps share pickers and helpers, never these.
UI_MODULES = {"forms", "api", "serializers", "views", "api_urls", "urls"}
# The shared layers every app's pages and API build on.
SHARED = {"web", "api"}
# Handlers that report a failed lookup rather than swallow it.
ALLOWED_LOOKUP_HANDLERS = {("pcmd/indicators/sources.py", "check_sources")}


def _source_files() -> Iterator[Path]:
    for path in sorted(PCMD.rglob("*.py")):
        if "migrations" not in path.relative_to(PCMD).parts:
            yield path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[str]:
    """Absolute module names imported anywhere in ``tree`` except under TYPE_CHECKING."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))


def _module_of(path: Path) -> tuple[str, str]:
    rel = path.relative_to(PCMD).with_suffix("").parts
    return rel[0], rel[-1] if len(rel) > 1 else "__init__"


def import_edges() -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(app, module) -> {(other app, imported module or name)} for imports across apps."""
    edges: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for path in _source_files():
        app, module = _module_of(path)
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = name.split(".")
            if parts[0] == "pcmd" and len(parts) > 1 and parts[1] != app:
                edges[(app, module)].add((parts[1], parts[2] if len(parts) > 2 else ""))
    return edges


# The one permission check (issue 9.12) lives in ``accounts.permissions``, above ``geo`` and
# ``agencies``; their catalog loaders (``actions.py``) call it. Those edges are the only ones
# allowed back into ``accounts``, and they cannot close a cycle because that module imports
# nothing of theirs but unit models and the unit tree (asserted below).
KERNEL = ("accounts", "permissions")
KERNEL_USERS = {("geo", "actions"), ("agencies", "actions")}


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for (app, module), targets in import_edges().items():
        for other, target_module in targets:
            if (other, target_module) == KERNEL and (app, module) in KERNEL_USERS:
                continue
            graph[app].add(other)
    return graph


def test_the_permission_kernel_imports_only_unit_models() -> None:
    """Unit models, the cached unit tree (the 2025 reform's province family), which itself
    reads only unit models and the graph helper, and the subtree filters (unit models only)."""
    edges = import_edges()
    allowed = {("geo", "models"), ("geo", "tree"), ("geo", "subtree")}
    assert edges.get(KERNEL, set()) <= allowed, edges.get(KERNEL)
    assert edges.get(("geo", "tree"), set()) <= {("geo", "models"), ("core", "graph")}
    assert edges.get(("geo", "subtree"), set()) <= {("geo", "models")}
    assert edges.get(("core", "graph"), set()) == set()


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_apps_import_one_another_without_a_cycle() -> None:
    cycle = find_cycle(app_graph())
    assert cycle is None, "import cycle between apps: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


def test_a_lazy_import_counts_and_a_type_only_import_does_not() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pcmd.x.models import A\n"
        "def f():\n    from pcmd.y import actions\n"
    )
    names = set(_imports(tree))
    assert "pcmd.y.actions" in names and "pcmd.x.models" not in names


def test_core_imports_no_other_app() -> None:
    assert app_graph().get("core", set()) == set()


def test_no_app_imports_another_apps_forms_or_api() -> None:
    wrong = sorted(
        f"pcmd.{app}.{module} imports pcmd.{other}.{target}"
        for (app, module), targets in import_edges().items()
        for other, target in targets
        if target in UI_MODULES and other not in SHARED
    )
    assert wrong == []


def test_no_lookup_is_swallowed() -> None:
    """``except LookupError`` around ``apps.get_model`` or ``except NoReverseMatch`` hides a
    missing model or page; import the model or reverse the name and let it fail."""
    found = []
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if not isinstance(node, ast.ExceptHandler) or node.type is None:
                    continue
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)} | {
                    n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)
                }
                rel = str(path.relative_to(ROOT))
                if (
                    names & {"LookupError", "NoReverseMatch"}
                    and (
                        rel,
                        func.name,
                    )
                    not in ALLOWED_LOOKUP_HANDLERS
                ):
                    found.append(f"{rel}:{node.lineno} in {func.name}")
    assert found == []

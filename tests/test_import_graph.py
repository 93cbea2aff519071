"""The package's shape, read from its source: no import circle, the layers in order, no module over
400 lines.

The import graph is built from each module's AST, so nothing is imported to build it. An edge A -> B
means A imports B somewhere, at module level or inside a function (a function-level import is still
a circle, only a later one). Imports under `if TYPE_CHECKING:` are left out: they never run.
`from . import x` where `x` is a module imports `x`; `from ..models import Session` imports the
package and, through its lazy `_HOMES` table (lazy_exports.py), the submodule that holds `Session`.
"""

from __future__ import annotations

import ast
import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

import reviewtui

SOURCE = Path(reviewtui.__file__).parent
MAX_LINES = 400

# The layers, by top-level folder (or flat module). A layer never imports the layers listed for it.
PURE = {
    *("models", "plan", "score", "checkins", "review", "team", "record"),  # the conversation's stages
    *("errors", "names", "shown", "platforms", "lazy_exports"),  # shared pure modules
}
NEVER_IMPORTS = {
    **dict.fromkeys(PURE, frozenset({"storage", "session", "room", "cli", "ui"})),
    "storage": {"session", "room", "cli", "ui"},
    "session": {"room", "cli", "ui"},
    "room": {"cli", "ui"},  # the live shared session: above storage and session, below the app
    "ui": {"cli"},
    "cli": set(),
    "reviewtui": set(),  # the package itself: only its version
}

Graph = Mapping[str, set[str]]
Homes = Callable[[str], Mapping[str, str]]


# Building the graph -------------------------------------------------------------------------


def module_files(root: Path, package: str) -> dict[str, Path]:
    """`{dotted module name: file}` for every module under `root`, the package `package`."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join((package, *parts))] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: all but those under `if TYPE_CHECKING:` (its `else` runs)."""
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        for child in node.orelse:
            yield from _imports(child)
        return
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _imports(child)


@functools.cache
def lazy_homes(package: str) -> Mapping[str, str]:
    """A lazily exporting package's `{name: submodule}` (its `_HOMES`); empty for any other package."""
    homes = getattr(importlib.import_module(package), "_HOMES", {})
    return {name: f"{package}.{home}" for name, home in homes.items()}


def imports_of(name: str, path: Path, modules: Mapping[str, Path], homes: Homes = lazy_homes) -> set[str]:
    """The package's modules that module `name` (source at `path`) imports."""
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                # `import a.b.c` runs a, a.b and a.b.c: the deepest of the package's modules counts.
                parts = alias.name.split(".")
                dotted = (".".join(parts[:end]) for end in range(len(parts), 0, -1))
                found.update(next(([d] for d in dotted if d in modules), []))
            continue
        base = here[: len(here) - node.level + 1] if node.level else []
        source = ".".join([*base, *([node.module] if node.module else [])])
        if source not in modules:
            continue  # outside the package
        package_homes = homes(source) if modules[source].name == "__init__.py" else {}
        for alias in node.names:
            if f"{source}.{alias.name}" in modules:  # `from . import x`: the module x
                found.add(f"{source}.{alias.name}")
                continue
            found.add(source)
            if package_homes.get(alias.name) in modules:
                found.add(package_homes[alias.name])
    found.discard(name)
    return found


def import_graph(modules: Mapping[str, Path], homes: Homes = lazy_homes) -> dict[str, set[str]]:
    """`{module: the package's modules it imports}`."""
    return {name: imports_of(name, path, modules, homes) for name, path in modules.items()}


# Reading it ---------------------------------------------------------------------------------


def cycles(graph: Graph) -> list[list[str]]:
    """One circle from each group of modules that import each other, as a path back to its start
    (`[a, b, a]`); empty when there is none. Tarjan's strongly connected components, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> Iterator[str]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return iter(sorted(graph.get(node, ())))

    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, visit(root))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = {node}
                    while (member := stack.pop()) != node:
                        group.add(member)
                    on_stack.difference_update(group)
                    if len(group) > 1 or node in graph.get(node, ()):
                        groups.append(group)
            elif child not in index:
                work.append((child, visit(child)))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(_circle_in(group, graph) for group in groups)


def _circle_in(group: set[str], graph: Graph) -> list[str]:
    """A shortest circle through the group's first module, found breadth first inside the group."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph.get(node, ())):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if child in group and child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"the modules {sorted(group)} hold no circle")  # Tarjan yields only circles


def layer(module: str) -> str:
    """The layer a module belongs to: its top-level folder or flat module (`cli*`, `completion` and
    `__main__` are the command line)."""
    top = module.split(".")[1] if "." in module else module
    return "cli" if top.startswith("cli") or top in ("completion", "__main__") else top


def layering_breaches(graph: Graph) -> list[str]:
    """`a -> b` for each import of a module from a layer its own layer never imports."""
    return [
        f"{module} -> {imported}"
        for module, imported_modules in sorted(graph.items())
        for imported in sorted(imported_modules)
        if layer(imported) in NEVER_IMPORTS.get(layer(module), set())
    ]


def line_count(path: Path) -> int:
    """Lines as `wc -l` counts them."""
    return path.read_bytes().count(b"\n")


def oversized(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """`{module path relative to root: lines}` for each module over `limit` lines."""
    sizes = {path.relative_to(root).as_posix(): line_count(path) for path in sorted(root.rglob("*.py"))}
    return {name: lines for name, lines in sizes.items() if lines > limit}


@functools.cache
def package_graph() -> dict[str, set[str]]:
    return import_graph(module_files(SOURCE, "reviewtui"))


# The package --------------------------------------------------------------------------------


def test_no_module_imports_itself_back() -> None:
    found = cycles(package_graph())
    assert not found, "import circles:\n" + "\n".join(" -> ".join(circle) for circle in found)


def test_every_layer_is_known() -> None:
    # A new top-level folder or flat module has to be given its place in the layering.
    unknown = sorted({layer(module) for module in package_graph()} - NEVER_IMPORTS.keys())
    assert not unknown, f"add these to NEVER_IMPORTS (and PURE if they are pure): {unknown}"


def test_the_layers_import_only_downwards() -> None:
    breaches = layering_breaches(package_graph())
    assert not breaches, "imports against the layering:\n" + "\n".join(breaches)


def test_no_module_is_over_400_lines() -> None:
    too_long = oversized(SOURCE)
    assert not too_long, f"modules over {MAX_LINES} lines (split them): {too_long}"


def test_the_app_is_a_thin_shell() -> None:
    # The App keeps screens and routing; a draft's life is the session driver's (session/driver.py).
    lines = len((SOURCE / "ui" / "app.py").read_text(encoding="utf-8").splitlines())
    assert lines < 300, f"ui/app.py has {lines} lines: move what is not screens or routing out of it"


# The checks themselves, on small made-up packages -------------------------------------------


def test_cycles_finds_each_circle_and_only_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["e", "e"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"a", "c"}}) == []


def test_cycles_shows_a_shortest_circle_of_a_tangle() -> None:
    graph = {"a": {"b", "d"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "d", "a"]]


def test_cycles_copes_with_a_long_chain() -> None:
    # Iterative, so a deep chain does not hit Python's recursion limit.
    chain = {f"m{i:05}": {f"m{i + 1:05}"} for i in range(5000)}
    chain["m05000"] = {"m00000"}
    [circle] = cycles(chain)
    assert len(circle) == 5002 and circle[0] == circle[-1] == "m00000"


def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return module_files(root / "pkg", "pkg")


def test_the_graph_sees_function_level_and_relative_imports_but_not_type_checking(tmp_path: Path) -> None:
    modules = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from .sub import b\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": "def later():\n    from ..a import name\n",
            "pkg/sub/c.py": (
                "from typing import TYPE_CHECKING\n"
                "import pkg.a\n"
                "if TYPE_CHECKING:\n    from . import b\nelse:\n    from .. import sub\n"
            ),
            "pkg/sub/d.py": "import typing\nif typing.TYPE_CHECKING:\n    import pkg.a\nimport os, json\n",
        },
    )
    graph = import_graph(modules, homes=lambda package: {})
    assert graph == {
        "pkg": set(),
        "pkg.a": {"pkg.sub.b"},
        "pkg.sub": set(),
        "pkg.sub.b": {"pkg.a"},
        "pkg.sub.c": {"pkg.a", "pkg.sub"},
        "pkg.sub.d": set(),
    }
    assert cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.a"]]


def test_the_graph_follows_a_lazy_export_to_its_home(tmp_path: Path) -> None:
    modules = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/models/__init__.py": "",
            "pkg/models/session.py": "",
            "pkg/x.py": "from .models import Session, Unknown\n",
        },
    )

    def homes(package: str) -> dict[str, str]:
        return {"Session": "pkg.models.session"} if package == "pkg.models" else {}

    assert imports_of("pkg.x", modules["pkg.x"], modules, homes) == {"pkg.models", "pkg.models.session"}


def test_the_real_lazy_packages_are_followed() -> None:
    assert lazy_homes("reviewtui.models")["Session"] == "reviewtui.models.session"
    assert (
        "reviewtui.models.plan_parts" in package_graph()["reviewtui.score.words"]
    )  # `from ..models import PlanMetric`


def test_a_layering_breach_is_named() -> None:
    graph = {
        "reviewtui.team.history": {"reviewtui.storage.git", "reviewtui.models"},
        "reviewtui.storage.records": {"reviewtui.session.catalog"},
        "reviewtui.ui.app": {"reviewtui.storage.records", "reviewtui.cli_git"},
        "reviewtui.cli": {"reviewtui.ui.app"},
    }
    assert layering_breaches(graph) == [
        "reviewtui.storage.records -> reviewtui.session.catalog",
        "reviewtui.team.history -> reviewtui.storage.git",
        "reviewtui.ui.app -> reviewtui.cli_git",
    ]


@pytest.mark.parametrize(("lines", "over"), [(400, False), (401, True)])
def test_a_module_over_the_limit_is_named(tmp_path: Path, lines: int, over: bool) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "long.py").write_text("x = 1\n" * lines, encoding="utf-8")
    assert oversized(tmp_path) == ({"sub/long.py": lines} if over else {})

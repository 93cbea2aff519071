"""The command line's package: no import circle, and a start that loads only what the command run needs.

`reviewtui.cli` holds shared modules (the parser, the options, the output, the exposure warning) and
one module per group of commands, each with a `COMMANDS` table. A command module imports shared
modules only; `main` imports the one group of the command given, when it runs.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reviewtui.cli import command_for
from reviewtui.cli.parser import build_parser

SRC = Path(__file__).parent.parent / "src"
CLI = "reviewtui.cli"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted((SRC / "reviewtui").rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`): imports for the type checker, never run."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str) -> set[str]:
    """The package's modules that module `name` imports, at module level or in a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(path.read_text())]
    while pending:
        node = pending.pop()
        if _type_checking_only(node):
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:  # `from . import records`: the module itself
                    found.add(f"{base}.{alias.name}")
                elif base in MODULES:
                    found.add(base)
    found.discard(name)
    return found


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


GRAPH = {name: _imports(name) for name in MODULES}
CLI_MODULES = sorted(name for name in MODULES if name == CLI or name.startswith(f"{CLI}."))


def _has_command_table(name: str) -> bool:
    tree = ast.parse(MODULES[name].read_text())
    return any(
        isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMMANDS" for t in node.targets)
        for node in tree.body
    )


COMMAND_MODULES = [name for name in CLI_MODULES if name != CLI and _has_command_table(name)]
SHARED_MODULES = [name for name in CLI_MODULES if name != CLI and name not in COMMAND_MODULES]


def test_the_import_scan_finds_relative_function_level_and_package_imports() -> None:
    # The scan must see what the rules below rely on, or they would pass on an empty graph.
    assert f"{CLI}.records" in GRAPH[CLI]  # `from . import records as group`, inside a function
    assert f"{CLI}.options" in GRAPH[f"{CLI}.git"]  # `from .options import ...`, at module level
    assert "reviewtui.storage.archiving" in GRAPH[f"{CLI}.git"]  # `from ..storage.archiving import`
    assert "reviewtui.storage.rubrics" in GRAPH[f"{CLI}.starting"]  # inside read_catalog
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_the_command_line_is_in_an_import_circle() -> None:
    touching = [group for group in _circles(GRAPH) if any(name in CLI_MODULES for name in group)]
    assert touching == []


def test_command_modules_share_through_the_shared_modules_only() -> None:
    assert {name.rpartition(".")[2] for name in COMMAND_MODULES} == {
        "app_start",
        "records",
        "evidence",
        "git",
        "report",
        "completion",
        "room",
        "prepare",
        "experiment",
        "due",
        "agenda",
    }
    for name in COMMAND_MODULES + SHARED_MODULES:
        within = {target for target in GRAPH[name] if target in CLI_MODULES}
        # Never the package itself (`main`) nor another command's module.
        assert within <= set(SHARED_MODULES), (name, sorted(within - set(SHARED_MODULES)))


def test_every_command_the_parser_knows_has_its_runner() -> None:
    commands = next(
        action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    for name in [None, *commands.choices]:
        runner = command_for(name)
        assert callable(runner) and runner.__module__ in COMMAND_MODULES, name


def _run(code: str, *args: str, cwd: Path | None = None) -> dict:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


LOADED = (
    "import json, sys\n"
    "def loaded():\n"
    "    return {'cli': sorted(m for m in sys.modules if m.startswith('reviewtui.cli')),\n"
    "            'pydantic': 'pydantic' in sys.modules, 'textual': 'textual' in sys.modules}\n"
)


def test_importing_the_command_line_and_its_help_load_no_command_module_and_no_pydantic() -> None:
    code = (
        LOADED + "import contextlib, io\n"
        "from reviewtui.cli import main\n"
        "after_import = loaded()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps({'import': after_import, 'help': loaded()}))\n"
    )
    seen = _run(code)
    for moment in ("import", "help"):
        assert not set(seen[moment]["cli"]) & set(COMMAND_MODULES), moment
        assert not seen[moment]["pydantic"] and not seen[moment]["textual"], moment


# The app is stood in for by a module that notes what was loaded when it was started.
START = LOADED + (
    "import types\n"
    "seen = {}\n"
    "def run_app(sessions_dir, catalog, app=None, **run):\n"
    "    seen.update(loaded(), reader=callable(catalog))\n"
    "    return 0\n"
    "class ReviewApp:\n"
    "    def __init__(self, sessions_dir, catalog):\n"
    "        self.title = ''\n"
    "stub = types.ModuleType('reviewtui.ui.app')\n"
    "stub.run_app, stub.ReviewApp = run_app, ReviewApp\n"
    "sys.modules['reviewtui.ui.app'] = stub\n"
    "from reviewtui.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps(dict(seen, code=code)))\n"
)
START_MODULES = [
    f"{CLI}{name}" for name in ("", ".app_start", ".exposure", ".options", ".output", ".parser", ".starting")
]


@pytest.mark.parametrize("argv", [[], ["demo"]], ids=["app", "demo"])
def test_the_app_starts_with_the_app_start_module_only(tmp_path: Path, argv: list[str]) -> None:
    seen = _run(START, "--sessions", str(tmp_path / "sessions"), *argv, cwd=tmp_path)
    assert seen["code"] == 0
    assert seen["cli"] == START_MODULES


def test_the_app_starts_before_the_rubrics_or_pydantic_are_loaded(tmp_path: Path) -> None:
    seen = _run(START, "--sessions", str(tmp_path / "sessions"), cwd=tmp_path)
    assert seen["reader"] and not seen["pydantic"]


def test_the_catalog_reader_refuses_a_bad_rubrics_folder_now_and_reads_only_when_called(
    tmp_path: Path,
) -> None:
    code = LOADED + (
        "import argparse\n"
        "from pathlib import Path\n"
        "from reviewtui.cli.starting import catalog_reader\n"
        "from reviewtui.errors import ReviewtuiError\n"
        "try:\n"
        "    catalog_reader(argparse.Namespace(rubrics=[Path(sys.argv[1]) / 'nowhere']))\n"
        "    refused = False\n"
        "except ReviewtuiError:\n"
        "    refused = True\n"
        "read = catalog_reader(argparse.Namespace(rubrics=None))\n"
        "before = loaded()\n"
        "catalog = read()\n"
        "print(json.dumps({'refused': refused, 'before': before, 'after': loaded(),\n"
        "                  'rubrics': len(catalog.by_id)}))\n"
    )
    seen = _run(code, str(tmp_path), cwd=tmp_path)
    assert seen["refused"]
    assert not seen["before"]["pydantic"]
    assert seen["after"]["pydantic"] and seen["rubrics"] > 0

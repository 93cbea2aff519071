"""The core (models, storage) never loads Textual: the UI depends on it, not the reverse."""

from __future__ import annotations

import subprocess
import sys


def test_the_core_imports_without_textual() -> None:
    # Every module outside reviewtui.ui, found by walking the package, so new ones are covered too.
    code = (
        "import importlib, pkgutil, sys\n"
        "import reviewtui\n"
        "names = [m.name for m in pkgutil.walk_packages(reviewtui.__path__, 'reviewtui.')\n"
        "         if not m.name.startswith('reviewtui.ui') and m.name != 'reviewtui.__main__']\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "assert len(names) > 30, names\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_validate_command_runs_without_textual(tmp_path) -> None:
    code = (
        "import sys\n"
        "from reviewtui.cli import main\n"
        "code = main(['schema', 'rubric'])\n"
        "assert not any(name.startswith('textual') for name in sys.modules), 'textual was imported'\n"
        "raise SystemExit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

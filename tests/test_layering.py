"""The core (models, storage) never loads Textual: the UI depends on it, not the reverse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from import_probe import modules_loaded_by


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
        "session = {'reviewtui.session.driver', 'reviewtui.session.final_save',\n"
        "           'reviewtui.session.folder_work', 'reviewtui.session.crash'}\n"
        "assert session <= set(names), session - set(names)  # the session driver is below the UI\n"
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


def test_the_app_module_loads_no_step_screen_no_driver_and_no_pydantic() -> None:
    # The start path: the first frame needs the App and home, not the steps, the session
    # driver or the models; those load when first used (or in a thread after the first frame).
    heavy = ("reviewtui.ui.steps", "reviewtui.session.driver", "pydantic")
    assert modules_loaded_by("import reviewtui.ui.app", heavy) == []


def test_home_opens_without_loading_the_steps_or_the_session_driver(tmp_path) -> None:
    # Home lists a draft and its step on the first frame; the driver and the step screens wait
    # for the first session, and the catalog is read by then.
    code = (
        "import asyncio, sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from pathlib import Path\n"
        "from factories import csm_draft\n"
        "from reviewtui.storage import discover_rubrics\n"
        "from reviewtui.storage.drafts import save_draft\n"
        "from reviewtui.ui.app import ReviewApp\n"
        "sessions = Path(sys.argv[1])\n"
        "save_draft(csm_draft(2), sessions)\n"
        "async def main():\n"
        "    app = ReviewApp(sessions, discover_rubrics)\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "        await app.workers.wait_for_complete()\n"
        "        assert app._catalog_source.loaded is not None\n"
        "        assert 'Ana Ruiz' in app.screen.query_one('#drafts').get_row_at(0)[0]\n"
        "        heavy = ('reviewtui.ui.steps', 'reviewtui.session.driver')\n"
        "        print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))))\n"
        "asyncio.run(main())\n"
    )
    tests = str(Path(__file__).parent)
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "sessions"), tests], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""

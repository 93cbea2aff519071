"""The core (models, storage) never loads Textual: the UI depends on it, not the reverse."""

from __future__ import annotations

import subprocess
import sys


def test_the_core_imports_without_textual() -> None:
    code = (
        "import sys\n"
        "import reviewtui.models, reviewtui.storage, reviewtui.errors, reviewtui.cli\n"
        "import reviewtui.alignment, reviewtui.checks, reviewtui.review, reviewtui.checkin\n"
        "import reviewtui.scoring, reviewtui.summary, reviewtui.timeline\n"
        "import reviewtui.storage.drafts, reviewtui.storage.evidence, reviewtui.storage.feedback_import\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
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

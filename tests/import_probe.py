"""What a fresh Python loads: the start path's promises (no pydantic before the first frame...) are kept."""

from __future__ import annotations

import subprocess
import sys


def modules_loaded_by(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules whose dotted name starts with one of `prefixes` after `code` runs in a fresh Python.

    A prefix names a package and what is in it (`pydantic` is `pydantic` and `pydantic.main`, never
    `pydantic_core`); the run fails the test if `code` raises.
    """
    probe = (
        f"{code}\n"
        "import sys\n"
        f"prefixes = {prefixes!r}\n"
        "print('\\n'.join(sorted(m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in prefixes))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()

"""Helpers shared by the benchmarks: fresh processes in a pseudo-terminal, medians, ratios."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "_probe.py"
EXAMPLES = HERE.parent / "src" / "reviewtui" / "examples"
PYCACHE = Path(tempfile.gettempdir()) / "reviewtui-benchmarks-pycache"


@dataclass
class ProbeRun:
    """One fresh process: seconds from spawn to each mark, and its peak resident memory (KiB)."""

    marks: dict[str, float]
    peak_kib: int


def example_team(into: Path) -> Path:
    """A private copy of the example team (records only), so other runs' drafts never count."""
    sessions = into / "sessions"
    sessions.mkdir(mode=0o700)
    for path in EXAMPLES.glob("*.toml"):
        shutil.copy2(path, sessions / path.name)
    return sessions


def run_probe(app: str, sessions: Path, *, until: str = "frame", size=(80, 24), timeout=60.0) -> ProbeRun:
    """Start `_probe.py` in a new process on a pseudo-terminal of `size`; wait for it to exit."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL") and k not in ("COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    # Compiled bytecode is cached, as after an install: without a cache (PYTHONDONTWRITEBYTECODE
    # may be set) every start would compile reviewtui's sources again. The cache is private, so
    # nothing is written into the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "marks.json"
        command = [sys.executable, str(PROBE), app, str(sessions), str(out), "--until", until]
        start = time.monotonic()
        process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, cwd=scratch, env=env, start_new_session=True
        )
        os.close(slave)
        drained = threading.Thread(target=_drain, args=(master,), daemon=True)
        drained.start()
        deadline = threading.Timer(timeout, process.kill)
        deadline.start()
        try:
            _, status = os.waitpid(process.pid, 0)
        finally:
            deadline.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        drained.join(timeout=2)
        os.close(master)
        if process.returncode != 0 or not out.exists():
            raise RuntimeError(f"{app} probe failed (exit {process.returncode})")
        found = json.loads(out.read_text())
        peak = found.pop("peak_kib")
        marks = {name: at - start for name, at in found.items()}
    return ProbeRun(marks, peak)


def _drain(fd: int) -> None:
    # The app blocks once the terminal's buffer is full: read everything it writes.
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def verdict(met: bool) -> str:
    return "goal met" if met else "GOAL MISSED"


@dataclass
class Row:
    """One figure of a benchmark, for run_all's table."""

    what: str
    ours: str
    baseline: str
    ratio: float | None
    goal: str
    met: bool | None  # None: for information, no goal


def repeat_option(default: int, help_text: str) -> int:
    """The `--repeat N` every benchmark takes."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=default, help=f"{help_text} (default {default})")
    return parser.parse_args().repeat

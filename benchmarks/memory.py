"""Peak memory: `reviewtui` on its home screen (example team) vs a minimal Textual app.

Each run is a fresh process on an 80x24 pseudo-terminal (see `_probe.py`); reviewtui stays
until its records list is filled (every example record read), the minimal app (Header,
Static, Footer) until its first frame; both then exit normally. The peak is the process's
own high-water mark of resident memory (`VmHWM` in /proc/self/status) read as it exits, so
everything it ever held counts, imports included. (`ru_maxrss` from `wait4` would not do:
Linux carries the forking parent's size over into the child's.) The two apps
alternate, `--repeat` times each; medians and their ratio are printed.

    .venv/bin/python benchmarks/memory.py [--repeat 7]

Goal: reviewtui's median peak at most 1.5x the minimal app's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import Row, example_team, median, repeat_option, run_probe, verdict

GOAL = 1.5


def measure(repeat: int = 7) -> list[Row]:
    peaks: dict[str, list[float]] = {"minimal": [], "reviewtui": []}
    with tempfile.TemporaryDirectory() as scratch:
        sessions = example_team(Path(scratch))
        for _ in range(repeat):
            for app in peaks:
                run = run_probe(app, sessions, until="filled")
                peaks[app].append(run.peak_kib / 1024)
    base, ours = median(peaks["minimal"]), median(peaks["reviewtui"])
    ratio = ours / base
    print(f"peak resident memory (VmHWM), median of {repeat} fresh processes each")
    print(f"  minimal Textual app (Header, Static, Footer): {base:6.1f} MiB")
    print(f"  reviewtui home screen, example team, filled:  {ours:6.1f} MiB")
    print(f"  ratio {ratio:.2f}x (goal <= {GOAL}x): {verdict(ratio <= GOAL)}")
    return [
        Row(
            "peak memory, home, example team",
            f"{ours:.1f} MiB",
            f"{base:.1f} MiB",
            ratio,
            f"<= {GOAL}x",
            ratio <= GOAL,
        )
    ]


if __name__ == "__main__":
    measure(repeat_option(7, "runs of each app"))

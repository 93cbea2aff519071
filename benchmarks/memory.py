"""Peak memory: `reviewtui` on its home screen (example team) vs a minimal Textual app.

Each run is a fresh process on an 80x24 pseudo-terminal (see `_probe.py`); reviewtui stays
until its records list is filled (every example record read), the minimal app (Header,
Static, Footer) until its first frame; both then exit normally. The peak is the process's
own high-water mark of resident memory (`VmHWM` in /proc/self/status) read as it exits, so
everything it ever held counts, imports included. (`ru_maxrss` from `wait4` would not do:
Linux carries the forking parent's size over into the child's.) reviewtui is measured on a
second start (warm: the per-record summary cache, filled by the first start, vouches for every
record) and on a first start (cold: the cache removed before the run, so the report's reader
and the models read every record). The apps alternate, `--repeat` times each; medians and
their ratios to the minimal app's, measured in the same run, are printed.

    .venv/bin/python benchmarks/memory.py [--repeat 7]

Goal (issue 13): reviewtui's median peak on a second start at most 1.4x the minimal app's.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from _common import Row, example_team, median, repeat_option, run_probe, verdict

GOAL = 1.4
STARTS = {"warm": "second start (warm cache)", "cold": "first start (no cache)"}


def measure(repeat: int = 7) -> list[Row]:
    peaks: dict[str, list[float]] = {"minimal": [], "warm": [], "cold": []}
    with tempfile.TemporaryDirectory() as scratch:
        sessions = example_team(Path(scratch))
        time.sleep(2.1)  # a cache entry is trusted once its file is 2 s older than its reading
        run_probe("reviewtui", sessions, until="filled")  # fills the cache
        for _ in range(repeat):
            for start in peaks:
                if start == "cold":
                    shutil.rmtree(sessions / ".cache", ignore_errors=True)
                run = run_probe("minimal" if start == "minimal" else "reviewtui", sessions, until="filled")
                peaks[start].append(run.peak_kib / 1024)
    base = median(peaks["minimal"])
    print(f"peak resident memory (VmHWM), median of {repeat} fresh processes each")
    print(f"  minimal Textual app (Header, Static, Footer):        {base:6.1f} MiB")
    rows = []
    for start, which in STARTS.items():
        ours = median(peaks[start])
        ratio = ours / base
        goal = GOAL if start == "warm" else None
        note = f"goal <= {GOAL}x: {verdict(ratio <= GOAL)}" if goal else "for information"
        print(f"  reviewtui home, example team, filled, {which}: {ours:6.1f} MiB, {ratio:.2f}x ({note})")
        rows.append(
            Row(
                f"peak memory, home, example team, {which}",
                f"{ours:.1f} MiB",
                f"{base:.1f} MiB",
                ratio,
                f"<= {GOAL}x" if goal else "-",
                ratio <= GOAL if goal else None,
            )
        )
    return rows


if __name__ == "__main__":
    measure(repeat_option(7, "runs of each app"))

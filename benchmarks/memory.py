"""Peak memory: `reviewtui` on its home screen (example team) vs a minimal Textual app.

Each run is a fresh process on an 80x24 pseudo-terminal (see `_probe.py`); reviewtui stays
until its records list is filled (every example record read), the minimal app (Header,
Static, Footer) until its first frame; both then exit normally. The peak is the child's
maximum resident set size as the kernel reports it when the process ends (`os.wait4`,
`ru_maxrss`), so everything the process ever held counts, imports included. The two apps
alternate, `--repeat` times each; medians and their ratio are printed.

    /tmp/venv/bin/python benchmarks/memory.py [--repeat 7]

Goal: reviewtui's median peak at most 1.5x the minimal app's.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import example_team, median, run_probe, verdict

GOAL = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each app (default 7)")
    args = parser.parse_args()
    peaks: dict[str, list[float]] = {"minimal": [], "reviewtui": []}
    with tempfile.TemporaryDirectory() as scratch:
        sessions = example_team(Path(scratch))
        for _ in range(args.repeat):
            for app in peaks:
                run = run_probe(app, sessions, until="filled")
                peaks[app].append(run.max_rss_kib / 1024)
    base, ours = median(peaks["minimal"]), median(peaks["reviewtui"])
    ratio = ours / base
    print(f"peak resident memory (max RSS), median of {args.repeat} fresh processes each")
    print(f"  minimal Textual app (Header, Static, Footer): {base:6.1f} MiB")
    print(f"  reviewtui home screen, example team, filled:  {ours:6.1f} MiB")
    print(f"  ratio {ratio:.2f}x (goal <= {GOAL}x): {verdict(ratio <= GOAL)}")


if __name__ == "__main__":
    main()

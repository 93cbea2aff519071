"""Runs every benchmark of issues 7, 13 and 14 (speed, start-up at any size, live room) in turn and prints their figures as one table.

Each benchmark prints its own details first; the table at the end (Markdown, ready for the
README) gives each figure, its baseline from the same run, the ratio and the goal. The date,
the machine's cores and its load average before and after are printed with it: on a shared
machine the absolute times move with the load, the ratios much less.

    .venv/bin/python benchmarks/run_all.py [--quick]

`--quick` runs each benchmark with about a third of its repetitions. The rows: first frame and
peak memory of the home screen vs a minimal Textual app; home with 1,000 and 10,000 records vs
an empty folder, on a second (warm) and a first (cold) start; keystroke; save; a live room's
sync between two participant processes vs a plain websocket echo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from importlib.metadata import version

import first_frame
import home_scale
import keystroke
import memory
import room_sync
import save
from _common import Row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a third of the repetitions")
    quick = parser.parse_args().quick
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    rows: list[Row] = []
    for run in (
        lambda: first_frame.measure(5 if quick else 15),
        lambda: home_scale.measure(3 if quick else 9),
        lambda: keystroke.measure(2 if quick else 6),
        lambda: save.measure(60 if quick else 200),
        lambda: memory.measure(3 if quick else 7),
        lambda: room_sync.measure(40 if quick else 100),
    ):
        rows += run()
        print()
    minutes = (time.monotonic() - started) / 60
    print(
        f"{dt.date.today().isoformat()}, {os.cpu_count()} cores ({platform.machine()}), "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after ({minutes:.0f} min), "
        f"Python {platform.python_version()}, Textual {version('textual')}\n"
    )
    print("| what | reviewtui | baseline | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        met = {True: "yes", False: "**no**", None: "-"}[row.met]
        print(f"| {row.what} | {row.ours} | {row.baseline} | {ratio} | {row.goal} | {met} |")


if __name__ == "__main__":
    main()

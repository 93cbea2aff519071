"""Time to first frame: `reviewtui` on its home screen (example team) vs a minimal Textual app.

Each run is a fresh Python process on a pseudo-terminal (80x24), so interpreter start-up,
imports, the rubric catalog and the first paint all count: what a user waits for after
pressing Enter. reviewtui starts through its real command line (`reviewtui --sessions
<copy of the example team>`); the baseline is a Textual app with a Header, a Static and a
Footer. The first frame is the first compositor update written to the terminal (a hook on
`App._display`, see `_probe.py`); the time is from spawning the process to that moment.
The two apps run alternately, `--repeat` times each; medians and their ratio are printed.

    .venv/bin/python benchmarks/first_frame.py [--repeat 15]

Goal (issue 13): reviewtui's median at most 1.25x the minimal app's. The warm-up run fills the\nrecords' summary cache, so the runs measured are second starts (the first frame does not read it).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import Row, example_team, median, repeat_option, run_probe, verdict

GOAL = 1.25


def measure(repeat: int = 15) -> list[Row]:
    with tempfile.TemporaryDirectory() as scratch:
        sessions = example_team(Path(scratch))
        run_probe("minimal", sessions), run_probe("reviewtui", sessions)  # warm the file cache
        times: dict[str, list[float]] = {"minimal": [], "reviewtui": []}
        for _ in range(repeat):
            for app in times:
                times[app].append(run_probe(app, sessions).marks["frame"])
    base, ours = median(times["minimal"]), median(times["reviewtui"])
    ratio = ours / base
    print(f"first frame, median of {repeat} fresh processes each (80x24 pseudo-terminal)")
    print(f"  minimal Textual app (Header, Static, Footer): {base * 1000:7.1f} ms")
    print(f"  reviewtui home screen, example team:          {ours * 1000:7.1f} ms")
    print(f"  ratio {ratio:.2f}x (goal <= {GOAL}x): {verdict(ratio <= GOAL)}")
    return [
        Row(
            "first frame, home, example team",
            f"{ours * 1000:.0f} ms",
            f"{base * 1000:.0f} ms",
            ratio,
            f"<= {GOAL}x",
            ratio <= GOAL,
        )
    ]


if __name__ == "__main__":
    measure(repeat_option(15, "runs of each app"))

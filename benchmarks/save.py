"""Saving a realistic record: `storage.save_session` vs a plain write of the same bytes.

The record is the example team's signed review (`2027-01-12_review_ana-ruiz_a1b2c3d4.toml`,
read with `load_session`). `save_session` serializes it, proves the bytes read back as the
same record, writes a private temp file, fsyncs it, renames it over the record and fsyncs
the folder. The baseline writes the same bytes to a file in the same folder with
`open`/`write`/`fsync`/`close` and nothing else. The two alternate, `--repeat` times each,
in a temporary folder; medians, p95 and their ratio are printed. The time of the
serializing and checking alone (no disk) is printed too, to tell CPU from disk.

    .venv/bin/python benchmarks/save.py [--repeat 200]

Goal: save_session's median below 5 ms.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from _common import EXAMPLES, Row, median, percentile, repeat_option, verdict

from reviewtui.storage import load_session, save_session, session_to_toml
from reviewtui.storage.records import serialize_checked

GOAL_MS = 5.0
RECORD = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"


def plain_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def measure(repeat: int = 200) -> list[Row]:
    session = load_session(EXAMPLES / RECORD)
    data = session_to_toml(session).encode("utf-8")
    times: dict[str, list[float]] = {"plain": [], "save_session": [], "serialize": []}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "sessions"
        folder.mkdir(mode=0o700)
        save_session(session, folder), plain_write(folder / "plain.toml", data)  # warm up
        for _ in range(repeat):
            start = time.perf_counter()
            plain_write(folder / "plain.toml", data)
            middle = time.perf_counter()
            save_session(session, folder)
            end = time.perf_counter()
            serialize_checked(session)
            times["plain"].append(middle - start)
            times["save_session"].append(end - middle)
            times["serialize"].append(time.perf_counter() - end)
    ms = {name: [value * 1000 for value in values] for name, values in times.items()}
    print(f"saving the signed example review ({len(data):,} bytes), {repeat} saves each")
    print(
        f"  plain open/write/fsync/close: median {median(ms['plain']):6.2f} ms, p95 {percentile(ms['plain'], 0.95):6.2f} ms"
    )
    print(
        f"  save_session (atomic, synced): median {median(ms['save_session']):6.2f} ms, "
        f"p95 {percentile(ms['save_session'], 0.95):6.2f} ms"
    )
    print(f"    of which serialize and check: median {median(ms['serialize']):6.2f} ms (no disk)")
    ratio = median(ms["save_session"]) / median(ms["plain"])
    ours = median(ms["save_session"])
    print(
        f"  ratio {ratio:.2f}x; save_session median {ours:.2f} ms (goal < {GOAL_MS:.0f} ms): {verdict(ours < GOAL_MS)}"
    )
    plain = median(ms["plain"])
    return [
        Row(
            "save a signed review (fsync)",
            f"{ours:.1f} ms",
            f"{plain:.1f} ms",
            ratio,
            f"< {GOAL_MS:.0f} ms",
            ours < GOAL_MS,
        )
    ]


if __name__ == "__main__":
    measure(repeat_option(200, "saves of each kind"))

"""The home screen with 1,000 and 10,000 records vs an empty sessions folder, cold and warm.

Valid records are made from the example team's 12 records: each copy gets a new id and one
of 100 employee names (its employee sign-off renamed with it), and is written with the app's
own serializer (`session_to_toml`, so every file loads as a record). Each run is a fresh
`reviewtui` process on an 80x24 pseudo-terminal (see `_probe.py`), measured from spawn to
- the first frame of the home screen (the records listed from their file names), and
- the records list filled (every record's details shown, and the screen refreshed after it).
Each size is measured on its second start (warm: the per-record summary cache, which the first
start or `reviewtui report` fills, vouches for every record) and on a first start (cold: the
cache removed before the run, so every record is read, validated, summarised and cached).
The folders alternate, `--repeat` times each (cold 10,000: a third as often, it takes long);
medians and their ratios to the empty folder's, measured in the same run, are printed.

    .venv/bin/python benchmarks/home_scale.py [--repeat 9] [--records 1000 10000]

Goals (issue 13): 1,000 records, first frame at most 1.1x and list filled at most 1.5x the
empty folder's; 10,000 records, first frame at most 1.3x and, on a second start, the list
filled at most 3x. Cold figures are for information, except the first frame's.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import tempfile
import time
from pathlib import Path

from _common import EXAMPLES, Row, median, run_probe, verdict

from reviewtui.models import new_session_id
from reviewtui.storage import list_record_names, load_session, record_filename, session_to_toml

# (first frame, list filled on a second start) goals per size; a size without one is information.
GOALS = {1000: (1.1, 1.5), 10000: (1.3, 3.0)}


def make_records(folder: Path, count: int) -> None:
    """`count` valid records, varied from the examples by id and employee name."""
    folder.mkdir(mode=0o700)
    examples = [load_session(name.path) for name in list_record_names(EXAMPLES)]
    for number, session in zip(range(count), itertools.cycle(examples), strict=False):
        employee = session.participants.employee.model_copy(update={"name": f"Employee {number % 100:03d}"})
        participants = session.participants.model_copy(update={"employee": employee})
        # A sign-off names the person who signed: renamed with them, or the record is invalid.
        sign_offs = [
            sign_off.model_copy(update={"name": employee.name}) if sign_off.role == "employee" else sign_off
            for sign_off in session.sign_offs
        ]
        copy = session.model_copy(
            update={"id": new_session_id(), "participants": participants, "sign_offs": sign_offs}
        )
        (folder / record_filename(copy)).write_text(session_to_toml(copy), encoding="utf-8")
    names = list_record_names(folder)
    assert len(names) == count
    load_session(names[0].path), load_session(names[-1].path)  # valid records, not unreadable rows


def measure(repeat: int = 9, sizes: tuple[int, ...] = (1000, 10000)) -> list[Row]:
    runs: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty"
        empty.mkdir(mode=0o700)
        folders = {size: Path(scratch) / f"records-{size}" for size in sizes}
        for size, folder in folders.items():
            make_records(folder, size)
        # A cache entry is trusted once its file is 2 s older than its reading (see record_cache):
        time.sleep(2.1)
        for folder in (empty, *folders.values()):
            run_probe("reviewtui", folder, until="filled", timeout=600)  # file cache; fills the report cache
        plan = [("empty", empty, None)]
        for size, folder in folders.items():
            plan += [(f"{size} warm", folder, None), (f"{size} cold", folder, size)]
        for round_number in range(repeat):
            for name, folder, cold_size in plan:
                if cold_size is not None:
                    if cold_size >= 10000 and round_number % 3:
                        continue
                    shutil.rmtree(folder / ".cache", ignore_errors=True)
                marks = run_probe("reviewtui", folder, until="filled", timeout=600).marks
                for mark in ("frame", "filled"):
                    runs.setdefault(name, {"frame": [], "filled": []})[mark].append(marks[mark])
    return _rows(runs, sizes, repeat)


def _rows(runs: dict[str, dict[str, list[float]]], sizes: tuple[int, ...], repeat: int) -> list[Row]:
    rows = []
    print(f"home screen, medians of fresh processes (80x24 pseudo-terminal), {repeat} rounds")
    empty = {mark: median(runs["empty"][mark]) for mark in ("frame", "filled")}
    print(
        f"  empty folder: first frame {empty['frame'] * 1000:7.1f} ms, filled {empty['filled'] * 1000:7.1f} ms"
    )
    for size in sizes:
        frame_goal, filled_goal = GOALS.get(size, (None, None))
        for start in ("warm", "cold"):
            found = runs[f"{size} {start}"]
            which = "second start (warm cache)" if start == "warm" else "first start (no cache)"
            for mark, what, goal in (
                ("frame", "first frame", frame_goal),
                ("filled", "list filled", filled_goal),
            ):
                if start == "cold" and mark == "filled":
                    goal = None  # every record read: for information
                ours = median(found[mark])
                ratio = ours / empty[mark]
                met = None if goal is None else ratio <= goal
                note = f"goal <= {goal}x: {verdict(bool(met))}" if goal else "for information"
                print(
                    f"  {size:,} records, {which}, {what}: {ours * 1000:8.1f} ms over {len(found[mark])} runs, "
                    f"{ratio:.2f}x ({note})"
                )
                rows.append(
                    Row(
                        f"home, {size:,} records, {which}: {what}",
                        f"{ours * 1000:,.0f} ms",
                        f"{empty[mark] * 1000:.0f} ms (empty)",
                        ratio,
                        f"<= {goal}x" if goal else "-",
                        met,
                    )
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="rounds over the folders (default 9)")
    parser.add_argument(
        "--records",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="sizes of the full folders (default 1000 10000)",
    )
    args = parser.parse_args()
    measure(args.repeat, tuple(args.records))


if __name__ == "__main__":
    main()

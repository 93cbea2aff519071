"""The home screen with 1,000 records vs an empty sessions folder.

1,000 valid records are made from the example team's 12 records: each copy gets a new id
and one of 100 employee names, and is written with the app's own serializer
(`session_to_toml`, so every file loads as a record). Each run is a fresh `reviewtui`
process on an 80x24 pseudo-terminal (see `_probe.py`), measured from spawn to
- the first frame of the home screen (the records listed from their file names), and
- the records list filled (the background reader has opened every record and the screen
  has been refreshed after the last one).
The two folders alternate, `--repeat` times each; medians and their ratios are printed.

    .venv/bin/python benchmarks/home_scale.py [--repeat 9] [--records 1000]

Goal: with 1,000 records, the first frame at most 1.5x the empty folder's.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

from _common import EXAMPLES, Row, median, run_probe, verdict

from reviewtui.models import new_session_id
from reviewtui.storage import list_record_names, load_session, record_filename, session_to_toml

GOAL = 1.5


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


def measure(repeat: int = 9, records: int = 1000) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folders = {"empty": Path(scratch) / "empty", "full": Path(scratch) / "full"}
        folders["empty"].mkdir(mode=0o700)
        make_records(folders["full"], records)
        for folder in folders.values():
            run_probe("reviewtui", folder, until="filled")  # warm the file cache
        runs: dict[str, dict[str, list[float]]] = {name: {"frame": [], "filled": []} for name in folders}
        for _ in range(repeat):
            for name, folder in folders.items():
                marks = run_probe("reviewtui", folder, until="filled", timeout=120).marks
                for mark in ("frame", "filled"):
                    runs[name][mark].append(marks[mark])
    print(f"home screen, median of {repeat} fresh processes each (80x24 pseudo-terminal)")
    for mark, what in (("frame", "first frame"), ("filled", "records list filled")):
        empty, full = median(runs["empty"][mark]), median(runs["full"][mark])
        ratio = full / empty
        goal = f": {verdict(ratio <= GOAL)}" if mark == "frame" else " (for information)"
        print(f"  {what}: empty folder {empty * 1000:7.1f} ms, {records} records {full * 1000:7.1f} ms")
        print(f"    ratio {ratio:.2f}x (goal <= {GOAL}x){goal}")
        met = ratio <= GOAL if mark == "frame" else None
        target = f"<= {GOAL}x" if mark == "frame" else "-"
        rows.append(
            Row(
                f"home, {records:,} records: {what}",
                f"{full * 1000:.0f} ms",
                f"{empty * 1000:.0f} ms (empty)",
                ratio,
                target,
                met,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs of each folder (default 9)")
    parser.add_argument("--records", type=int, default=1000, help="records in the full folder (default 1000)")
    args = parser.parse_args()
    measure(args.repeat, args.records)


if __name__ == "__main__":
    main()

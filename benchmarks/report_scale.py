"""How `reviewtui report` scales: 10,000 records, cold and warm, against parsing them all.

Run by hand: `python benchmarks/report_scale.py [--records 10000] [--repeat 3] [--keep DIR]`.
It writes varied valid records (the example team's records with other people, managers,
figures and levels, in team folders) into a temporary folder, then measures in one run:

- parse-all: `tomllib.loads(..., parse_float=Decimal)` over every file, the floor of any
  report that reads everything;
- report cold: no cache (rubric discovery, scan, reading and summarising, report, table text);
- report warm: the cache is valid and nothing changed;
- warm, one record changed: one record rewritten since the last report.

Each figure is the median of `--repeat` rounds, taken in turns so that load from other
processes falls on all of them alike; the ratios to parse-all are what matter.
Goals: warm under 0.1x parse-all; cold no slower than parse-all.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import tempfile
import time
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from reviewtui.storage import discover_rubrics
from reviewtui.storage.records import RECORD_NAME
from reviewtui.storage.report_cache import build_report, cache_path
from reviewtui.team.report_text import render_table

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "reviewtui" / "examples"
FIRST = ["Ana", "Bo", "Chen", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jia", "Kofi", "Lea", "Milo", "Nia"]
LAST = ["Ruiz", "Li", "Patel", "Okafor", "Berg", "Gomez", "Sato", "Mensah", "Novak", "Kaur", "Silva", "Ito"]
TEAMS = 25
KIND_WEIGHTS = {"review": 4, "alignment": 3, "check-in": 3}

_ID = re.compile(r'^id = "[0-9a-f]{32}"$', re.MULTILINE)
_EMPLOYEE = re.compile(r'(\[participants\.employee\]\nname = )"[^"]*"')
_MANAGER = re.compile(r'(\[participants\.manager\]\nname = )"[^"]*"')
_SIGNED_BY = re.compile(r'(\[\[sign_offs\]\]\nname = )"[^"]*"(\nrole = "(employee|manager)")')
_VALUE = re.compile(r"^value = (-?[0-9.]+)$", re.MULTILINE)
_LEVEL = re.compile(r"^level = [0-9]+$", re.MULTILINE)


def _templates() -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {kind: [] for kind in KIND_WEIGHTS}
    for path in sorted(EXAMPLES.glob("*.toml")):
        match = RECORD_NAME.match(path.name)
        if match:
            by_kind[match["kind"]].append(path.read_text(encoding="utf-8"))
    return by_kind


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` valid records in team folders, each team with its own managers; fast (text edits)."""
    rng = random.Random(seed)
    templates = _templates()
    kinds = list(KIND_WEIGHTS)
    people = [f"{first} {last}" for first in FIRST for last in LAST]
    # A few lenient and severe managers, so the report has something to say.
    managers = [(f"Manager {index:02d}", rng.choice([-1, 0, 0, 0, 1])) for index in range(TEAMS * 2)]
    paths = []
    for number in range(count):
        kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
        text = rng.choice(templates[kind])
        team = number % TEAMS
        manager, bias = managers[team * 2 + rng.randrange(2)]
        employee = f"{rng.choice(people)} {number}"
        record_id = f"{rng.getrandbits(128):032x}"
        text = _ID.sub(f'id = "{record_id}"', text, count=1)
        text = _EMPLOYEE.sub(rf'\g<1>"{employee}"', text)
        text = _MANAGER.sub(rf'\g<1>"{manager}"', text)
        # Sign-offs name their people; the figures change below, so the signed score is left out
        # (such records are scored from the rubric, as reviews signed before it was kept).
        signers = {"employee": employee, "manager": manager}
        text = _SIGNED_BY.sub(lambda m, who=signers: f'{m[1]}"{who[m[3]]}"{m[2]}', text)
        text = text.split("\n[signed_score]\n", 1)[0].rstrip("\n") + "\n"
        if kind == "review":
            factor = Decimal(str(round(rng.uniform(0.85, 1.12) + bias * 0.06, 2)))
            text = _VALUE.sub(
                lambda m, f=factor: f"value = {(Decimal(m.group(1)) * f).quantize(Decimal('0.1'))}", text
            )
            text = _LEVEL.sub(
                lambda m, b=bias: f"level = {min(5, max(1, rng.choice([2, 3, 3, 4, 4, 5]) + b))}", text
            )
            if rng.random() < 0.08:
                text = text.replace('kind = "success_story"', 'kind = "example"')
        day = text.split("created_at = ", 1)[1][:10]
        slug = employee.lower().replace(" ", "-")
        path = folder / f"team-{team:02d}" / f"{day}_{kind}_{slug}_{record_id[:8]}.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def parse_all(paths: list[Path]) -> None:
    for path in paths:
        tomllib.loads(path.read_bytes().decode("utf-8"), parse_float=Decimal)


def report(folder: Path) -> tuple[str, object]:
    """What `reviewtui report` does, minus printing: rubrics, scan, report, table text."""
    report, stats = build_report(folder, discover_rubrics())
    return render_table(report), stats


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """Wall time, CPU time (this process and the worker processes it waited for) and the result."""
    cpu = _cpu()
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, _cpu() - cpu, result


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def change_one(paths: list[Path], round_number: int) -> None:
    """Rewrite one review with different content: its first competency level moves by one."""
    reviews = [path for path in paths if "_review_" in path.name]
    path = reviews[round_number % len(reviews)]
    text = path.read_text(encoding="utf-8")
    path.write_text(_LEVEL.sub(lambda m: "level = 2" if m.group() != "level = 2" else "level = 4", text, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="reviewtui-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        seconds, _, paths = timed(lambda: generate(folder, args.records))
        generated = time.monotonic()
        print(
            f"generated {len(paths)} records ({_size(paths)}) in {seconds:.1f} s; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        names = ["parse-all", "report cold", "report warm", "warm, 1 changed"]
        walls: dict[str, list[float]] = {name: [] for name in names}
        cpus: dict[str, list[float]] = {name: [] for name in names}
        stats: dict[str, object] = {}

        def measure(name: str, action: Callable[[], object]) -> object:
            wall, cpu, result = timed(action)
            walls[name].append(wall)
            cpus[name].append(cpu)
            return result

        for round_number in range(args.repeat):
            measure("parse-all", lambda: parse_all(paths))
            # Files written within 2 s of being read are re-read later (the racy-timestamp rule).
            time.sleep(max(0.0, 2.1 - (time.monotonic() - generated)))
            cache_path(folder).unlink(missing_ok=True)
            cold_text, stats["report cold"] = measure("report cold", lambda: report(folder))
            warm_text, stats["report warm"] = measure("report warm", lambda: report(folder))
            assert warm_text == cold_text, "the warm report differs from the cold one"
            change_one(paths, round_number)
            _, stats["warm, 1 changed"] = measure("warm, 1 changed", lambda: report(folder))
        base = statistics.median(walls["parse-all"])
        print(f"median of {args.repeat} round(s), wall time; cpu counts this process and its workers")
        for name in names:
            wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
            runs = ", ".join(f"{value:.2f}" for value in walls[name])
            print(
                f"  {name:16} {wall:7.3f} s {wall / base:6.3f}x parse-all  cpu {cpu:6.2f} s  (runs: {runs})"
            )
            if name in stats:
                found = stats[name]
                print(
                    f"  {'':16} read {found.parsed}, from the cache {found.cached}, "  # type: ignore[attr-defined]
                    f"worker processes {found.workers}"  # type: ignore[attr-defined]
                )
        cold = statistics.median(walls["report cold"]) / base
        warm = statistics.median(walls["report warm"]) / base
        print(f"goal warm < 0.10x parse-all: {'met' if warm < 0.1 else 'NOT met'} ({warm:.3f}x)")
        print(f"goal cold <= 1.00x parse-all: {'met' if cold <= 1.0 else 'NOT met'} ({cold:.2f}x)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _size(paths: list[Path]) -> str:
    return f"{sum(path.stat().st_size for path in paths) / 2**20:.1f} MiB"


if __name__ == "__main__":
    main()

"""`reviewtui experiment add|end|list`: the experiment log from the command line."""

from __future__ import annotations

import argparse
import re
import sys

from ..shown import shown_path, shown_text
from .options import EXIT_OK, EXIT_USAGE

_ID = re.compile(r"[0-9a-f]{12}")


def _refused(command: str, errors: dict[str, str]) -> int:
    print(
        f"reviewtui experiment {command}: {' '.join(errors.values())} Nothing was written.", file=sys.stderr
    )
    return EXIT_USAGE


def cmd_add(args: argparse.Namespace) -> int:
    """Log a new experiment (running) for the employee."""
    import datetime as dt

    from ..models.experiment_input import experiment_from_input
    from ..storage.evidence import plan_metrics, resolve_employee
    from ..storage.experiments import add_experiment

    employee = resolve_employee(args.sessions, args.employee)
    typed = {
        "title": args.title,
        "bottleneck": args.bottleneck or "",
        "hypothesis": args.hypothesis,
        "change": args.change,
        "started_on": args.started,
        "metric": args.metric or "",
    }
    metrics = plan_metrics(args.sessions, employee) if args.metric else {}
    now = dt.datetime.now().astimezone()
    experiment, errors = experiment_from_input(typed, base=None, metrics=metrics, now=now)
    if experiment is None:
        return _refused("add", errors)
    path, _ = add_experiment(args.sessions, employee, experiment)
    print(f"logged experiment {experiment.id} for {shown_text(employee)} in {shown_path(path)}")
    return EXIT_OK


def cmd_end(args: argparse.Namespace) -> int:
    """End a running (or ended) experiment with its outcome, result and what was learned."""
    import datetime as dt

    from ..models.experiment_input import experiment_from_input
    from ..storage.evidence import resolve_employee
    from ..storage.experiments import UnknownExperimentError, find_experiment, save_experiment

    if not _ID.fullmatch(args.id):
        return _refused(
            "end", {"id": "An experiment id is 12 hex digits, as `reviewtui experiment list` shows."}
        )
    employee = resolve_employee(args.sessions, args.employee) if args.employee else None
    try:
        employee, found = find_experiment(args.sessions, employee, args.id)
    except UnknownExperimentError as error:
        print(f"reviewtui experiment end: {error}", file=sys.stderr)
        return EXIT_USAGE
    typed = {"outcome": args.outcome, "result": args.result, "learned": args.learned}
    typed["ended_on"] = args.ended or ""
    experiment, errors = experiment_from_input(
        typed, base=found, metrics={}, now=dt.datetime.now().astimezone()
    )
    if experiment is None:
        return _refused("end", errors)
    path, _ = save_experiment(args.sessions, employee, experiment)
    print(
        f"ended experiment {experiment.id} of {shown_text(employee)} ({experiment.outcome.replace('_', ' ')}, "
        f"{experiment.ended_on}) in {shown_path(path)}"
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """The employee's experiments, oldest first: id, dates, outcome, title."""
    from ..storage.evidence import resolve_employee
    from ..storage.experiments import experiments_path, read_experiments

    employee = resolve_employee(args.sessions, args.employee)
    log = read_experiments(args.sessions, employee)
    if not log.entries:
        print(
            f"no experiment logged for {shown_text(employee)} yet; "
            "`reviewtui experiment add --employee NAME ...` logs the first"
        )
        return EXIT_OK
    print(
        f"experiments of {shown_text(employee)} in {shown_path(experiments_path(args.sessions, employee))}:"
    )
    for entry in log.entries:
        ended = f"to {entry.ended_on}" if entry.ended_on else "running"
        outcome = "" if entry.outcome == "running" else f"  {entry.outcome.replace('_', ' ')}"
        print(f"{entry.id}  {entry.started_on} {ended}{outcome}  {shown_text(entry.title)}")
    return EXIT_OK


def cmd_experiment(args: argparse.Namespace) -> int:
    return {"add": cmd_add, "end": cmd_end, "list": cmd_list}[args.experiment_command](args)


COMMANDS = {"experiment": cmd_experiment}

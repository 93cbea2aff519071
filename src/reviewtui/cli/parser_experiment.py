"""The arguments of `reviewtui experiment add|end|list` (kept apart: parser.py is long already)."""

from __future__ import annotations

import argparse

OUTCOME_CHOICES = ("worked", "mixed", "did_not_work")


def add_experiment_parser(commands: argparse._SubParsersAction) -> None:
    """Add `experiment` and its three commands to the command line."""
    experiment = commands.add_parser(
        "experiment",
        help="log process experiments: the change tried, its result, what was learned",
        description="The experiment log (experiments_<name>.toml beside the records, next to the "
        "evidence log): bottlenecks found, changes tried, their results and what was learned, failures "
        "included. A review's process-improvement competency pulls entries from it.",
    )
    experiments = experiment.add_subparsers(dest="experiment_command", metavar="COMMAND", required=True)
    add = experiments.add_parser(
        "add",
        help="log a change being tried",
        description="Log a new experiment, running from --started. Exit 0 when logged, 2 when the "
        "input is refused (nothing is written then).",
    )
    add.add_argument(
        "--employee", required=True, metavar="NAME", help="who runs it, as the records name them"
    )
    add.add_argument("--title", required=True, help="a short name for the experiment")
    add.add_argument("--hypothesis", required=True, help="what is expected to happen, and why")
    add.add_argument("--change", required=True, help="the change tried")
    add.add_argument("--started", required=True, metavar="YYYY-MM-DD", help="the day the change started")
    add.add_argument("--bottleneck", help="the bottleneck or problem found")
    add.add_argument("--metric", metavar="ID", help="id of the plan metric it is meant to move")
    end = experiments.add_parser(
        "end",
        help="end an experiment with its outcome, result and lesson",
        description="End an experiment: how it turned out, what happened (with figures) and what was "
        "learned, above all when it did not work. Ending one again corrects it. Exit 0 when saved, "
        "2 when the input is refused (nothing is written then).",
    )
    end.add_argument("id", metavar="ID", help="the experiment's id, as `experiment list` shows it")
    end.add_argument("--outcome", required=True, choices=OUTCOME_CHOICES, help="how it turned out")
    end.add_argument("--result", required=True, help="what happened, with its figures")
    end.add_argument("--learned", required=True, help="what was learned")
    end.add_argument("--ended", metavar="YYYY-MM-DD", help="the day it ended (default: today)")
    end.add_argument("--employee", metavar="NAME", help="whose log holds it (default: any log with the id)")
    listing = experiments.add_parser(
        "list",
        help="list an employee's experiments",
        description="The employee's experiments, oldest first: id, dates, outcome and title.",
    )
    listing.add_argument("--employee", required=True, metavar="NAME", help="the employee")

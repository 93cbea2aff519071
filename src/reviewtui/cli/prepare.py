"""`reviewtui prepare ask` (write a preparation form for the employee or a partner) and
`reviewtui prepare import` (keep a filled one beside the records, for the review)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from ..shown import shown_path, shown_text
from .options import EXIT_OK, EXIT_USAGE, rubric_dirs


def _rubrics(args: argparse.Namespace) -> dict:
    from ..storage.rubrics import discover_rubrics

    return {
        rubric_id: source.rubric for rubric_id, source in discover_rubrics(rubric_dirs(args)).by_id.items()
    }


def cmd_prepare_ask(args: argparse.Namespace) -> int:
    """Write the preparation file for one person from the employee's current plan."""
    from ..models.evidence import new_entry_id
    from ..storage.output import Managed, OutputRefusedError, output_target
    from ..storage.preparations import ask_for, preparation_bytes

    due = None
    if args.due is not None:
        try:
            due = dt.date.fromisoformat(args.due)
        except ValueError:
            print("reviewtui prepare ask: --due must be a date such as 2027-01-05", file=sys.stderr)
            return EXIT_USAGE
    try:
        target = output_target(args.output, "preparation", Managed([args.sessions], rubric_dirs(args)))
    except OutputRefusedError as error:
        print(f"reviewtui prepare ask: {error}", file=sys.stderr)
        return EXIT_USAGE
    preparation = ask_for(
        args.sessions,
        _rubrics(args),
        args.employee,
        partner=args.partner,
        ask_id=new_entry_id(),
        now=dt.datetime.now().astimezone(),
        due=due,
    )
    target.write(preparation_bytes(preparation).decode("utf-8"))
    who = (
        f"{shown_text(preparation.name)}, partner of {shown_text(preparation.employee)}"
        if preparation.role == "partner"
        else f"{shown_text(preparation.employee)}"
    )
    where = target.named or "the standard output"
    print(
        f"wrote the preparation for {who} to {where} (request {preparation.id}); send it to them: "
        "they fill it in with `reviewtui prepare fill FILE` and send it back, then "
        "`reviewtui prepare import FILE` keeps it for the review",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_prepare_import(args: argparse.Namespace) -> int:
    """Check a filled preparation file and keep it beside the records."""
    from ..storage.preparations import import_preparation

    result = import_preparation(args.sessions, _rubrics(args), args.file)
    preparation = result.preparation
    what = (
        f"{len(preparation.observations)} observation(s) from {shown_text(preparation.name)}, "
        f"partner of {shown_text(preparation.employee)}"
        if preparation.role == "partner"
        else f"the self-assessment of {shown_text(preparation.employee)} "
        f"({len(preparation.ratings)} competency level(s), {len(preparation.objectives)} proposed "
        f"objective(s), {len(preparation.topics)} topic(s))"
    )
    verb = "replaced the earlier import with" if result.replaced else "imported"
    print(f"{verb} {what} into {shown_path(result.path)}; a review started from now on shows it")
    if result.topics_added:
        print(f"{result.topics_added} topic(s) joined the agenda of {shown_text(preparation.employee)}")
    if result.agenda_problem is not None:
        print(
            f"reviewtui: the topics could not join the agenda ({result.agenda_problem}); "
            "add them with `reviewtui agenda add`",
            file=sys.stderr,
        )
    return EXIT_OK


PREPARE_COMMANDS = {"ask": cmd_prepare_ask, "import": cmd_prepare_import}


def cmd_prepare(args: argparse.Namespace) -> int:
    """Run the `prepare` subcommand given (`fill`, the person's app, has a module of its own)."""
    if args.prepare_command == "fill":
        from .prepare_fill import cmd_fill

        return cmd_fill(args)
    return PREPARE_COMMANDS[args.prepare_command](args)


COMMANDS = {"prepare": cmd_prepare}

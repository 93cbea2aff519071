"""The calibration report in words: a table for the terminal, CSV and Markdown (pure, no I/O).

`reviewtui report` prints these; the team view shows the same wording.

The CSV is one tidy table with the columns `rubric,kind,item,manager,level,value`:

- `kind` `metric` or `competency`: one row per rubric, item (its id), manager and scale level
  (or `not_scored`), every level listed even at 0; `value` is how many signed reviews by that
  manager gave that level;
- `kind` `score`: one row per signed review; `item` is its file (relative to the sessions folder),
  `level` is empty and `value` its weighted score as an exact decimal (empty when nothing is scored).

Names and paths are shown as everywhere (`shown.shown_text`: control and bidi characters
escaped), and a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that
a spreadsheet shows it rather than running it as a formula; the counts and scores stay numbers.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..shown import spreadsheet_cell

if TYPE_CHECKING:
    from .calibration import Report, RubricReport
    from .calibration_spread import Distribution, ManagerScores

WIDTH = 80
NAME_WIDTH = 26
MANAGER_WIDTH = 18


# Shared wording -------------------------------------------------------------------


def records_read(report: Report) -> str:
    """`6 alignments (6 agreed), 3 check-ins (3 recorded), 3 reviews (3 signed); 1 could not be read`."""
    final = {"alignment": "agreed", "check-in": "recorded", "review": "signed"}
    parts = [
        f"{read} {kind}{'s' if read != 1 else ''} ({done} {final[kind]})"
        for kind, read, done in report.counts
    ]
    failed = len(report.unreadable)
    return ", ".join(parts) + (f"; {failed} could not be read" if failed else "; all could be read")


def rubric_line(rubric: RubricReport) -> str:
    """`3 signed reviews; scale 1 Not yet meeting … 5 Outstanding` and any rubric-change note."""
    text = f"{rubric.reviews} signed review{'s' if rubric.reviews != 1 else ''}"
    if rubric.changed_rubric:
        signed, rest = rubric.changed_rubric_signed, rubric.changed_rubric - rubric.changed_rubric_signed
        ways = [f"{signed} keeping the score signed"] if signed else []
        ways += [f"{rest} scored with it as it is now"] if rest else []
        text += (
            f"; {rubric.changed_rubric} made with an earlier version of the rubric file ({', '.join(ways)})"
        )
    for path, manager, signed_score, today in rubric.rescored:
        text += (
            f"; {path} ({manager}): signed {shown(signed_score)}, "
            f"under today's rubric (changed since signing) {today}"
        )
    return text


def scale_legend(rubric: RubricReport) -> str:
    """`1 Not yet meeting, 2 …, 5 Outstanding; not scored: -`."""
    return ", ".join(f"{value} {label}" for value, label in rubric.scale) + "; not scored: -"


def shown(value: Decimal | None) -> str:
    return "-" if value is None else str(value)


def score_rows(rubric: RubricReport) -> list[ManagerScores]:
    """Each manager, then everyone together (only when there are several managers)."""
    return [*rubric.managers, rubric.overall] if len(rubric.managers) > 1 else list(rubric.managers)


def level_rows(rubric: RubricReport) -> list[tuple[Distribution, str, tuple[int, ...]]]:
    """(item, manager, counts) rows: each item for `all`, then per manager; one row when one manager rated."""
    rows = []
    for item in [*rubric.metrics, *rubric.competencies]:
        if len(item.by_manager) == 1:
            rows.append((item, *item.by_manager[0]))
            continue
        rows.append((item, "all", item.overall))
        rows.extend((item, manager, counts) for manager, counts in item.by_manager)
    return rows


# Table -----------------------------------------------------------------------------


def cut(text: str, width: int) -> str:
    """The text, cut with an ellipsis to at most `width` characters."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, indent: str = "  ", hang: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + hang) or [indent]


def _scores_text(scores: tuple[Decimal, ...], unscored: int, width: int) -> str:
    """As many scores as fit in `width`, then `+n` for the rest."""
    items = [str(score) for score in scores] + ["-"] * unscored
    text = ""
    for index, item in enumerate(items):
        rest = len(items) - index
        candidate = f"{text} {item}".strip()
        if len(candidate) > width or (rest > 1 and len(candidate) + len(f" +{rest - 1}") > width):
            return f"{text} +{rest}".strip()
        text = candidate
    return text


def render_table(report: Report) -> str:
    """The report for a terminal, fitting 80 columns where the names allow."""
    out = ["Calibration report", *_wrap(f"Records read: {records_read(report)}.", "")]
    if not report.rubrics:
        out.append("No signed review to calibrate.")
    for rubric in report.rubrics:
        out += ["", f"== {rubric.title} ({rubric.rubric_id}) ==", *_wrap(rubric_line(rubric) + ".", "")]
        rows = level_rows(rubric)
        names = (
            [row.manager for row in score_rows(rubric)] + [manager for _, manager, _ in rows] + ["MANAGER"]
        )
        manager_width = min(MANAGER_WIDTH, max(map(len, names)))
        sd = f"; sd of all scores {rubric.sd}" if rubric.sd is not None else ""
        out.append(f"Signed scores by manager, lowest first{sd}")
        out.append(f"  {'MANAGER':{manager_width}}  {'N':>3} {'MEAN':>6} {'MIN':>6} {'MAX':>6}  SCORES")
        for row in score_rows(rubric):
            name = "All managers" if row is rubric.overall else row.manager
            lead = (
                f"  {cut(name, manager_width):{manager_width}}  {len(row.scores):>3} {shown(row.mean):>6} "
                f"{shown(row.minimum):>6} {shown(row.maximum):>6}  "
            )
            out.append(lead + _scores_text(row.scores, row.unscored, WIDTH - len(lead)))
        out.append("Outliers" + ("" if rubric.outliers else ": none"))
        for outlier in rubric.outliers:
            out += _wrap(outlier.text, hang="    ")
        out.append("Levels given")
        out += _wrap(scale_legend(rubric))
        # Count columns as narrow as the largest count allows, leaving the names room.
        digits = max(
            [len(str(value)) for value, _ in rubric.scale] + [len(str(c)) for *_, row in rows for c in row]
        )
        step = max(3, digits + 1)
        levels = "".join(f"{value:>{step}}" for value, _ in rubric.scale) + f"{'-':>{step}}"
        name_width = max(NAME_WIDTH, WIDTH - 3 - manager_width - len(levels))
        out.append(f"  {'METRIC OR COMPETENCY':{name_width}} {'MANAGER':{manager_width}}{levels}")
        previous = None
        for item, manager, counts in rows:
            name = "" if item is previous else cut(item.name, name_width)
            previous = item
            figures = "".join(f"{count:>{step}}" for count in counts)
            out.append(f"  {name:{name_width}} {cut(manager, manager_width):{manager_width}}{figures}")
    out += _lists_as_text(report)
    return "\n".join(out) + "\n"


def _lists_as_text(report: Report) -> list[str]:
    out = []
    if report.unknown_rubric:
        out += ["", f"Signed reviews whose rubric was not found ({len(report.unknown_rubric)})"]
        out += [
            line
            for path, rubric_id in report.unknown_rubric
            for line in _wrap(f"{path}: `{rubric_id}`", hang="    ")
        ]
    out += ["", f"Signed reviews missing evidence or a success story ({len(report.gaps)})"]
    out += [
        line for gap in report.gaps for line in _wrap(f"{gap.path} ({gap.manager}): {gap.text}", hang="    ")
    ]
    out += ["", f"Agreed plans that break a checklist rule ({len(report.rule_breaks)})"]
    for item in report.rule_breaks:
        out += _wrap(
            f"{item.path} ({item.manager}; {item.employee}, {item.period}): {item.check}", hang="    "
        )
        if item.message:
            out += _wrap(cut(" ".join(item.message.split()), 150), "    ", "  ")
        out += _wrap(f"reason: {' '.join(item.reason.split())}", "    ", "  ")
    if report.copies:
        out += ["", f"Copies of one record, counted once ({len(report.copies)})"]
        out += [line for copy in report.copies for line in _wrap(copy.text, hang="    ")]
    if report.unreadable:
        out += ["", f"Records that could not be read ({len(report.unreadable)})"]
        out += [line for _, reason in report.unreadable for line in _wrap(reason, hang="    ")]
    return out


# CSV -------------------------------------------------------------------------------


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV that a spreadsheet opens without running anything: every cell through `spreadsheet_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def render_csv(report: Report) -> str:
    """One tidy table; the columns are described in this module's docstring."""
    rows: list[Sequence[object]] = [["rubric", "kind", "item", "manager", "level", "value"]]
    for rubric in report.rubrics:
        values = [str(value) for value, _ in rubric.scale] + ["not_scored"]
        for item in [*rubric.metrics, *rubric.competencies]:
            for manager, counts in item.by_manager:
                for level, count in zip(values, counts, strict=True):
                    rows.append([rubric.rubric_id, item.kind, item.item_id, manager, level, count])
    for rubric in report.rubrics:
        for path, manager, score in rubric.review_scores:
            rows.append([rubric.rubric_id, "score", path, manager, "", "" if score is None else score])
    return csv_text(rows)


# Markdown --------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """The report as a Markdown document, one heading per rubric."""
    out = ["# Calibration report", "", f"Records read: {records_read(report)}."]
    for rubric in report.rubrics:
        out += ["", f"## {_md(rubric.title)} (`{rubric.rubric_id}`)", "", rubric_line(rubric) + "."]
        sd = f" The standard deviation of all scores is {rubric.sd}." if rubric.sd is not None else ""
        out += ["", "### Signed scores by manager", "", f"Scores are listed lowest first.{sd}", ""]
        out += ["| Manager | n | Mean | Min | Max | Scores |", "|---|---:|---:|---:|---:|---|"]
        for row in score_rows(rubric):
            name = "**All managers**" if row is rubric.overall else _md(row.manager)
            scores = ", ".join([str(score) for score in row.scores] + ["not scored"] * row.unscored)
            out.append(
                f"| {name} | {len(row.scores)} | {shown(row.mean)} | {shown(row.minimum)} | "
                f"{shown(row.maximum)} | {scores} |"
            )
        out += ["", "### Outliers", ""]
        out += [f"- {_md(outlier.text)}" for outlier in rubric.outliers] or ["None."]
        out += ["", "### Levels given", "", f"Scale: {scale_legend(rubric)}.", ""]
        heads = " | ".join(str(value) for value, _ in rubric.scale)
        out += [f"| Metric or competency | Manager | {heads} | not scored |"]
        out += ["|---|---|" + "---:|" * (len(rubric.scale) + 1)]
        previous = None
        for item, manager, counts in level_rows(rubric):
            name = "" if item is previous else _md(item.name)
            previous = item
            out.append(f"| {name} | {_md(manager)} | " + " | ".join(str(count) for count in counts) + " |")
    if report.unknown_rubric:
        out += ["", "## Signed reviews whose rubric was not found", ""]
        out += [f"- `{path}`: `{rubric_id}`" for path, rubric_id in report.unknown_rubric]
    out += ["", "## Signed reviews missing evidence or a success story", ""]
    out += [f"- `{gap.path}` ({_md(gap.manager)}): {_md(gap.text)}" for gap in report.gaps] or ["None."]
    out += ["", "## Agreed plans that break a checklist rule", ""]
    out += [
        f"- `{item.path}` ({_md(item.manager)}; {_md(item.employee)}, {_md(item.period)}): `{item.check}`. "
        f"{_md(' '.join(item.message.split()))} **Reason:** {_md(' '.join(item.reason.split()))}"
        for item in report.rule_breaks
    ] or ["None."]
    if report.copies:
        out += ["", "## Copies of one record, counted once", ""]
        out += [f"- {_md(copy.text)}" for copy in report.copies]
    if report.unreadable:
        out += ["", "## Records that could not be read", ""]
        out += [f"- {_md(reason)}" for _, reason in report.unreadable]
    return "\n".join(out) + "\n"

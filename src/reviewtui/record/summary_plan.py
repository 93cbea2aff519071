"""The parts of an exported record that the alignment plan agreed beyond its figures (pure).

The scope each metric is stated at, and the checklist rules the plan was agreed against, each
with its written reason; `summary.record_markdown` places them after the metrics.
"""

from __future__ import annotations

from ..models import Session


def _line(text: str) -> str:
    # One Markdown line: a leading blank or a line break in a reason must not start a new block.
    return " ".join(text.split())


def scopes_markdown(session: Session) -> list[str]:
    """`### Scope` with each metric stated at a scope, or nothing."""
    stated = [metric for metric in session.metrics if metric.scope]
    if not stated:
        return []
    lines = ["", "### Scope", ""]
    for metric in stated:
        which = f": {_line(metric.scope_name)}" if metric.scope_name else ""
        lines.append(f"- **{metric.name}:** {metric.scope} level{which}")
    return lines


def broken_rules_markdown(session: Session) -> list[str]:
    """`## Agreed against the checklist`: each broken rule with the reason, or nothing."""
    if not session.broken_rules:
        return []
    lines = [
        "",
        "## Agreed against the checklist",
        "",
        "The plan was agreed although it breaks these rules of the rubric, for the reasons given.",
        "",
    ]
    for broken in session.broken_rules:
        said = f" {_line(broken.message)}" if broken.message else ""
        lines.append(f"- `{broken.check}`:{said}\\")
        lines.append(f"  **Reason:** {_line(broken.reason)}")
    return lines


def plan_markdown(session: Session) -> list[str]:
    """Both sections, in the order the export shows them."""
    return scopes_markdown(session) + broken_rules_markdown(session)

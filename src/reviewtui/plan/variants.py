"""A metric's local variant: what a plan agrees differently from the rubric's catalog (pure).

The variant covers what is measured and how: definition, data source, frequency, bands and, where a
rubric rule asks for it, the scope (account or cohort, and which one). Errors are keyed by the part
they belong to (`"definition"`, `"scope_name"`), so a form can show each under its field; the checks
shared with the targets step are `alignment.variant_errors`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import get_args

from ..models.base import SHORT_TEXT_MAX, clean_line
from ..models.draft import DraftMetric
from ..models.rubric import CatalogMetric, ChecklistRule, Frequency, Scope

FREQUENCIES: tuple[str, ...] = get_args(Frequency)
SCOPES: tuple[str, ...] = get_args(Scope)
REVERTIBLE = ("definition", "data_source", "frequency", "thresholds")
"""The parts the rubric's catalog gives a value for, and that can be put back to it."""
PART_WORDS = {
    "definition": "definition",
    "data_source": "data source",
    "frequency": "frequency",
    "thresholds": "bands",
    "scope": "scope",
    "scope_name": "scope",
}
NAMED_SCOPES = ("account", "cohort")
"""Scopes whose figure means little unless the plan says which account or cohort."""


def rubric_value(catalog: CatalogMetric, part: str) -> str:
    """The catalog's value of a revertible part, as the form shows it."""
    if part == "thresholds":
        return ", ".join(f"{value:f}" for value in catalog.bands.thresholds)
    return str(getattr(catalog, part))


def _same(part: str, typed: str, given: str) -> bool:
    if part == "thresholds":
        return _numbers(typed) == _numbers(given)
    return " ".join(typed.split()) == " ".join(given.split())  # a re-wrapped definition is the same text


def _numbers(text: str) -> list[Decimal] | None:
    try:
        return [Decimal(part) for part in text.replace(";", ",").replace(" ", ",").split(",") if part]
    except InvalidOperation:
        return None


def local_parts(metric: DraftMetric, catalog: CatalogMetric | None) -> list[str]:
    """The revertible parts this metric agrees differently from the catalog (none for a custom metric)."""
    if catalog is None:
        return []
    return [
        part for part in REVERTIBLE if not _same(part, getattr(metric, part), rubric_value(catalog, part))
    ]


def scope_words(scope: str, scope_name: str) -> str:
    """`cohort: the detractor accounts`, `book`, or empty when no scope is stated."""
    scope, name = clean_line(scope), clean_line(scope_name)
    if not scope:
        return ""
    return f"{scope}: {name}" if name else scope


def variant_summary(metric: DraftMetric, catalog: CatalogMetric | None, rules: list[ChecklistRule]) -> str:
    """One line for the targets step: what is local, the frequency, and the scope a rule asks for."""
    if catalog is None:
        parts = [f"Custom metric: its own definition and data source, measured {metric.frequency or '?'}"]
    else:
        local = local_parts(metric, catalog)
        words = [PART_WORDS[part] for part in local if part != "frequency"]
        if "frequency" in local:
            words.append(f"frequency ({metric.frequency}; the rubric's: {catalog.frequency})")
        parts = [f"Local {_and(words)}" if words else f"As in the rubric, measured {metric.frequency}"]
    scope = scope_words(metric.scope, metric.scope_name)
    asked = sorted({scope for rule in rules for scope in rule.scopes}, key=SCOPES.index)
    if scope:
        parts.append(f"scope {scope}")
    elif asked:
        parts.append(f"no scope yet (the rubric asks for {_or(asked)})")
    return " · ".join(parts)


def scope_name_error(metric: DraftMetric) -> str | None:
    """In the variant form: an account or cohort scope names which one."""
    if metric.scope in NAMED_SCOPES and not clean_line(metric.scope_name):
        return f"Say which {metric.scope}, e.g. the detractor accounts in the recovery program."
    if len(clean_line(metric.scope_name)) > SHORT_TEXT_MAX:
        return f"Keep it to {SHORT_TEXT_MAX} characters."
    return None


def _and(words: list[str]) -> str:
    return f"{', '.join(words[:-1])} and {words[-1]}" if len(words) > 1 else "".join(words)


def _or(words: list[str]) -> str:
    return f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else "".join(words)

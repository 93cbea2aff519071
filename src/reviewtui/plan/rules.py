"""The alignment session's rules: what each step needs, and the agreed record it makes.

Pure functions over an `AlignmentDraft`; errors are keyed by the field they
belong to (`"employee_name"`, `"partners.1.function"`, `"metrics.csat.target"`)
so the screen can show each one beside its field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..models import CatalogMetric, PlanMetric, Rubric, Session
from ..models.base import clean_line
from ..models.draft import AlignmentDraft, DraftImpactRow, DraftMetric, DraftPartner
from ..models.rubric import Bands
from .cadence import cadence_errors, cadence_record
from .checks import Check, blocking_failures, broken_rules, plan_checks, weight_check
from .objectives import objective_records, objectives_errors
from .sign_offs import sign_offs, with_contributions
from .variants import FREQUENCIES, SCOPES

Errors = dict[str, str]

_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


_WHOLE = re.compile(r"[0-9]{1,6}")


def is_whole(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts ² and ①, which int() then refuses."""
    return _WHOLE.fullmatch(text) is not None


def blank(text: str) -> bool:
    """Nothing visible once the record's own cleaning is applied (controls, zero-width characters)."""
    return not clean_line(text)


def parse_number(text: str) -> Decimal | None:
    """A number as people type it: `95`, `4.5`, `185,000`, `96%`, `$420000`; None if not one."""
    cleaned = text.strip().rstrip("%").lstrip("$€£").strip().replace("_", "").replace(" ", "")
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < 10**15 else None


def parse_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD; None if it is not one."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_thresholds(text: str) -> list[Decimal] | None:
    """Thresholds typed as `80, 95, 105, 120`; None if any is not a number."""
    parts = [part for part in re.split(r"[,;\s]+", text.strip()) if part]
    numbers = [parse_number(part) for part in parts]
    return None if not numbers or any(number is None for number in numbers) else numbers  # type: ignore[return-value]


def format_number(number: Decimal) -> str:
    """A decimal as it would be typed back."""
    return f"{number:f}"


def draft_metric(metric: CatalogMetric | PlanMetric) -> DraftMetric:
    """A draft metric from a catalog entry (no plan figures yet) or from a plan metric (with them)."""
    plan = metric if isinstance(metric, PlanMetric) else None

    def text(value: Decimal | None) -> str:
        return "" if value is None else format_number(value)

    default_weight = getattr(metric, "default_weight", 0)
    return DraftMetric(
        id=metric.id,
        custom=plan.custom if plan else False,
        name=metric.name,
        definition=metric.definition,
        data_source=metric.data_source,
        frequency=metric.frequency,
        kind=metric.kind,
        unit=metric.unit,
        direction=metric.direction,
        outcome=metric.outcome,
        basis=metric.bands.basis,
        thresholds=", ".join(format_number(value) for value in metric.bands.thresholds),
        guardrail=metric.guardrail or "",
        accumulates=metric.accumulates,
        scope=(plan.scope or "") if plan else "",
        scope_name=plan.scope_name if plan else "",
        baseline=text(plan.baseline) if plan else "",
        target=text(plan.target) if plan else "",
        weight=str(plan.weight) if plan else (str(default_weight) if default_weight else ""),
    )


def plan_fields(plan: Session) -> dict[str, Any]:
    """A record's plan (people, period, map, metrics) as the raw fields of a draft."""
    people = plan.participants
    metrics = [draft_metric(metric) for metric in plan.metrics]
    return {
        "rubric_id": plan.rubric.id,
        "employee_name": people.employee.name,
        "job_title": people.employee.role,
        "manager_name": people.manager.name,
        "partners": [DraftPartner(name=p.name, function=p.function) for p in people.partners],
        "period_label": plan.period.label,
        "period_start": plan.period.start.isoformat(),
        "period_end": plan.period.end.isoformat(),
        "impact_map": [
            DraftImpactRow(activity=r.activity, outcome=r.outcome, how=r.how) for r in plan.impact_map
        ],
        "metrics": metrics,
    }


def participants_errors(draft: AlignmentDraft, rubric_ids: set[str]) -> Errors:
    """What step 1 still needs."""
    errors: Errors = {}
    if blank(draft.employee_name):
        errors["employee_name"] = "Type the employee's name."
    if draft.rubric_id not in rubric_ids:
        errors["rubric_id"] = "Choose the employee's role; it picks the rubric."
    if blank(draft.manager_name):
        errors["manager_name"] = "Type the manager's name."
    for index, partner in enumerate(draft.partners):
        if blank(partner.name):
            errors[f"partners.{index}.name"] = "Name this partner, or remove the row."
        if blank(partner.function):
            errors[f"partners.{index}.function"] = "Say the partner's function, e.g. sales or product."
    if blank(draft.period_label):
        errors["period_label"] = "Name the period, e.g. 2026 H2."
    start, end = parse_date(draft.period_start), parse_date(draft.period_end)
    if start is None:
        errors["period_start"] = "Type the first day as YYYY-MM-DD."
    if end is None:
        errors["period_end"] = "Type the last day as YYYY-MM-DD."
    elif start is not None and end < start:
        errors["period_end"] = "The period must end on or after its first day."
    return errors


def impact_map_errors(draft: AlignmentDraft, rubric: Rubric) -> Errors:
    """What step 2 still needs."""
    errors: Errors = {}
    outcome_ids = {outcome.id for outcome in rubric.outcomes}
    if not draft.impact_map:
        errors["impact_map"] = "Add at least one activity and the client outcome it drives."
    for index, row in enumerate(draft.impact_map):
        if blank(row.activity):
            errors[f"impact_map.{index}.activity"] = "Describe the activity, or remove the row."
        if row.outcome not in outcome_ids:
            errors[f"impact_map.{index}.outcome"] = "Choose the client outcome it drives."
        if blank(row.how):
            errors[f"impact_map.{index}.how"] = "Say how the activity drives the outcome."
    return errors


def map_outcomes(draft: AlignmentDraft) -> set[str]:
    """Outcomes on the impact map."""
    return {row.outcome for row in draft.impact_map if row.outcome}


def metrics_errors(draft: AlignmentDraft, rubric: Rubric) -> Errors:
    """What step 3 still needs: the blocking checks (count, leading and lagging)."""
    failures = blocking_failures(plan_checks(rubric, draft.metrics, map_outcomes(draft)))
    return {"metrics": " ".join(check.message for check in failures)} if failures else {}


def _metric_errors(metric: DraftMetric, scale_levels: int) -> Errors:
    errors: Errors = {}
    key = f"metrics.{metric.id}"
    if metric.baseline.strip() and parse_number(metric.baseline) is None:
        errors[f"{key}.baseline"] = "Type a number, such as 95 or 4.5, or leave it empty."
    if blank(metric.target):
        errors[f"{key}.target"] = "Agree a target."
    elif parse_number(metric.target) is None:
        errors[f"{key}.target"] = "Type a number, such as 95 or 4.5."
    weight = metric.weight.strip()
    if not is_whole(weight) or int(weight) > 100:
        errors[f"{key}.weight"] = "Type a whole number from 0 to 100."
    errors.update(
        {f"{key}.{part}": message for part, message in variant_errors(metric, scale_levels).items()}
    )
    return errors


def variant_errors(metric: DraftMetric, scale_levels: int) -> Errors:
    """What stops a metric's local variant (definition, source, frequency, bands, scope), keyed by part."""
    errors: Errors = {}
    if blank(metric.definition):
        errors["definition"] = "Keep a definition, so both read the figure the same way."
    if blank(metric.data_source):
        errors["data_source"] = "Say where the figure comes from."
    if metric.frequency not in FREQUENCIES:
        errors["frequency"] = "Choose how often it is measured."
    thresholds = parse_thresholds(metric.thresholds)
    if thresholds is None or len(thresholds) != scale_levels - 1 or thresholds != sorted(set(thresholds)):
        errors["thresholds"] = f"Give {scale_levels - 1} rising numbers, separated by commas."
    if metric.scope and metric.scope not in SCOPES:
        errors["scope"] = f"Choose one of {', '.join(SCOPES)}, or no scope."
    return errors


def weights(draft: AlignmentDraft) -> list[int | None]:
    """The weights as numbers, None where not a whole number yet."""
    return [int(metric.weight) if is_whole(metric.weight.strip()) else None for metric in draft.metrics]


def targets_errors(draft: AlignmentDraft, rubric: Rubric) -> Errors:
    """What step 4 still needs: numbers that parse, and weights that total 100."""
    errors: Errors = {}
    for metric in draft.metrics:
        errors.update(_metric_errors(metric, len(rubric.scale)))
    total = weight_check(weights(draft))
    if not total.passed:
        errors["weights"] = total.message
    return errors


def agree_errors(draft: AlignmentDraft, rubric: Rubric, rubric_ids: set[str]) -> Errors:
    """Everything that stops the plan from being agreed, step by step."""
    errors: Errors = {}
    errors.update(participants_errors(draft, rubric_ids))
    errors.update(impact_map_errors(draft, rubric))
    errors.update(metrics_errors(draft, rubric))
    errors.update(targets_errors(draft, rubric))
    errors.update(reason_errors(draft, rubric))
    errors.update(cadence_errors(draft, draft.created_at.date()))
    errors.update(objectives_errors(draft, required=False))
    if not draft.employee_confirmed:
        errors["employee_confirmed"] = "The employee confirms the plan."
    if not draft.manager_confirmed:
        errors["manager_confirmed"] = "The manager confirms the plan."
    return errors


def reason_key(check_id: str) -> str:
    """The field key of the reason for a broken rule (`rule:nps_scope` -> `reasons.rule-nps_scope`)."""
    return "reasons." + check_id.replace(":", "-")


def reason_for(draft: AlignmentDraft, check_id: str) -> str:
    """The reason typed for this checklist line, or empty."""
    return next((item.reason for item in draft.rule_reasons if item.check == check_id), "")


def plan_broken_rules(draft: AlignmentDraft, rubric: Rubric) -> list[Check]:
    """The rules and guardrails the draft's plan breaks: each needs a reason to be agreed."""
    return broken_rules(plan_checks(rubric, draft.metrics, map_outcomes(draft)))


def reason_errors(draft: AlignmentDraft, rubric: Rubric) -> Errors:
    """A broken rule or guardrail without a written reason stops the plan from being agreed."""
    return {
        reason_key(check.id): "Write why you agree the plan although it breaks this, or change the plan."
        for check in plan_broken_rules(draft, rubric)
        if blank(reason_for(draft, check.id))
    }


def plan_metric_data(metric: DraftMetric) -> dict[str, object]:
    """A plan metric's data from a draft metric whose fields are valid."""
    return {
        "id": metric.id,
        "name": metric.name,
        "definition": metric.definition,
        "data_source": metric.data_source,
        "frequency": metric.frequency,
        "kind": metric.kind,
        "unit": metric.unit,
        "direction": metric.direction,
        "outcome": metric.outcome,
        "bands": Bands(basis=metric.basis, thresholds=parse_thresholds(metric.thresholds) or []),  # type: ignore[arg-type]
        "guardrail": metric.guardrail or None,
        "accumulates": metric.accumulates,
        "custom": metric.custom,
        "scope": metric.scope or None,
        "scope_name": metric.scope_name,
        "baseline": parse_number(metric.baseline) if metric.baseline.strip() else None,
        "target": parse_number(metric.target),
        "weight": int(metric.weight.strip()),
    }


def agreed_session(draft: AlignmentDraft, rubric: Rubric, rubric_sha256: str, now: dt.datetime) -> Session:
    """The agreed record; call only when `agree_errors` is empty."""
    employee, manager = draft.employee_name, draft.manager_name
    session = Session.model_validate(
        {
            "id": draft.id,
            "kind": "alignment",
            "status": "agreed",
            "created_at": draft.created_at,
            "updated_at": now,
            "rubric": {"id": rubric.id, "version": rubric.version, "sha256": rubric_sha256},
            "participants": {
                "employee": {"name": employee, "role": draft.job_title.strip() or rubric.role},
                "manager": {"name": manager},
                "partners": [{"name": p.name, "function": p.function} for p in draft.partners],
            },
            "period": {
                "label": draft.period_label,
                "start": parse_date(draft.period_start),
                "end": parse_date(draft.period_end),
            },
            **cadence_record(draft, draft.created_at.date()),
            "impact_map": [
                {"activity": row.activity, "outcome": row.outcome, "how": row.how} for row in draft.impact_map
            ],
            "metrics": [plan_metric_data(metric) for metric in draft.metrics],
            "broken_rules": [
                {"check": check.id, "message": check.message, "reason": reason_for(draft, check.id)}
                for check in plan_broken_rules(draft, rubric)
            ],
            "development": objective_records(draft),
            "sign_offs": sign_offs(draft, now, (employee, manager), {p.name for p in draft.partners}),
        }
    )
    return with_contributions(draft, session)

"""The plan checklist: what a chosen set of metrics gets right or wrong, in a manager's words.

Pure functions of a rubric and the metrics chosen so far; used live while choosing metrics and
again before a plan is agreed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..models.rubric import ChecklistRule, Rubric

WEIGHT_TOTAL = 100
SUGGESTIONS = 2


class ChosenMetric(Protocol):
    """What the checks need of a chosen metric (PlanMetric and the app's draft metric both fit)."""

    # Read-only properties, so that models declaring narrower types (Literal kinds) still fit.
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def guardrail(self) -> str | None: ...
    @property
    def scope(self) -> str | None: ...


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    id: str
    passed: bool
    message: str
    blocking: bool


def failing(checks: Iterable[Check]) -> list[Check]:
    """The checks that did not pass."""
    return [check for check in checks if not check.passed]


def blocking_failures(checks: Iterable[Check]) -> list[Check]:
    """The failing checks that stop the plan from being agreed."""
    return [check for check in checks if not check.passed and check.blocking]


REASONED_PREFIXES = ("rule:", "guardrail:")


def needs_reason(check: Check) -> bool:
    """A broken rule or guardrail: advice the pair may overrule, but only with a written reason."""
    return not check.passed and check.id.startswith(REASONED_PREFIXES)


def broken_rules(checks: Iterable[Check]) -> list[Check]:
    """The checklist rules and guardrails these checks show broken, in checklist order."""
    return [check for check in checks if needs_reason(check)]


def scope_rules(rubric: Rubric, metric_id: str) -> list[ChecklistRule]:
    """The rubric's `scope_required` rules that ask this metric to state its scope."""
    return [rule for rule in rubric.rules if rule.kind == "scope_required" and metric_id in rule.when]


def weight_check(weights: Sequence[int | None]) -> Check:
    """Whether the weights total exactly 100; a weight not yet given counts as 0."""
    total = sum(weight or 0 for weight in weights)
    if total < WEIGHT_TOTAL:
        message = f"Weights total {total}; {WEIGHT_TOTAL - total} more to place."
    elif total > WEIGHT_TOTAL:
        message = f"Weights total {total}; remove {total - WEIGHT_TOTAL}."
    else:
        message = f"Weights total {total}."
    return Check("weights", total == WEIGHT_TOTAL, message, blocking=True)


def plan_checks(
    rubric: Rubric, metrics: Sequence[ChosenMetric], map_outcomes: Collection[str]
) -> list[Check]:
    """Every checklist line for these chosen metrics: limits, balance, guardrails, map, rules."""
    plan = _Plan(rubric, metrics)
    return [
        _limits(plan),
        _balance(plan),
        *_guardrails(plan),
        *_map(plan, map_outcomes),
        *(_rule(plan, rule) for rule in rubric.rules if plan.chosen_ids.intersection(rule.when)),
    ]


class _Plan:
    def __init__(self, rubric: Rubric, metrics: Sequence[ChosenMetric]):
        self.rubric = rubric
        self.metrics = metrics
        # A draft may hold the same id twice; one check per id keeps check ids unique.
        self.by_id = {metric.id: metric for metric in reversed(metrics)}
        self.chosen_ids = set(self.by_id)

    def distinct(self) -> list[ChosenMetric]:
        return [metric for metric in self.metrics if self.by_id[metric.id] is metric]

    def name_of(self, metric_id: str) -> str:
        # The name agreed in the plan wins; the catalog names metrics not chosen (or not named) yet.
        if metric_id in self.by_id and self.by_id[metric_id].name.strip():
            return self.by_id[metric_id].name.strip()
        catalog_metric = self.rubric.metric(metric_id)
        return catalog_metric.name if catalog_metric else metric_id

    def outcome_name(self, outcome_id: str) -> str:
        outcome = self.rubric.outcome(outcome_id)
        return outcome.name if outcome else outcome_id


def _limits(plan: _Plan) -> Check:
    low, high = plan.rubric.limits.min_metrics, plan.rubric.limits.max_metrics
    count = len(plan.metrics)
    chosen = f"{count} metric{'' if count == 1 else 's'} chosen"
    if count < low:
        return Check("limits", False, f"{chosen}; choose at least {low}.", blocking=True)
    if count > high:
        return Check("limits", False, f"{chosen}; keep the plan concise: at most {high}.", blocking=True)
    span = f"limit of {low}" if low == high else f"{low} to {high}"
    return Check("limits", True, f"{chosen}, within the rubric's {span}.", blocking=True)


_PURPOSE = {"leading": "one that gives early warning", "lagging": "one that confirms the result for clients"}


def _balance(plan: _Plan) -> Check:
    blocking = plan.rubric.limits.require_leading_and_lagging
    kinds = {metric.kind for metric in plan.metrics}
    missing = [kind for kind in ("leading", "lagging") if kind not in kinds]
    if not missing:
        message = "Leading and lagging metrics both chosen: early warning and confirmed results."
        return Check("balance", True, message, blocking)
    wanted = [_PURPOSE[kind] + _such_as(plan, kind) for kind in missing]
    if len(missing) == 2:
        message = f"No leading or lagging metric yet: add {wanted[0]}, and {wanted[1]}."
    else:
        message = f"No {missing[0]} metric: add {wanted[0]}."
    return Check("balance", False, message, blocking)


def _such_as(plan: _Plan, kind: str) -> str:
    names = [m.name for m in plan.rubric.metrics if m.kind == kind and m.id not in plan.chosen_ids]
    return f", such as {_or(names[:SUGGESTIONS])}" if names else ""


def _guardrails(plan: _Plan) -> list[Check]:
    checks = []
    for metric in plan.distinct():
        guardrail = _given(metric.guardrail)
        if guardrail is None:
            continue
        name, guard = plan.name_of(metric.id), plan.name_of(guardrail)
        if guardrail in plan.chosen_ids:
            passed, message = True, f"{name} is paired with its guardrail {guard}."
        else:
            passed = False
            message = (
                f"{name} is chosen without its guardrail {guard}: add it, "
                "so a gain here cannot hide a cost to clients elsewhere."
            )
        checks.append(Check(f"guardrail:{metric.id}", passed, message, blocking=False))
    return checks


def _map(plan: _Plan, map_outcomes: Collection[str]) -> list[Check]:
    checks = [
        Check(
            f"map:{metric.id}",
            False,
            f"{plan.name_of(metric.id)} serves {plan.outcome_name(metric.outcome)}, which is not on the impact map: "
            "add the activity that drives it, or choose another metric.",
            blocking=False,
        )
        for metric in plan.distinct()
        if metric.outcome not in map_outcomes
    ]
    return checks or [Check("map", True, "Every metric serves an outcome on the impact map.", blocking=False)]


def _rule(plan: _Plan, rule: ChecklistRule) -> Check:
    missing = [metric_id for metric_id in rule.require if metric_id not in plan.chosen_ids]
    if rule.kind == "scope_required":
        problems = [
            _scope_problem(plan, metric_id, rule.scopes)
            for metric_id in rule.when
            if metric_id in plan.chosen_ids and _given(plan.by_id[metric_id].scope) not in rule.scopes
        ]
        detail = " ".join(problems)
    elif rule.kind == "requires_any":
        names = [plan.name_of(metric_id) for metric_id in rule.require]
        satisfied = len(missing) < len(rule.require)
        detail = "" if satisfied else f"Missing: {'' if len(names) == 1 else 'one of '}{_or(names)}."
    else:  # requires_all, kept_apart: each required metric must be its own line in the plan
        detail = f"Missing: {', '.join(plan.name_of(metric_id) for metric_id in missing)}." if missing else ""
    if detail:
        return Check(f"rule:{rule.id}", False, f"{rule.message} {detail}", blocking=False)
    return Check(f"rule:{rule.id}", True, _rule_met(plan, rule), blocking=False)


def _rule_met(plan: _Plan, rule: ChecklistRule) -> str:
    """What a met rule holds, in terms of the plan itself (its message is written for failure)."""
    if rule.kind == "scope_required":
        stated = [
            f"{plan.name_of(m)} at {_given(plan.by_id[m].scope)} level"
            for m in rule.when
            if m in plan.chosen_ids
        ]
        return f"Rule met: {', '.join(stated)}."
    chosen = [plan.name_of(metric_id) for metric_id in rule.require if metric_id in plan.chosen_ids]
    apart = " as lines of their own" if rule.kind == "kept_apart" else ""
    return f"Rule met: {', '.join(chosen)} chosen{apart}."


def _scope_problem(plan: _Plan, metric_id: str, scopes: Sequence[str]) -> str:
    name, scope = plan.name_of(metric_id), _given(plan.by_id[metric_id].scope)
    if scope is None:
        return f"{name} has no scope: set it to {_or(scopes)}."
    return f"{name} is stated at {scope} level: set it to {_or(scopes)}."


def _given(value: str | None) -> str | None:
    # The app's draft holds an empty string, not None, for a guardrail or scope not given.
    return (value or "").strip() or None


def _or(words: Sequence[str]) -> str:
    return f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else "".join(words)

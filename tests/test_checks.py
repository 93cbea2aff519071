"""The plan checklist: each check passing and failing, with the exact words a manager reads."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import metric as plan_metric_data
from reviewtui.models import PlanMetric, Rubric
from reviewtui.plan.checks import Check, blocking_failures, failing, plan_checks, weight_check
from reviewtui.storage import bundled_rubrics_dir, load_rubric

BUNDLED = sorted(path.stem for path in bundled_rubrics_dir().glob("*.toml"))


@functools.cache
def bundled(rubric_id: str) -> Rubric:
    return load_rubric(bundled_rubrics_dir() / f"{rubric_id}.toml").rubric


@dataclass(frozen=True)
class Chosen:
    id: str
    name: str
    kind: str
    outcome: str
    guardrail: str | None = None
    scope: str | None = None


def chosen(rubric: Rubric, *metric_ids: str, **overrides: str | None) -> list[Chosen]:
    """Catalog metrics as chosen in a plan; overrides apply to each."""
    metrics = []
    for metric_id in metric_ids:
        entry = rubric.metric(metric_id)
        assert entry is not None, metric_id
        metric = Chosen(entry.id, entry.name, entry.kind, entry.outcome, entry.guardrail)
        metrics.append(replace(metric, **overrides))
    return metrics


def all_outcomes(rubric: Rubric) -> set[str]:
    return {outcome.id for outcome in rubric.outcomes}


def by_id(checks: list[Check]) -> dict[str, Check]:
    return {check.id: check for check in checks}


def check_for(rubric: Rubric, metrics: list[Chosen], check_id: str, map_outcomes=None) -> Check:
    outcomes = all_outcomes(rubric) if map_outcomes is None else map_outcomes
    return by_id(plan_checks(rubric, metrics, outcomes))[check_id]


@pytest.fixture
def csm() -> Rubric:
    return bundled("customer-success-manager")


@pytest.fixture
def support() -> Rubric:
    return bundled("support-engineer")


@pytest.fixture
def onboarding() -> Rubric:
    return bundled("onboarding-specialist")


@pytest.fixture
def minimal(minimal_rubric: Path) -> Rubric:
    return load_rubric(minimal_rubric).rubric


# --- limits -------------------------------------------------------------------------------------------


def test_limits_pass_within_range(csm: Rubric) -> None:
    metrics = chosen(csm, "gross_retention", "at_risk_saves_count", "at_risk_outreach", "qbrs_held", "nps")
    assert check_for(csm, metrics, "limits") == Check(
        "limits", True, "5 metrics chosen, within the rubric's 3 to 7.", blocking=True
    )


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (0, "0 metrics chosen; choose at least 3."),
        (1, "1 metric chosen; choose at least 3."),
        (2, "2 metrics chosen; choose at least 3."),
        (8, "8 metrics chosen; keep the plan concise: at most 7."),
    ],
)
def test_limits_fail_outside_range(csm: Rubric, count: int, message: str) -> None:
    metrics = chosen(csm, *(metric.id for metric in csm.metrics[:count]))
    assert check_for(csm, metrics, "limits") == Check("limits", False, message, blocking=True)


# --- balance ------------------------------------------------------------------------------------------


def test_balance_passes_with_both_kinds(csm: Rubric) -> None:
    check = check_for(csm, chosen(csm, "gross_retention", "at_risk_outreach"), "balance")
    assert check == Check(
        "balance",
        True,
        "Leading and lagging metrics both chosen: early warning and confirmed results.",
        blocking=True,
    )


def test_only_lagging_suggests_two_unchosen_leading_metrics(csm: Rubric) -> None:
    check = check_for(csm, chosen(csm, "gross_retention", "at_risk_saves_count", "nps"), "balance")
    assert check == Check(
        "balance",
        False,
        "No leading metric: add one that gives early warning, such as Proactive outreach to at-risk "
        "accounts or Business reviews held with a client sponsor.",
        blocking=True,
    )


def test_only_leading_suggests_two_lagging_metrics(csm: Rubric) -> None:
    check = check_for(csm, chosen(csm, "at_risk_outreach", "key_feature_adoption"), "balance")
    assert check.message == (
        "No lagging metric: add one that confirms the result for clients, such as "
        "Gross revenue retention (book) or At-risk saves (accounts)."
    )


def test_empty_plan_misses_both_kinds(minimal: Rubric) -> None:
    assert check_for(minimal, [], "balance").message == (
        "No leading or lagging metric yet: add one that gives early warning, such as First response time, "
        "and one that confirms the result for clients, such as Gross retention or CSAT."
    )


def test_balance_without_any_suggestion_left(minimal: Rubric) -> None:
    # The only leading catalog id is taken by a custom lagging metric, so nothing is left to suggest.
    metrics = [
        *chosen(minimal, "gross_retention"),
        Chosen("first_response_hours", "Fast replies", "lagging", "x"),
    ]
    assert check_for(minimal, metrics, "balance").message == (
        "No leading metric: add one that gives early warning."
    )


def test_balance_is_not_blocking_when_the_rubric_does_not_require_it(csm: Rubric) -> None:
    relaxed = csm.model_copy(
        update={"limits": csm.limits.model_copy(update={"require_leading_and_lagging": False})}
    )
    check = check_for(relaxed, chosen(csm, "gross_retention"), "balance")
    assert not check.passed
    assert not check.blocking
    assert check.message.startswith("No leading metric: ")


# --- guardrails ---------------------------------------------------------------------------------------


def test_guardrail_missing(support: Rubric) -> None:
    check = check_for(
        support, chosen(support, "first_response_time", "csat"), "guardrail:first_response_time"
    )
    assert check == Check(
        "guardrail:first_response_time",
        False,
        "Time to first response is chosen without its guardrail Reopen rate: add it, "
        "so a gain here cannot hide a cost to clients elsewhere.",
        blocking=False,
    )


def test_guardrail_present(support: Rubric) -> None:
    metrics = chosen(support, "first_response_time", "reopen_rate")
    assert check_for(support, metrics, "guardrail:first_response_time") == Check(
        "guardrail:first_response_time",
        True,
        "Time to first response is paired with its guardrail Reopen rate.",
        blocking=False,
    )


def test_one_guardrail_check_per_guarded_metric(support: Rubric) -> None:
    metrics = chosen(support, "first_response_time", "resolution_time", "csat", "help_articles")
    ids = [check.id for check in plan_checks(support, metrics, all_outcomes(support))]
    assert [i for i in ids if i.startswith("guardrail:")] == [
        "guardrail:first_response_time",
        "guardrail:resolution_time",
    ]


# --- impact map ---------------------------------------------------------------------------------------


def test_metric_serving_an_outcome_off_the_map(csm: Rubric) -> None:
    metrics = chosen(csm, "gross_retention", "nps", "at_risk_outreach")
    checks = plan_checks(csm, metrics, {"retention"})
    assert [check for check in checks if check.id.startswith("map")] == [
        Check(
            "map:nps",
            False,
            "NPS (account or cohort) serves Satisfaction, which is not on the impact map: "
            "add the activity that drives it, or choose another metric.",
            blocking=False,
        )
    ]


def test_every_metric_on_the_map(csm: Rubric) -> None:
    metrics = chosen(csm, "gross_retention", "nps")
    checks = plan_checks(csm, metrics, ["retention", "satisfaction"])
    assert [check for check in checks if check.id.startswith("map")] == [
        Check("map", True, "Every metric serves an outcome on the impact map.", blocking=False)
    ]


# --- checklist rules ----------------------------------------------------------------------------------

CSM_EXPANSION = (
    "Net expansion revenue is in the plan: add gross revenue retention and at-risk saves as lines of their "
    "own. Keeping accounts and growing them are different skills, and a strong expansion quarter should "
    "not hide churn elsewhere in the book."
)
CSM_NPS = (
    "State whether NPS is measured for one account or for a cohort (for example the detractor accounts in a "
    "recovery program). A change in NPS means little unless everyone knows whose answers it covers."
)
CSM_OUTREACH = (
    "Proactive outreach is in the plan: add at-risk saves (accounts) as well. Outreach is the effort and "
    "saves are the result; scoring the calls alone would reward activity rather than clients kept."
)


@pytest.mark.parametrize(
    ("metric_ids", "passed", "message"),
    [
        (
            ["net_expansion_revenue"],
            False,
            f"{CSM_EXPANSION} Missing: Gross revenue retention (book), At-risk saves (accounts).",
        ),
        (
            ["net_expansion_revenue", "gross_retention"],
            False,
            f"{CSM_EXPANSION} Missing: At-risk saves (accounts).",
        ),
        (
            ["net_expansion_revenue", "gross_retention", "at_risk_saves_count"],
            True,
            "Rule met: Gross revenue retention (book), At-risk saves (accounts) chosen as lines of their own.",
        ),
    ],
)
def test_kept_apart(csm: Rubric, metric_ids: list[str], passed: bool, message: str) -> None:
    check = check_for(csm, chosen(csm, *metric_ids), "rule:retention_apart_from_expansion")
    assert check == Check("rule:retention_apart_from_expansion", passed, message, blocking=False)


@pytest.mark.parametrize(
    ("scope", "passed", "message"),
    [
        (None, False, f"{CSM_NPS} NPS (account or cohort) has no scope: set it to account or cohort."),
        (
            "book",
            False,
            f"{CSM_NPS} NPS (account or cohort) is stated at book level: set it to account or cohort.",
        ),
        (
            "cohort",
            True,
            "Rule met: NPS (account or cohort) at cohort level.",
        ),
    ],
)
def test_scope_required(csm: Rubric, scope: str | None, passed: bool, message: str) -> None:
    metrics = [*chosen(csm, "nps", scope=scope), *chosen(csm, "gross_retention")]
    assert check_for(csm, metrics, "rule:nps_scope") == Check(
        "rule:nps_scope", passed, message, blocking=False
    )


def test_requires_all_on_outreach(csm: Rubric) -> None:
    check = check_for(csm, chosen(csm, "at_risk_outreach", "gross_retention"), "rule:outreach_needs_saves")
    assert check == Check(
        "rule:outreach_needs_saves", False, f"{CSM_OUTREACH} Missing: At-risk saves (accounts).", False
    )
    check = check_for(
        csm, chosen(csm, "at_risk_outreach", "at_risk_saves_count"), "rule:outreach_needs_saves"
    )
    assert check == Check(
        "rule:outreach_needs_saves",
        True,
        "Rule met: At-risk saves (accounts) chosen.",
        False,
    )


ONBOARDING_TRIO = (
    "Choose onboarding completion rate, first-milestone achievement and time-to-value together. Each one "
    "alone can be gamed or misread: an onboarding can complete without reaching value, or reach a milestone "
    "quickly on a few easy accounts while others stall."
)


def test_requires_all_trio(onboarding: Rubric) -> None:
    check = check_for(onboarding, chosen(onboarding, "time_to_value"), "rule:onboarding_trio")
    assert (
        check.message
        == f"{ONBOARDING_TRIO} Missing: Onboarding completion rate, First-milestone achievement."
    )
    assert not check.passed
    trio = chosen(onboarding, "onboarding_completion_rate", "first_milestone_achievement", "time_to_value")
    assert check_for(onboarding, trio, "rule:onboarding_trio") == Check(
        "rule:onboarding_trio",
        True,
        "Rule met: Onboarding completion rate, First-milestone achievement, Time-to-value chosen.",
        blocking=False,
    )


SUPPORT_ACTIVITY = (
    "Articles or recurring-issue reports are in the plan: add a result they should move, such as tickets "
    "that became escalations, one-touch resolution or reopen rate. The work counts for clients when it means "
    "fewer problems, not when it is merely produced."
)


def test_requires_any(support: Rubric) -> None:
    check = check_for(support, chosen(support, "help_articles", "csat"), "rule:activity_needs_result")
    assert check == Check(
        "rule:activity_needs_result",
        False,
        f"{SUPPORT_ACTIVITY} Missing: one of Tickets that became client escalations, One-touch resolution "
        "or Reopen rate.",
        blocking=False,
    )
    metrics = chosen(support, "help_articles", "recurring_issues_to_product", "reopen_rate")
    assert check_for(support, metrics, "rule:activity_needs_result") == Check(
        "rule:activity_needs_result",
        True,
        "Rule met: Reopen rate chosen.",
        blocking=False,
    )


def test_untriggered_rules_are_not_listed(csm: Rubric) -> None:
    metrics = chosen(csm, "gross_retention", "at_risk_saves_count", "qbrs_held")
    ids = [check.id for check in plan_checks(csm, metrics, all_outcomes(csm))]
    assert ids == ["limits", "balance", "map"]


def test_checks_come_in_order(support: Rubric) -> None:
    metrics = chosen(support, "first_response_time", "help_articles", "ticket_escalation_rate")
    ids = [check.id for check in plan_checks(support, metrics, {"satisfaction"})]
    assert ids == [
        "limits",
        "balance",
        "guardrail:first_response_time",
        "map:help_articles",
        "map:ticket_escalation_rate",
        "rule:speed_with_satisfaction",
        "rule:activity_needs_result",
    ]


# --- custom metrics and real plan metrics -------------------------------------------------------------


def test_custom_metrics_use_their_own_names(csm: Rubric) -> None:
    forecast = Chosen(
        "forecast_accuracy", "Renewal forecast accuracy", "leading", "renewals", "forecast_bias"
    )
    checks = by_id(plan_checks(csm, [forecast, *chosen(csm, "gross_retention")], {"retention"}))
    assert checks["guardrail:forecast_accuracy"].message.startswith(
        "Renewal forecast accuracy is chosen without its guardrail forecast_bias: "
    )
    assert checks["map:forecast_accuracy"].message.startswith("Renewal forecast accuracy serves renewals, ")
    assert checks["balance"].passed


def test_a_chosen_custom_guardrail_is_named_as_in_the_plan(csm: Rubric) -> None:
    speed = Chosen("handoff_speed", "Hand-off speed", "leading", "retention", guardrail="handoff_quality")
    quality = Chosen("handoff_quality", "Hand-off quality", "lagging", "retention")
    check = check_for(csm, [speed, quality], "guardrail:handoff_speed")
    assert check.message == "Hand-off speed is paired with its guardrail Hand-off quality."


def test_plan_metrics_fit(minimal: Rubric) -> None:
    metrics = [
        PlanMetric.model_validate(plan_metric_data(weight=50)),
        PlanMetric.model_validate(
            plan_metric_data(
                "first_response_hours",
                weight=50,
                name="First response time",
                kind="leading",
                outcome="satisfaction",
                guardrail="csat",
            )
        ),
    ]
    checks = plan_checks(minimal, metrics, {"retention", "satisfaction"})
    assert [(check.id, check.passed) for check in checks] == [
        ("limits", True),
        ("balance", True),
        ("guardrail:first_response_hours", False),
        ("map", True),
        ("rule:speed-needs-quality", False),
    ]
    assert checks[-1].message == (
        "Pair response time with CSAT so speed does not cost quality. Missing: CSAT."
    )


def test_draft_blanks_count_as_not_given(csm: Rubric) -> None:
    # The app's draft keeps text as typed: "" for no guardrail or scope, and a name may be cleared.
    nps = Chosen("nps", "", "lagging", "satisfaction", guardrail="", scope=" ")
    outreach = Chosen("at_risk_outreach", "Outreach", "leading", "retention", guardrail="", scope="")
    checks = plan_checks(csm, [nps, outreach], {"retention"})
    assert [check.id for check in checks] == [
        "limits",
        "balance",
        "map:nps",
        "rule:nps_scope",
        "rule:outreach_needs_saves",
    ]
    assert checks[2].message.startswith("NPS (account or cohort) serves Satisfaction, ")
    assert checks[3].message.endswith(" NPS (account or cohort) has no scope: set it to account or cohort.")


def test_a_metric_chosen_twice_gives_one_check_per_id(support: Rubric) -> None:
    metrics = chosen(support, "first_response_time", "first_response_time", "help_articles")
    ids = [check.id for check in plan_checks(support, metrics, set())]
    assert len(ids) == len(set(ids))


# --- weights and helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "passed", "message"),
    [
        ([], False, "Weights total 0; 100 more to place."),
        ([None, None], False, "Weights total 0; 100 more to place."),
        ([50, 35], False, "Weights total 85; 15 more to place."),
        ([None, 60, None, 40], True, "Weights total 100."),
        ([60, 50], False, "Weights total 110; remove 10."),
    ],
)
def test_weight_check(weights: list[int | None], passed: bool, message: str) -> None:
    assert weight_check(weights) == Check("weights", passed, message, blocking=True)


def test_failing_and_blocking_failures(csm: Rubric) -> None:
    checks = [*plan_checks(csm, chosen(csm, "net_expansion_revenue"), set()), weight_check([40])]
    assert [check.id for check in failing(checks)] == [
        "limits",
        "balance",
        "map:net_expansion_revenue",
        "rule:retention_apart_from_expansion",
        "weights",
    ]
    assert [check.id for check in blocking_failures(checks)] == ["limits", "balance", "weights"]


# --- properties ---------------------------------------------------------------------------------------


@st.composite
def plans(draw: st.DrawFn) -> tuple[Rubric, list[Chosen], set[str]]:
    rubric = bundled(draw(st.sampled_from(BUNDLED)))
    entries = draw(st.lists(st.sampled_from(rubric.metrics), unique_by=lambda entry: entry.id))
    scopes = st.none() | st.sampled_from(["book", "account", "cohort", "team"])
    metrics = [
        Chosen(entry.id, entry.name, entry.kind, entry.outcome, entry.guardrail, draw(scopes))
        for entry in entries
    ]
    map_outcomes = draw(st.sets(st.sampled_from(sorted(all_outcomes(rubric)))))
    return rubric, metrics, map_outcomes


@settings(max_examples=300, deadline=None)
@given(plan=plans())
def test_any_subset_of_a_catalog_is_checked(plan: tuple[Rubric, list[Chosen], set[str]]) -> None:
    rubric, metrics, map_outcomes = plan
    checks = plan_checks(rubric, metrics, map_outcomes)
    ids = [check.id for check in checks]
    assert len(ids) == len(set(ids))
    limits = by_id(checks)["limits"]
    assert limits.passed == (rubric.limits.min_metrics <= len(metrics) <= rubric.limits.max_metrics)
    assert all(check.message for check in checks)


@given(weights=st.lists(st.none() | st.integers(0, 100)))
def test_weights_pass_only_at_exactly_100(weights: list[int | None]) -> None:
    assert weight_check(weights).passed == (sum(weight or 0 for weight in weights) == 100)

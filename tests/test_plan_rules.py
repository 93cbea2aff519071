"""Pure parts of issue 11's plan work: broken rules and their reasons, local variants, the record
key `broken_rules`, and the calibration report's list of plans agreed against a rule."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from factories import csm_draft, make_session, session_data
from reviewtui.models.draft import DraftRuleReason
from reviewtui.plan.checks import broken_rules, needs_reason, plan_checks, scope_rules
from reviewtui.plan.rules import (
    agree_errors,
    agreed_session,
    draft_metric,
    plan_broken_rules,
    reason_errors,
    targets_errors,
)
from reviewtui.plan.variants import local_parts, scope_name_error, scope_words, variant_summary
from reviewtui.record.summary import record_markdown
from reviewtui.storage import (
    bundled_rubrics_dir,
    discover_rubrics,
    load_rubric,
    save_session,
    session_to_toml,
)
from reviewtui.storage.report_cache import build_report
from reviewtui.team.calibration import calibrate
from reviewtui.team.report_text import render_markdown, render_table
from reviewtui.team.summaries import summarise

CSM = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
ONBOARDING = load_rubric(bundled_rubrics_dir() / "onboarding-specialist.toml").rubric
NOW = dt.datetime(2026, 7, 1, 11, 0, tzinfo=dt.UTC)


def nps_plan(**nps_fields: str):
    retention, saves, _, outreach = csm_draft().metrics
    nps = draft_metric(CSM.metric("nps")).model_copy(
        update={"baseline": "18", "target": "35", "weight": "25", **nps_fields}
    )
    return csm_draft(
        4, metrics=[retention, saves, outreach, nps], employee_confirmed=True, manager_confirmed=True
    )


def test_only_broken_rules_and_guardrails_need_a_reason() -> None:
    draft = nps_plan()
    checks = plan_checks(CSM, draft.metrics, {"retention"})
    failing = {check.id for check in checks if not check.passed}
    assert {"map:nps", "rule:nps_scope"} <= failing  # the map hint is advice, not a rule
    assert [check.id for check in broken_rules(checks)] == ["rule:nps_scope"]
    assert not any(needs_reason(check) for check in checks if check.passed)


def test_a_guardrail_left_out_needs_a_reason() -> None:
    ttv = draft_metric(ONBOARDING.metric("time_to_value"))
    checks = plan_checks(ONBOARDING, [ttv], {ttv.outcome})
    assert "guardrail:time_to_value" in [check.id for check in broken_rules(checks)]


def test_agreeing_needs_a_reason_per_broken_rule_and_the_record_keeps_it() -> None:
    draft = nps_plan()
    assert reason_errors(draft, CSM) == {
        "reasons.rule-nps_scope": "Write why you agree the plan although it breaks this, or change the plan."
    }
    assert "reasons.rule-nps_scope" in agree_errors(draft, CSM, {CSM.id})
    blank = draft.model_copy(
        update={"rule_reasons": [DraftRuleReason(check="rule:nps_scope", reason=" \u200b")]}
    )
    assert reason_errors(blank, CSM), "an invisible reason is no reason"
    given = draft.model_copy(
        update={
            "rule_reasons": [
                DraftRuleReason(check="rule:nps_scope", reason="The cohort is picked in Q3."),
                DraftRuleReason(check="rule:retention_apart_from_expansion", reason="typed, then fixed"),
            ]
        }
    )
    assert agree_errors(given, CSM, {CSM.id}) == {}
    session = agreed_session(given, CSM, "a" * 64, NOW)
    assert [(b.check, b.reason) for b in session.broken_rules] == [
        ("rule:nps_scope", "The cohort is picked in Q3.")
    ]
    assert session.broken_rules[0].message == plan_broken_rules(given, CSM)[0].message
    assert '[[broken_rules]]\ncheck = "rule:nps_scope"' in session_to_toml(session)


def test_a_scope_meets_the_rule_and_is_kept_with_its_name() -> None:
    draft = nps_plan(scope="cohort", scope_name="Detractor accounts")
    assert not plan_broken_rules(draft, CSM)
    session = agreed_session(draft, CSM, "a" * 64, NOW)
    nps = session.metric("nps")
    assert (nps.scope, nps.scope_name) == ("cohort", "Detractor accounts")
    assert draft_metric(nps).scope_name == "Detractor accounts", "a review or check-in carries it on"
    assert "- **NPS (account or cohort):** cohort level: Detractor accounts" in record_markdown(session, CSM)


def test_records_without_the_new_keys_load_and_write_as_before() -> None:
    session = make_session()
    assert session.broken_rules == [] and session.metrics[0].scope_name == ""
    text = session_to_toml(session)
    assert "broken_rules" not in text and "scope_name" not in text
    assert "## Agreed against the checklist" not in record_markdown(session, None)


def test_a_rule_given_a_reason_twice_is_a_problem() -> None:
    twice = [{"check": "rule:a", "reason": "one"}, {"check": "rule:a", "reason": "two"}]
    with pytest.raises(ValueError, match="given a reason twice"):
        make_session(broken_rules=twice)
    with pytest.raises(ValueError):
        make_session(broken_rules=[{"check": "map:a", "reason": "a map hint is not a rule"}])
    with pytest.raises(ValueError):
        make_session(broken_rules=[{"check": "rule:a", "reason": ""}])


def test_the_variant_summary_says_what_is_local() -> None:
    catalog = CSM.metric("nps")
    rules = scope_rules(CSM, "nps")
    metric = draft_metric(catalog)
    assert variant_summary(metric, catalog, rules) == (
        "As in the rubric, measured quarterly · no scope yet (the rubric asks for account or cohort)"
    )
    rewrapped = metric.model_copy(update={"definition": metric.definition.replace(" ", "\n", 3)})
    assert local_parts(rewrapped, catalog) == [], "a definition wrapped differently is the same text"
    local = metric.model_copy(
        update={"data_source": "Survey sheet", "frequency": "monthly", "thresholds": "-15, -5, 5, 13"}
    )
    assert local_parts(local, catalog) == ["data_source", "frequency", "thresholds"]
    assert variant_summary(
        local.model_copy(update={"scope": "account", "scope_name": "Acme"}), catalog, rules
    ) == ("Local data source, bands and frequency (monthly; the rubric's: quarterly) · scope account: Acme")
    custom = metric.model_copy(update={"custom": True})
    assert variant_summary(custom, None, []).startswith("Custom metric: its own definition and data source")


def test_scope_words_and_the_named_scope() -> None:
    metric = draft_metric(CSM.metric("nps"))
    assert scope_words("", "ignored") == ""
    assert scope_words("book", "") == "book"
    assert scope_name_error(metric.model_copy(update={"scope": "account"})) == (
        "Say which account, e.g. the detractor accounts in the recovery program."
    )
    assert scope_name_error(metric.model_copy(update={"scope": "book"})) is None


def test_a_frequency_or_scope_the_format_does_not_know_stops_the_targets_step() -> None:
    draft = csm_draft(3)
    retention = draft.metrics[0].model_copy(update={"frequency": "daily", "scope": "planet"})
    errors = targets_errors(draft.model_copy(update={"metrics": [retention, *draft.metrics[1:]]}), CSM)
    assert errors["metrics.gross_retention.frequency"] == "Choose how often it is measured."
    assert errors["metrics.gross_retention.scope"].startswith("Choose one of book, account, cohort, team")


def test_the_report_lists_agreed_plans_that_break_a_rule(tmp_path: Path) -> None:
    reason = "The cohort is picked at the Q3 check-in | not before"
    data = session_data(
        broken_rules=[{"check": "rule:nps_scope", "message": "State the scope.", "reason": reason}]
    )
    session = make_session(**data)
    summary = summarise("plan.toml", session, None, None)
    assert summary.broken_rules == (("rule:nps_scope", "State the scope.", reason),)
    report = calibrate([summary], {})
    [item] = report.rule_breaks
    assert (item.path, item.manager, item.employee, item.check) == (
        "plan.toml",
        "Bo Li",
        "Ana Ruiz",
        "rule:nps_scope",
    )
    assert f"reason: {reason}" in render_table(report)
    assert "**Reason:** The cohort is picked at the Q3 check-in \\| not before" in render_markdown(report)
    draft_only = summarise("draft.toml", make_session(**{**data, "status": "draft"}), None, None)
    assert draft_only.broken_rules == (), "only agreed plans count"

    # The cache keeps them: a second report read from it says the same.
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    save_session(session, sessions)
    catalog = discover_rubrics([tmp_path / "no-rubrics"])

    def later() -> int:  # past the racy-timestamp window, so the cache entry is trusted
        return time.time_ns() + 10 * 10**9

    first, _ = build_report(sessions, catalog, clock=later)
    again, stats = build_report(sessions, catalog, clock=later)
    assert stats.cached == 1
    assert again.rule_breaks == first.rule_breaks and len(first.rule_breaks) == 1

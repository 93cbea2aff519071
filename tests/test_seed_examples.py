"""The six examples from the CS review guide, recorded in reviews on the bundled rubrics and exported.

Each becomes a signed review built by the same code the app uses (draft → record), is
saved and exported to Markdown, and must come out as a finished bullet with its figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from factories import CREATED
from reviewtui.cli import main
from reviewtui.models.draft import (
    DraftBullet,
    DraftExample,
    DraftImpactRow,
    DraftObjective,
    DraftRating,
    DraftResult,
    ReviewDraft,
)
from reviewtui.plan.rules import draft_metric
from reviewtui.review.rules import review_from_scratch, review_session
from reviewtui.review.signing import sign_off_errors
from reviewtui.storage import discover_rubrics, save_session


@dataclass(frozen=True)
class Example:
    name: str
    rubric: str
    employee: str
    figures: dict[str, tuple[str, str, str, str]]  # metric: baseline, target, actual, weight
    bullet: tuple[str, str, str, str]  # action, subject, outcome, contribution
    sentence: str
    scopes: tuple[tuple[str, str], ...] = ()


EXAMPLES = [
    Example(
        "CSM book retention",
        "customer-success-manager",
        "Ana Ruiz",
        {
            "gross_retention": ("93", "95", "96", "40"),
            "at_risk_saves_count": ("2", "4", "5", "30"),
            "at_risk_outreach": ("70", "90", "92", "30"),
        },
        (
            "Retained",
            "96% of my assigned book at renewal",
            "recovered 5 at-risk accounts worth $420K",
            "proactive health-score monitoring and executive escalation",
        ),
        "Retained 96% of my assigned book at renewal: recovered 5 at-risk accounts worth $420K. "
        "My contribution: proactive health-score monitoring and executive escalation.",
    ),
    Example(
        "CSM net expansion",
        "customer-success-manager",
        "Ana Ruiz",
        {
            "net_expansion_revenue": ("120000", "150000", "185000", "40"),
            "gross_retention": ("93", "95", "96", "30"),
            "at_risk_saves_count": ("2", "4", "5", "15"),
            "qbrs_held": ("60", "90", "92", "15"),
        },
        (
            "Generated",
            "$185K in net expansion revenue across 11 accounts",
            "upsell opportunities identified during QBR reviews",
            "QBR leadership and timing the asks with sales",
        ),
        "Generated $185K in net expansion revenue across 11 accounts: upsell opportunities identified during QBR "
        "reviews. My contribution: QBR leadership and timing the asks with sales.",
    ),
    Example(
        "CSM NPS recovery",
        "customer-success-manager",
        "Ana Ruiz",
        {
            "nps": ("18", "35", "41", "50"),
            "at_risk_outreach": ("70", "90", "95", "25"),
            "qbrs_held": ("60", "90", "90", "25"),
        },
        (
            "Ran",
            "a focused NPS recovery program for 14 detractor accounts",
            "average NPS rose from 18 to 41 over two quarters",
            "tailored success plans",
        ),
        "Ran a focused NPS recovery program for 14 detractor accounts: average NPS rose from 18 to 41 over two "
        "quarters. My contribution: tailored success plans.",
        scopes=(("nps", "cohort"),),
    ),
    Example(
        "CSM time-to-value",
        "customer-success-manager",
        "Ana Ruiz",
        {
            "time_to_value": ("47", "30", "28", "40"),
            "healthy_at_90_days": ("80", "88", "90", "30"),
            "key_feature_adoption": ("40", "55", "58", "30"),
        },
        (
            "Reduced",
            "average time-to-value for new enterprise customers",
            "from 47 days to 28 days",
            "a reusable onboarding playbook adopted by the full CS team",
        ),
        "Reduced average time-to-value for new enterprise customers: from 47 days to 28 days. "
        "My contribution: a reusable onboarding playbook adopted by the full CS team.",
    ),
    Example(
        "CS operations escalation management",
        "cs-operations",
        "Mei Chen",
        {
            "escalation_resolution_rate": ("84", "90", "93", "25"),
            "escalations_within_sla": ("80", "88", "91", "25"),
            "root_cause_changes": ("2", "5", "6", "25"),
            "escalation_recurrence": ("22", "12", "9", "25"),
        },
        (
            "Managed",
            "23 critical escalations in the year",
            "91% resolved within SLA and recurrence reduced by 60%",
            "root cause documentation shared with product",
        ),
        "Managed 23 critical escalations in the year: 91% resolved within SLA and recurrence reduced by 60%. "
        "My contribution: root cause documentation shared with product.",
    ),
    Example(
        "Mid-market onboarding",
        "onboarding-specialist",
        "Dev Patel",
        {
            "onboarding_completion_rate": ("85", "92", "94", "25"),
            "first_milestone_achievement": ("80", "90", "94", "25"),
            "time_to_value": ("47", "35", "33", "20"),
            "onboarding_csat": ("4.4", "4.6", "4.8", "15"),
            "timely_followups": ("75", "95", "96", "15"),
        },
        (
            "Onboarded",
            "38 new mid-market accounts in 6 months",
            "a 94% completion rate on first-milestone goals and a 4.8/5.0 customer satisfaction score",
            "kick-offs within five days and admin training before go-live",
        ),
        "Onboarded 38 new mid-market accounts in 6 months: a 94% completion rate on first-milestone goals and a "
        "4.8/5.0 customer satisfaction score. My contribution: kick-offs within five days and admin training "
        "before go-live.",
    ),
]


def signed_review(example: Example) -> tuple[object, object]:
    """The example as a signed review, through the draft the app would have filled in."""
    source = discover_rubrics().get(example.rubric)
    rubric = source.rubric
    draft: ReviewDraft = review_from_scratch("ab" * 16, CREATED, ("2026 H2", "2026-07-01", "2026-12-31"))
    scopes = dict(example.scopes)
    metrics = [
        draft_metric(rubric.metric(metric_id)).model_copy(
            update={
                "baseline": baseline,
                "target": target,
                "weight": weight,
                "scope": scopes.get(metric_id, ""),
            }
        )
        for metric_id, (baseline, target, _, weight) in example.figures.items()
    ]
    draft = draft.model_copy(
        update={
            "rubric_id": rubric.id,
            "employee_name": example.employee,
            "manager_name": "Bo Li",
            "impact_map": [
                DraftImpactRow(activity="Account work", outcome=rubric.outcomes[0].id, how="Drives it")
            ],
            "metrics": metrics,
            "results": [
                DraftResult(metric=metric_id, actual=actual, as_of="2026-12-31", evidence="Quarterly report")
                for metric_id, (_, _, actual, _) in example.figures.items()
            ],
            "examples": [DraftExample(kind="success_story", title=example.name, text=example.sentence)],
            "ratings": [
                DraftRating(competency=c.id, level="3", evidence="Documented in 1:1 notes")
                for c in rubric.competencies
            ],
            "bullets": [
                DraftBullet(action=a, subject=s, outcome=o, contribution=c) for a, s, o, c in [example.bullet]
            ],
            "objectives": [
                DraftObjective(objective="Share the practice", owner=example.employee, due="2027-03-31")
            ],
            "reading": "The figures match my own notes.",
            "employee_confirmed": True,
            "manager_confirmed": True,
        }
    )
    draft = ReviewDraft.model_validate(draft.model_dump())
    sections = [section.id for section in rubric.template if section.id != "sign_off"]
    assert (
        sign_off_errors(draft, rubric, {rubric.id}, ["participants", "metrics", "targets", *sections]) == {}
    )
    return review_session(draft, rubric, source.sha256, CREATED, signed=True), rubric


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_seed_example_comes_out_as_a_bullet_with_its_figures(
    example: Example, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session, _ = signed_review(example)
    path = save_session(session, tmp_path)
    assert main(["export", str(path), "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert f"- {example.sentence}" in markdown
    assert main(["export", str(path), "--format", "json"]) == 0
    assert example.sentence in capsys.readouterr().out

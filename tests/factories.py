"""Valid records built in code, for tests that need one to start from."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from reviewtui.models import Session
from reviewtui.models.draft import ALIGNMENT_STEPS, AlignmentDraft, ReviewDraft

AGREE_STEP = ALIGNMENT_STEPS.index("agree")
"""The alignment's last step, counted from 0."""
CREATED = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def metric(metric_id: str = "gross_retention", weight: int = 100, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": metric_id,
        "name": "Gross retention",
        "definition": "Renewed contract value as a share of value up for renewal.",
        "data_source": "CRM renewal report",
        "frequency": "quarterly",
        "kind": "lagging",
        "unit": "%",
        "direction": "higher",
        "outcome": "retention",
        "bands": {
            "basis": "percent_of_target",
            "thresholds": [Decimal(90), Decimal(95), Decimal(100), Decimal(105)],
        },
        "baseline": Decimal("91.5"),
        "target": Decimal("95"),
        "weight": weight,
    }
    data.update(overrides)
    return data


def session_data(**overrides: Any) -> dict[str, Any]:
    """Plain data of an agreed alignment record against tests/data/rubric_minimal.toml."""
    data: dict[str, Any] = {
        "id": "0123456789abcdef0123456789abcdef",
        "kind": "alignment",
        "status": "agreed",
        "created_at": CREATED,
        "updated_at": CREATED + dt.timedelta(hours=1),
        "rubric": {"id": "test-role", "version": 1, "sha256": "a" * 64},
        "participants": {
            "employee": {"name": "Ana Ruiz", "role": "Test specialist"},
            "manager": {"name": "Bo Li"},
            "partners": [{"name": "Cy Park", "function": "sales"}],
        },
        "period": {"label": "2026 H2", "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31)},
        "impact_map": [
            {
                "activity": "Quarterly business reviews",
                "outcome": "retention",
                "how": "Surfaces risks early,\nso renewals are not a surprise.",
            }
        ],
        "metrics": [metric()],
        "sign_offs": [
            {"name": "Ana Ruiz", "role": "employee", "at": CREATED + dt.timedelta(hours=1)},
            {"name": "Bo Li", "role": "manager", "at": CREATED + dt.timedelta(hours=1)},
        ],
    }
    if "participants" in overrides and "sign_offs" not in overrides:
        # Sign-offs name the people in their roles: follow the participants given.
        people = overrides["participants"]
        names = {"employee": people["employee"]["name"], "manager": people["manager"]["name"]}
        data["sign_offs"] = [{**sign_off, "name": names[sign_off["role"]]} for sign_off in data["sign_offs"]]
    data.update(overrides)
    return data


def make_session(**overrides: Any) -> Session:
    return Session.model_validate(session_data(**overrides))


def csm_draft(step: int = 0, **overrides: Any) -> AlignmentDraft:
    """A fully filled alignment draft on the bundled CSM rubric, open at `step`."""
    from reviewtui.models.draft import DraftImpactRow, DraftPartner
    from reviewtui.plan.rules import draft_metric
    from reviewtui.storage import bundled_rubrics_dir, load_rubric

    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    figures = {
        "gross_retention": ("93", "96", "40"),
        "at_risk_saves_count": ("3", "5", "20"),
        "net_expansion_revenue": ("120000", "185000", "25"),
        "at_risk_outreach": ("70", "90", "15"),
    }
    metrics = [
        draft_metric(rubric.metric(metric_id)).model_copy(
            update={"baseline": baseline, "target": target, "weight": weight}
        )
        for metric_id, (baseline, target, weight) in figures.items()
    ]
    data: dict[str, Any] = {
        "id": "c0ffee00c0ffee00c0ffee00c0ffee00",
        "created_at": CREATED,
        "updated_at": CREATED,
        "step": step,
        "rubric_id": "customer-success-manager",
        "employee_name": "Ana Ruiz",
        "job_title": "CSM, Mid-Market",
        "manager_name": "Bo Li",
        "partners": [DraftPartner(name="Priya Nair", function="sales")],
        "period_label": "2026 H2",
        "period_start": "2026-07-01",
        "period_end": "2026-12-31",
        "impact_map": [
            DraftImpactRow(
                activity="Weekly health-score review", outcome="retention", how="Risks get a plan early"
            ),
            DraftImpactRow(
                activity="QBRs with sponsors", outcome="expansion", how="Needs become expansion talks"
            ),
        ],
        "metrics": metrics,
    }
    data.update(overrides)
    return AlignmentDraft(**data)


EXAMPLE_PLAN = "2026-07-02_alignment_ana-ruiz_6513270e.toml"


def csm_review_draft(step: int = 0, **overrides: Any) -> ReviewDraft:
    """A review draft of the example CSM plan with every section filled, open at `step`."""
    from pathlib import Path

    from reviewtui.models.draft import (
        DraftBullet,
        DraftContext,
        DraftExample,
        DraftFeedback,
        DraftObjective,
        DraftRating,
        DraftResult,
    )
    from reviewtui.review.rules import review_from_plan
    from reviewtui.storage import bundled_rubrics_dir, load_rubric, load_session

    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    plan = load_session(Path(__file__).parent.parent / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN)
    draft = review_from_plan(plan, rubric, "5eed5eed5eed5eed5eed5eed5eed5eed", CREATED)
    actuals = {
        "gross_retention": "96",
        "at_risk_saves_count": "5",
        "net_expansion_revenue": "185000",
        "nps": "41",
    }
    data: dict[str, Any] = {
        "step": step,
        "results": [
            DraftResult(metric=m.id, actual=actuals.get(m.id, ""), as_of="2026-12-31", evidence="CRM report")
            for m in draft.metrics
        ],
        "feedback": [
            DraftFeedback(
                source="survey",
                account="Detractor cohort",
                observed="Called back within a day",
                impact="Detractors felt heard",
                kind="strength",
            )
        ],
        "context": [DraftContext(factor="market_dynamics", note="Two competitors cut prices in Q3")],
        "examples": [
            DraftExample(kind="success_story", title="Acme saved", account="Acme", text="Renewed in August")
        ],
        "ratings": [
            DraftRating(competency=c.id, level="3", evidence="Led the Q3 QBRs") for c in rubric.competencies
        ],
        "bullets": [
            DraftBullet(
                action="Retained",
                subject="96% of my book at renewal",
                outcome="5 at-risk accounts saved",
                contribution="health-score monitoring",
                metric="gross_retention",
            )
        ],
        "objectives": [
            DraftObjective(
                objective="Renewal playbook", actions="Draft; pilot", owner="Ana Ruiz", due="2027-03-31"
            )
        ],
        "reading": "Retention held despite price cuts.",
    }
    data.update(overrides)
    return draft.model_copy(update=data)


def csm_checkin_draft(step: int = 0) -> AlignmentDraft:
    """A check-in draft on the example CSM plan with a figure, a change and an action, open at `step`."""
    import datetime as dt
    from pathlib import Path

    from reviewtui.checkins.rules import checkin_from, ensure_changes
    from reviewtui.models.draft import DraftAction
    from reviewtui.storage import bundled_rubrics_dir, load_rubric, load_session

    rubric = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
    plan = load_session(Path(__file__).parent.parent / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN)
    when = dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)
    draft = checkin_from(plan, rubric, "c4ec4ec4ec4ec4ec4ec4ec4ec4ec4ec4", when)
    results = [
        r.model_copy(update={"actual": "90", "note": "Two churned"}) if r.metric == "gross_retention" else r
        for r in draft.results
    ]
    metrics = [m.model_copy(update={"target": "32"}) if m.id == "nps" else m for m in draft.metrics]
    draft = ensure_changes(draft.model_copy(update={"step": step, "results": results, "metrics": metrics}))
    changes = [c.model_copy(update={"reason": "New survey vendor"}) for c in draft.changes]
    actions = [DraftAction(text="Exec call with Contoso", owner="Ana Ruiz", due="2026-10-15")]
    return draft.model_copy(update={"changes": changes, "actions": actions})


EXAMPLE_TEAM = Path(__file__).parent.parent / "src" / "reviewtui" / "examples"


def copy_example_team(sessions: Path, *left_out: str) -> Path:
    """A private copy of the example team at `sessions`, without the files matching `left_out`.

    Private (0700), as `init` makes a review repository: copytree keeps the checkout's 0755, which
    reviewtui would warn of on every command.
    """
    shutil.copytree(EXAMPLE_TEAM, sessions, ignore=shutil.ignore_patterns(*left_out))
    sessions.chmod(0o700)
    return sessions

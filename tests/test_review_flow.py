"""A review driven by keys from an agreed plan to a signed record, and its export."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

from textual.widgets import Select, Static

from pilot_helpers import choose, fill, make_app, type_text
from reviewtui.storage import load_session
from reviewtui.storage.drafts import drafts_dir
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.entries import AccomplishmentsStep
from reviewtui.ui.steps.review_sections import ResultsStep, SignOffStep

ROOT = Path(__file__).parent.parent
PLAN = ROOT / "src" / "reviewtui" / "examples" / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
ACTUALS = {
    "gross_retention": "96",
    "at_risk_saves_count": "5",
    "net_expansion_revenue": "185000",
    "nps": "41",
    "at_risk_outreach": "92",
    "qbrs_held": "88",
}


async def next_step(pilot) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()


async def add_entry(pilot) -> None:
    await pilot.press("ctrl+o")
    await pilot.pause()


async def test_agreed_plan_to_signed_review(tmp_path: Path) -> None:
    shutil.copy(PLAN, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # Ana Ruiz's latest agreed plan
        await pilot.pause()
        await next_step(pilot)  # the agenda: no open topics
        await next_step(pilot)  # the impact recap, as agreed

        assert isinstance(app.screen, ResultsStep)
        for metric_id, actual in ACTUALS.items():
            await fill(pilot, f"results-{metric_id}-actual", actual)
        await fill(pilot, "results-nps-evidence", "Q4 relationship survey, detractor cohort")
        for metric_id in ACTUALS:  # every figure backed, but one: the sign-off checklist must say so
            if metric_id not in ("nps", "at_risk_outreach"):
                await fill(pilot, f"results-{metric_id}-evidence", "Salesforce report, Q4")
        level = str(app.screen.query_one("#level-gross_retention", Static).render())
        assert "→ 3 Meeting" in level or "3 (Meeting)" in level or "Meeting" in level
        await fill(pilot, "results-qbrs_held-override_level", "4")
        await fill(
            pilot, "results-qbrs_held-override_reason", "Two sponsors changed mid-year; every QBR re-won"
        )
        await next_step(pilot)

        await add_entry(pilot)  # customer feedback
        await choose(pilot, "feedback-0-source", "survey")
        await fill(pilot, "feedback-0-account", "Detractor cohort")
        await fill(pilot, "feedback-0-observed", "Followed up within a day on every low score")
        await fill(pilot, "feedback-0-impact", "Detractors felt heard")
        await choose(pilot, "feedback-0-kind", "strength")
        await next_step(pilot)

        await add_entry(pilot)  # context
        await choose(pilot, "context-0-factor", "market dynamics")
        await fill(pilot, "context-0-note", "Two competitors cut prices in Q3")
        await next_step(pilot)

        await add_entry(pilot)  # examples: a success story
        await fill(pilot, "examples-0-title", "Acme saved")
        await fill(pilot, "examples-0-account", "Acme")
        await fill(pilot, "examples-0-text", "Red health score in May; renewed in August with a success plan")
        await next_step(pilot)

        rubric = app.catalog.get("customer-success-manager").rubric
        for competency in rubric.competencies:  # every level's anchor is on screen
            select = app.screen.query_one(f"#ratings-{competency.id}-level", Select)
            assert len(select._options) == len(rubric.scale) + 1
            await choose(pilot, f"ratings-{competency.id}-level", "3 Meeting")
            await fill(pilot, f"ratings-{competency.id}-evidence", f"Example for {competency.name}")
        await next_step(pilot)

        assert isinstance(app.screen, AccomplishmentsStep)
        assert len(app.screen.draft.bullets) == len(ACTUALS), "one bullet per metric with an actual"
        await fill(pilot, "bullets-0-action", "Retained")
        await fill(pilot, "bullets-0-subject", "96% of my 42-account book at renewal")
        await fill(pilot, "bullets-0-contribution", "health-score monitoring")
        sentence = str(app.screen.query_one("#bullets-0-sentence", Static).render())
        assert sentence.startswith("Retained 96% of my 42-account book at renewal:")
        await next_step(pilot)

        await add_entry(pilot)  # development
        await fill(pilot, "objectives-0-objective", "Lead a cross-team renewal playbook")
        await fill(pilot, "objectives-0-actions", "Draft with sales; pilot on 5 accounts")
        await fill(pilot, "objectives-0-owner", "Ana Ruiz")
        await fill(pilot, "objectives-0-due", "2027-03-31")
        await next_step(pilot)

        app.screen.query_one("#reading").focus()
        await type_text(pilot, "Retention held despite price cuts")
        await next_step(pilot)

        assert isinstance(app.screen, SignOffStep)
        score = str(app.screen.query_one("#score", Static).render())
        assert "Score" in score and "provisional" not in score
        # The checklist names the figure without evidence, as the calibration report would.
        checklist = str(app.screen.query_one("#sign-problems", Static).render())
        assert "No evidence written for Proactive outreach to at-risk accounts" in checklist
        assert "Every section is complete" not in checklist
        while not isinstance(app.screen, ResultsStep):
            await pilot.press("ctrl+b")
            await pilot.pause()
        await fill(pilot, "results-at_risk_outreach-evidence", "Gainsight CTA log")
        while not isinstance(app.screen, SignOffStep):
            await next_step(pilot)
        assert "Every section is complete" in str(app.screen.query_one("#sign-problems", Static).render())

        # Each signature keeps the moment it was ticked, not the moment of saving.
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space")
        await pilot.pause()
        employee_ticked = app.screen.draft.employee_confirmed_at
        assert employee_ticked is not None
        app.clock.now += dt.timedelta(minutes=3)  # the manager reads it once more, then signs
        await pilot.press("tab", "space")
        await pilot.pause()
        manager_ticked = app.screen.draft.manager_confirmed_at
        assert manager_ticked is not None and manager_ticked - employee_ticked >= dt.timedelta(minutes=3)
        app.clock.now += dt.timedelta(minutes=1)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    [review] = [path for path in tmp_path.glob("*_review_*.toml")]
    assert not list(drafts_dir(tmp_path).glob("*.toml"))
    session = load_session(review)
    plan = load_session(PLAN)
    assert (session.kind, session.status, session.follows) == ("review", "signed", plan.id)
    assert [m.id for m in session.metrics] == [m.id for m in plan.metrics]
    actuals = {m.id: m.actuals[-1].value for m in session.metrics}
    assert actuals == {key: Decimal(value) for key, value in ACTUALS.items()}
    qbrs = session.metric("qbrs_held")
    assert qbrs.override.level == 4 and qbrs.override.reason.startswith("Two sponsors")
    assert session.metric("nps").evidence == "Q4 relationship survey, detractor cohort"
    assert session.feedback[0].observed == "Followed up within a day on every low score"
    assert session.context[0].factor == "market_dynamics"
    assert session.examples[0].kind == "success_story"
    assert {r.level for r in session.competencies} == {3}
    assert session.accomplishments[0].sentence().startswith("Retained 96% of my 42-account book at renewal:")
    assert session.development[0].actions == ["Draft with sales", "pilot on 5 accounts"]
    assert session.employee_reading.reading == "Retention held despite price cuts"
    assert [(s.role, s.name) for s in session.sign_offs] == [("employee", "Ana Ruiz"), ("manager", "Bo Li")]
    assert [s.at for s in session.sign_offs] == [employee_ticked, manager_ticked]
    assert session.updated_at > manager_ticked

    # The export says what the record says, and the score it shows is the one worked out from it.
    import json

    from reviewtui.cli import main
    from reviewtui.score.weighted import score
    from reviewtui.storage import discover_rubrics

    source = discover_rubrics().get("customer-success-manager")
    breakdown = score(session, source.rubric, source.sha256)
    export = tmp_path / "review.json"
    assert main(["export", str(review), "--format", "json", "--output", str(export)]) == 0
    data = json.loads(export.read_text())
    assert data["record"]["id"] == session.id
    assert data["score"]["total"] == str(breakdown.total)
    assert data["score_signed"] is True
    assert session.signed_score is not None and session.signed_score.total == breakdown.total
    markdown = tmp_path / "review.md"
    assert main(["export", str(review), "--output", str(markdown)]) == 0
    text = markdown.read_text()
    assert f"- {session.accomplishments[0].sentence()}" in text
    assert "Two sponsors changed mid-year; every QBR re-won" in text
    assert str(breakdown.total) in text


async def test_a_signed_review_opens_with_its_score_and_exports_from_the_app(tmp_path: Path) -> None:
    import json

    from textual.widgets import Markdown

    from reviewtui.ui.record import RecordScreen

    review = ROOT / "src" / "reviewtui" / "examples" / "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
    shutil.copy(review, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        document = app.screen.query_one(Markdown).source
        assert "Retained 96% of my assigned book at renewal" in document
        await pilot.press("m", "j")
        await pilot.pause()
    exported = (tmp_path / "exports" / f"{review.stem}.md").read_text()
    assert exported == document
    data = json.loads((tmp_path / "exports" / f"{review.stem}.json").read_text())
    assert data["record"]["id"] == load_session(review).id
    assert (tmp_path / "exports" / f"{review.stem}.md").stat().st_mode & 0o777 == 0o600

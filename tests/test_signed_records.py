"""Records both can trust: a signed score never changes, sign-offs belong to their people and keep
their own time, and a review is about client outcomes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from factories import AGREE_STEP, CREATED, csm_review_draft, make_session, metric
from pilot_helpers import Clock
from reviewtui.cli import main
from reviewtui.models import Rubric
from reviewtui.models.draft import REVIEW_SECTIONS, DraftResult
from reviewtui.review.evidence_gaps import evidence_gaps
from reviewtui.review.signing import preview_session, sign_off_errors
from reviewtui.session.confirmations import with_confirmations
from reviewtui.storage import bundled_rubrics_dir, discover_rubrics, load_rubric, load_session
from reviewtui.storage.drafts import load_draft, save_draft
from reviewtui.team.summaries import summarise
from reviewtui.ui.app import ReviewApp
from reviewtui.ui.home import HomeScreen

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "src" / "reviewtui" / "examples"
ANA = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
CSM = "customer-success-manager.toml"
DATA = Path(__file__).parent / "data"


def csm_rubric() -> Rubric:
    return load_rubric(bundled_rubrics_dir() / CSM).rubric


# A signed score never changes ------------------------------------------------------------


async def test_a_review_signed_in_the_app_keeps_its_score_after_the_rubric_is_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions, rubrics = tmp_path / "sessions", tmp_path / "rubrics"
    sessions.mkdir()
    rubrics.mkdir()
    shutil.copy(bundled_rubrics_dir() / CSM, rubrics / CSM)
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("sign_off")), sessions)
    app = ReviewApp(sessions, discover_rubrics([rubrics]), clock=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")  # resume the draft, on its sign-off step
        await pilot.pause()
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = sessions.glob("*_review_*.toml")
    signed = load_session(record)
    assert signed.signed_score is not None
    assert signed.signed_score.total == Decimal("3.13")
    assert (signed.signed_score.metrics_weight, signed.signed_score.competencies_weight) == (70, 30)

    # The rubric is edited after signing: the split moves to half and half.
    text = (rubrics / CSM).read_text(encoding="utf-8")
    edited = text.replace("metrics_weight = 70", "metrics_weight = 50").replace(
        "competencies_weight = 30", "competencies_weight = 50"
    )
    assert edited != text
    (rubrics / CSM).write_text(edited, encoding="utf-8")

    app = ReviewApp(sessions, discover_rubrics([rubrics]), clock=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")  # the signed review, read-only
        await pilot.pause()
        from textual.widgets import Markdown

        document = app.screen.query_one(Markdown).source
        await pilot.press("m", "j")
        await pilot.pause()
    assert "**Score:** 3.13 on a 1–5 scale (as signed) (provisional: 2 items not scored yet)" in document
    assert "**Under today's rubric (changed since signing):** 3.09" in document
    assert "| Metrics (70%) | Gross revenue retention (book) |" in document
    exported = (sessions / "exports" / f"{record.stem}.md").read_text(encoding="utf-8")
    assert exported == document
    data = json.loads((sessions / "exports" / f"{record.stem}.json").read_text(encoding="utf-8"))
    assert (data["score"]["total"], data["score_signed"]) == ("3.13", True)
    assert data["score_under_todays_rubric"]["total"] == "3.09"
    # The report and the history count the signed score.
    source = discover_rubrics([rubrics]).get("customer-success-manager")
    assert summarise(record.name, signed, source.rubric, source.sha256).score == Decimal("3.13")
    assert main(["--rubrics", str(rubrics), "report", "--sessions", str(sessions), "--no-cache"]) == 0
    report = capsys.readouterr().out
    assert "  Bo Li      1   3.13   3.13   3.13  3.13" in report
    report = " ".join(report.split())  # as one line: the report wraps at 80 columns
    assert "1 made with an earlier version of the rubric file (1 keeping the score signed)" in report
    assert f"{record.name} (Bo Li): signed 3.13, under today's rubric (changed since signing) 3.09" in report


def test_example_reviews_show_their_signed_scores() -> None:
    rubric = csm_rubric()
    review = load_session(EXAMPLES / ANA)
    from reviewtui.record.summary import record_markdown

    text = record_markdown(review, rubric)
    assert "**Score:** 3.41 on a 1–5 scale (as signed)" in text
    assert "today's rubric" not in text
    # Records from before signed scores were kept still load, and are scored from the rubric.
    older = review.model_copy(update={"signed_score": None})
    assert "**Score:** 3.41 on a 1–5 scale\n" in record_markdown(older, rubric)


def _tampered(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = (EXAMPLES / ANA).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / ANA
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if line == needle]
    return found[occurrence - 1]


def test_validate_refuses_a_signed_total_its_inputs_do_not_give(tmp_path: Path, capsys) -> None:
    path = _tampered(tmp_path, "\n[signed_score]\ntotal = 3.41\n", "\n[signed_score]\ntotal = 3.98\n")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    line = _line_of(path, "total = 3.98")
    assert out == (
        f"{path}:{line}: signed_score.total: the signed total is not what the signed inputs give; "
        "the score may have been edited after signing\n"
    )
    assert "3.98" not in out and "3.41" not in out


def test_validate_refuses_a_signed_term_its_inputs_do_not_give(tmp_path: Path, capsys) -> None:
    path = _tampered(
        tmp_path, "weight = 25\nlevel = 3\ncontribution = 0.22", "weight = 25\nlevel = 3\ncontribution = 0.33"
    )
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{path}:{_line_of(path, 'contribution = 0.33')}: signed_score.competencies[0].contribution: " in out
    )
    assert "0.33" not in out


def test_the_report_lists_a_tampered_signed_score_as_unreadable(tmp_path: Path) -> None:
    from reviewtui.storage.report_cache import read_one

    path = _tampered(tmp_path, "\n[signed_score]\ntotal = 3.41\n", "\n[signed_score]\ntotal = 3.98\n")
    rubrics = {s.rubric.id: (s.rubric, s.sha256) for s in discover_rubrics().sorted()}
    _, _, summary, reason, _ = read_one(path, ANA, rubrics)
    assert summary is None
    assert reason.startswith(f"{ANA}:") and "signed_score.total" in reason and "3.98" not in reason


# Sign-offs belong to their people ------------------------------------------------------


MANAGER_SIGNS = '[[sign_offs]]\nname = "Bo Li"\nrole = "manager"\n'
EMPLOYEE_SIGNS = '[[sign_offs]]\nname = "Ana Ruiz"\nrole = "employee"\n'
MANAGER = "a manager sign-off must name the manager (participants.manager.name)"


@pytest.mark.parametrize(
    ("original", "tampered", "index", "message"),
    [
        (MANAGER_SIGNS, MANAGER_SIGNS.replace("Bo Li", "Ana Ruiz"), 1, MANAGER),
        (MANAGER_SIGNS, MANAGER_SIGNS.replace("Bo Li", "Somebody Else"), 1, MANAGER),
        (
            EMPLOYEE_SIGNS,
            EMPLOYEE_SIGNS.replace("Ana Ruiz", "Bo Li"),
            0,
            "an employee sign-off must name the employee (participants.employee.name)",
        ),
        (
            MANAGER_SIGNS,
            '[[sign_offs]]\nname = "Somebody Else"\nrole = "partner"\nat = 2027-01-12 11:12:00+01:00\n\n'
            + MANAGER_SIGNS,
            1,
            "a partner sign-off must name a partner listed in participants.partners",
        ),
    ],
)
def test_validate_refuses_a_sign_off_by_someone_else(
    tmp_path: Path, capsys, original: str, tampered: str, index: int, message: str
) -> None:
    path = _tampered(tmp_path, original, tampered)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(tampered)].count("\n") + 2  # the name, under the table's header
    assert out == f"{path}:{line}: sign_offs[{index}].name: {message}\n"
    assert "Somebody" not in out


def test_a_listed_partner_may_sign(tmp_path: Path, capsys) -> None:
    original = '[[sign_offs]]\nname = "Bo Li"\nrole = "manager"\nat = 2027-01-12 11:10:00+01:00\n'
    partner = '[[sign_offs]]\nname = "Priya Nair"\nrole = "partner"\nat = 2027-01-12 11:12:00+01:00\n'
    path = _tampered(tmp_path, original, original + "\n" + partner)
    assert main(["validate", str(path)]) == 0


def test_every_example_record_still_validates(capsys) -> None:
    assert main(["validate", *map(str, sorted(EXAMPLES.glob("*.toml")))]) == 0


def test_a_tick_keeps_its_own_moment_through_autosave_and_resume(tmp_path: Path) -> None:
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("sign_off"))
    first, later = CREATED + dt.timedelta(minutes=30), CREATED + dt.timedelta(minutes=42)
    draft = with_confirmations(draft, {"employee": True, "manager": False}, first)
    assert (draft.employee_confirmed_at, draft.manager_confirmed_at) == (first, None)
    save_draft(draft, tmp_path)
    draft = load_draft(next((tmp_path / ".drafts").glob("*.toml")))
    assert draft.employee_confirmed_at == first  # resumed: the employee's moment is kept
    draft = with_confirmations(draft, {"employee": True, "manager": True}, later)
    assert (draft.employee_confirmed_at, draft.manager_confirmed_at) == (first, later)
    draft = with_confirmations(draft, {"employee": False}, later)  # unticked: the moment goes
    assert (draft.employee_confirmed, draft.employee_confirmed_at) == (False, None)


# A review is about client outcomes -------------------------------------------------------


def _competencies_only_draft():
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("sign_off"))
    results = [DraftResult(metric=r.metric, as_of=r.as_of) for r in draft.results]
    return draft.model_copy(update={"results": results, "bullets": []})


def _with_limits(rubric: Rubric, **limits: object) -> Rubric:
    return rubric.model_copy(update={"limits": rubric.limits.model_copy(update=limits)})


def test_a_review_without_a_scored_metric_cannot_be_signed_unless_the_rubric_allows_it() -> None:
    rubric = csm_rubric()
    sections = list(REVIEW_SECTIONS[:-1])
    draft = _competencies_only_draft()
    errors = sign_off_errors(draft, rubric, {rubric.id}, sections)
    assert errors["metrics_scored"] == (
        "No metric is scored: a review is about client outcomes, so give at least one metric "
        "its actual on the Metric results step."
    )
    allowed = _with_limits(rubric, allow_competencies_only=True)
    assert "metrics_scored" not in sign_off_errors(draft, allowed, {rubric.id}, sections)


def test_calibration_does_not_count_a_score_on_competencies_alone_unless_allowed() -> None:
    rubric = load_rubric(DATA / "rubric_minimal.toml").rubric
    review = make_session(
        kind="review",
        status="signed",
        metrics=[metric()],
        competencies=[{"competency": "collaboration", "level": 4, "evidence": "QBRs"}],
    )
    assert summarise("r.toml", review, rubric, None).score is None
    allowed = _with_limits(rubric, allow_competencies_only=True)
    assert summarise("r.toml", review, allowed, None).score == Decimal("4.00")
    measured = make_session(
        kind="review",
        status="signed",
        metrics=[metric(actuals=[{"value": Decimal(97), "as_of": dt.date(2026, 12, 1)}])],
        competencies=review.competencies,
    )
    assert summarise("r.toml", measured, rubric, None).score is not None


def test_the_rubric_key_is_documented_and_off_by_default() -> None:
    from reviewtui.models.rubric import PlanLimits
    from reviewtui.record.schema import attribute_docs

    assert PlanLimits.model_fields["allow_competencies_only"].default is False
    assert "client outcomes" in attribute_docs(PlanLimits)["allow_competencies_only"]


def test_the_sign_off_checklist_and_the_report_name_the_same_gaps() -> None:
    rubric = csm_rubric()
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("sign_off"))
    results = [r.model_copy(update={"evidence": ""}) if r.metric == "nps" else r for r in draft.results]
    draft = draft.model_copy(update={"results": results, "examples": []})
    errors = sign_off_errors(draft, rubric, {rubric.id}, list(REVIEW_SECTIONS[:-1]))
    assert errors["evidence"] == (
        "No evidence written for NPS (account or cohort): say what backs the figure on the Metric results step."
    )
    assert errors["examples"] == "The rubric asks for at least one client success story."
    preview = preview_session(draft, rubric)
    gaps = evidence_gaps(preview, rubric)
    summary = summarise("r.toml", preview, rubric, None)
    assert summary.no_evidence == gaps.no_evidence == ("NPS (account or cohort)",)
    assert summary.no_success_story is gaps.no_success_story is True


def test_an_agreed_plan_carries_each_confirmation_at_its_own_moment() -> None:
    from factories import csm_draft
    from reviewtui.plan.rules import agreed_session

    rubric = csm_rubric()
    employee, manager = CREATED + dt.timedelta(minutes=20), CREATED + dt.timedelta(minutes=26)
    draft = csm_draft(AGREE_STEP)
    draft = with_confirmations(draft, {"employee": True}, employee)
    draft = with_confirmations(draft, {"employee": True, "manager": True}, manager)
    saved = CREATED + dt.timedelta(minutes=30)
    plan = agreed_session(draft, rubric, "f" * 64, saved)
    assert [(s.role, s.name, s.at) for s in plan.sign_offs] == [
        ("employee", draft.employee_name, employee),
        ("manager", draft.manager_name, manager),
    ]
    assert plan.updated_at == saved


def test_validate_refuses_a_signed_split_that_does_not_total_100(tmp_path: Path, capsys) -> None:
    path = _tampered(
        tmp_path,
        "metrics_weight = 70\ncompetencies_weight = 30",
        "metrics_weight = 80\ncompetencies_weight = 30",
    )
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{path}:{_line_of(path, 'metrics_weight = 80')}: signed_score.metrics_weight: the signed split must total 100"
        in out
    )


def test_validate_refuses_results_edited_after_signing(tmp_path: Path, capsys) -> None:
    # Ana's NPS moved from 41 to 20 after signing: the level it gives is not the one signed.
    path = _tampered(tmp_path, "[[metrics.actuals]]\nvalue = 41\n", "[[metrics.actuals]]\nvalue = 20\n")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "signed_score.metrics[3].level: the signed level is not the one the metric's bands" in out


async def test_the_sign_off_step_refuses_a_review_with_no_scored_metric(tmp_path: Path) -> None:
    from textual.widgets import Static

    from pilot_helpers import make_app
    from reviewtui.ui.steps.review_sections import SignOffStep

    save_draft(_competencies_only_draft(), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SignOffStep)
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SignOffStep)  # not signed
        checklist = str(app.screen.query_one("#sign-problems", Static).render())
        assert "No metric is scored: a review is about client outcomes" in checklist
    assert not list(tmp_path.glob("*_review_*.toml"))


def test_ana_ruiz_keeps_her_signed_341_when_the_rubric_is_reweighted() -> None:
    from reviewtui.record.summary import record_json, record_markdown

    data = csm_rubric().model_dump()
    data["competencies"][0]["weight"], data["competencies"][3]["weight"] = 10, 50  # was 25 and 35
    today = Rubric.model_validate(data)
    review = load_session(EXAMPLES / ANA)
    lines = record_markdown(review, today, "b" * 64).splitlines()
    assert "**Score:** 3.41 on a 1–5 scale (as signed)" in lines
    assert "**Under today's rubric (changed since signing):** 3.46" in lines
    assert "| Competencies (30%) | Cross-functional collaboration | 3 Meeting | 25% | 0.22 |" in lines
    payload = json.loads(record_json(review, today, "b" * 64))
    assert (payload["score"]["total"], payload["score_under_todays_rubric"]["total"]) == ("3.41", "3.46")

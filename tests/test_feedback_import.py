"""`reviewtui feedback import`: survey and support exports in, trends out, bad rows skipped by line."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from factories import copy_example_team
from reviewtui.cli import main
from reviewtui.models.feedback import nps, trends
from reviewtui.storage.feedback_import import load_feedback

ROOT = Path(__file__).parent.parent
EXPORT = (
    "Submitted,Company,Rating,Comment\n"
    "2026-08-03,Acme,9,Quick answers\n"
    "2026-08-20,Acme,6,Slow to escalate\n"
    '2026-09-02,Northwind,10,"Great QBR, clear plan"\n'
    "03/09/2026,Acme,7,day first\n"
    "2026-09-10,Acme,11,too high\n"
    "2026-09-12,Acme,,\n"
    "2026-08-03,Acme,9,Quick answers\n"
)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return copy_example_team(tmp_path / "sessions", "evidence_*", "feedback_*")


def run(team: Path, csv: Path, *args: str) -> int:
    return main(["--sessions", str(team), "feedback", "import", str(csv), "--employee", "Ana Ruiz", *args])


def test_an_export_is_imported_with_bad_rows_reported_by_line(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "nps.csv"
    export.write_text(EXPORT)
    assert run(team, export) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{export}:5: skipped: the date is not YYYY-MM-DD",
        f"{export}:6: skipped: the score is outside 0–10 for NPS",
        f"{export}:7: skipped: neither a score nor a comment",
    ]
    assert "imported 3 response(s) for Ana Ruiz" in out and "1 duplicate(s) or already imported" in out
    assert "Acme       2          7.5      +0    2026-08 7.5" in out
    saved = load_feedback(team / "feedback_ana-ruiz.toml")
    assert [(r.account, r.score, r.comment) for r in saved.responses] == [
        ("Acme", Decimal(9), "Quick answers"),
        ("Acme", Decimal(6), "Slow to escalate"),
        ("Northwind", Decimal(10), "Great QBR, clear plan"),
    ]
    assert (team / "feedback_ana-ruiz.toml").stat().st_mode & 0o777 == 0o600
    assert main(["validate", str(team / "feedback_ana-ruiz.toml")]) == 0
    # The same export again adds nothing.
    assert run(team, export) == 0
    assert "nothing new for Ana Ruiz" in capsys.readouterr().out
    assert len(load_feedback(team / "feedback_ana-ruiz.toml").responses) == 3


def test_columns_can_be_named_and_csat_is_scored_one_to_five(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "csat.csv"
    export.write_text(
        "When,Segment,Stars\n2026-10-01,Enterprise,5\n2026-10-02,Enterprise,4\n2026-10-03,SMB,0\n"
    )
    args = [
        "--scale",
        "csat",
        "--source",
        "support",
        "--by",
        "cohort",
        "--column",
        "date=When",
        "--column",
        "score=Stars",
    ]
    assert run(team, export, *args) == 0
    out, err = capsys.readouterr()
    assert f"{export}:4: skipped: the score is outside 1–5 for CSAT" in err
    assert "Enterprise  2          4.5      -    2026-10 4.5" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"when,who\n2026-01-01,x\n", "has no date and no account or cohort and no score or comment column"),
        (b"date,account,score\n2026-08-01,M\xfcller,9\n", ":2: is not UTF-8 text; export it as CSV UTF-8"),
        (b"", ":1: is empty: it needs a header row and at least one response"),
        (b"date,account,score\nsoon,Acme,9\n", "no usable response in"),
    ],
)
def test_an_unusable_file_writes_nothing(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(content)
    assert run(team, export) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(team.glob("feedback_*"))


def test_unknown_employee_and_bad_mapping_are_refused(team: Path, tmp_path: Path, capsys) -> None:
    export = tmp_path / "nps.csv"
    export.write_text(EXPORT)
    assert main(["--sessions", str(team), "feedback", "import", str(export), "--employee", "Nobody"]) == 1
    assert run(team, export, "--column", "colour=Red") == 2
    assert run(team, export, "--column", "score=Missing") == 1
    assert "has no column 'Missing'" in capsys.readouterr().err
    assert not list(team.glob("feedback_*"))


def test_nps_and_trends_are_computed_from_the_scores() -> None:
    assert nps([Decimal(10), Decimal(9), Decimal(6), Decimal(8)]) == 25
    assert nps([]) is None
    assert trends([]) == []


async def test_a_review_turns_an_imported_response_into_a_feedback_item(tmp_path: Path) -> None:
    from textual.widgets import Input, Select

    from factories import csm_review_draft
    from pilot_helpers import fill, make_app
    from reviewtui.models.draft import REVIEW_SECTIONS
    from reviewtui.storage.drafts import save_draft
    from reviewtui.storage.feedback_import import import_feedback
    from reviewtui.ui.feedback import FeedbackPickerScreen

    export = tmp_path / "nps.csv"
    export.write_text(EXPORT)
    import_feedback(tmp_path, "Ana Ruiz", export, scale="nps", source="survey", mapping={})
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("customer_feedback"), feedback=[]), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackPickerScreen)
        await pilot.press("down", "enter")  # the second newest: Acme's 6, a detractor
        await pilot.pause()
        assert (
            app.screen.query_one("#feedback-0-impact", Input).value == "Slow to escalate (2026-08-20, NPS 6)"
        )
        assert app.screen.query_one("#feedback-0-kind", Select).value == "gap"
        assert app.focused.id == "feedback-0-observed"
        await fill(pilot, "feedback-0-observed", "Escalations waited a day before reaching support")
        assert app.screen.collect().feedback[0].observed.startswith("Escalations waited")


async def test_feedback_is_imported_from_the_home_screen(tmp_path: Path) -> None:
    from textual.widgets import Static

    from factories import EXAMPLE_PLAN
    from pilot_helpers import make_app, type_text
    from reviewtui.ui.feedback import ImportResultScreen

    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    export = tmp_path / "nps.csv"
    export.write_text(EXPORT)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f")
        await pilot.pause()
        await type_text(pilot, str(export))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportResultScreen)
        text = str(app.screen.query_one(Static).render())
        assert text.startswith("3 new response(s) for Ana Ruiz")
        assert f"{export}:5: skipped: the date is not YYYY-MM-DD" in text
    assert len(load_feedback(tmp_path / "feedback_ana-ruiz.toml").responses) == 3

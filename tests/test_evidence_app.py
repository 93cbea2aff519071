"""The evidence log in the app: a log view per employee, adding entries, pulling one into a review."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.widgets import DataTable, Input

from factories import EXAMPLE_PLAN, csm_review_draft
from pilot_helpers import fill, make_app, type_text
from reviewtui.models.draft import REVIEW_SECTIONS
from reviewtui.models.evidence import EvidenceEntry
from reviewtui.storage import load_session
from reviewtui.storage.drafts import save_draft
from reviewtui.storage.evidence import append_entry, load_evidence
from reviewtui.ui.evidence import EvidencePickerScreen, EvidenceScreen
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.entries import ExamplesStep

ROOT = Path(__file__).parent.parent
ENTRY = EvidenceEntry(
    id="0123456789ab",
    logged_at=dt.datetime(2026, 8, 21, 9, 0, tzinfo=dt.UTC),
    happened_on=dt.date(2026, 8, 20),
    text="Acme renewed flat after a red health score, thanks to the re-onboarding",
    metric="gross_retention",
    tags=["win"],
)


async def test_log_view_adds_an_entry_for_the_highlighted_employee(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
        assert app.screen.query_one(DataTable).row_count == 0
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "QBR with the new sponsor")
        await fill(pilot, "tags", "qbr, win")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
        assert app.screen.query_one(DataTable).get_row_at(0)[2:] == ["qbr, win", "QBR with the new sponsor"]
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, "date", "2999-01-01")
        await pilot.press("ctrl+s")  # empty text and a future date: refused beside the fields
        await pilot.pause()
        assert not isinstance(app.screen, EvidenceScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [entry] = load_evidence(tmp_path / "evidence_ana-ruiz.toml").entries
    assert (entry.text, entry.tags) == ("QBR with the new sponsor", ["qbr", "win"])


async def test_a_review_pulls_a_log_entry_in_as_a_success_story(tmp_path: Path) -> None:
    append_entry(tmp_path, "Ana Ruiz", ENTRY)
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("examples"), examples=[])
    save_draft(draft, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamplesStep)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, EvidencePickerScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#examples-0-text", Input).value == ENTRY.text
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")  # on to the sign-off
        await pilot.pause()
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [review] = tmp_path.glob("*_review_*.toml")
    story = load_session(review).examples[0]
    assert (story.kind, story.log_entry, story.text, story.happened_on) == (
        "success_story",
        ENTRY.id,
        ENTRY.text,
        ENTRY.happened_on,
    )


async def test_results_take_a_metrics_evidence_from_the_log(tmp_path: Path) -> None:
    append_entry(tmp_path, "Ana Ruiz", ENTRY)
    save_draft(csm_review_draft(1 + REVIEW_SECTIONS.index("metric_results")), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#results-gross_retention-actual", Input).focus()
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        evidence = app.screen.query_one("#results-gross_retention-evidence", Input).value
        assert evidence == f"CRM report; {ENTRY.text} (log {ENTRY.id}, 2026-08-20)"

"""Snapshots of the agenda screens: a check-in's first step, and the agenda from home (key `a`)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from factories import EXAMPLE_PLAN, csm_checkin_draft
from pilot_helpers import make_app, steady
from reviewtui.models.draft_followups import DraftTopic
from reviewtui.storage.agenda import add_topic
from reviewtui.storage.drafts import save_draft

EXAMPLES = Path(__file__).parent.parent / "src" / "reviewtui" / "examples"
AT = dt.datetime(2026, 9, 28, 8, 0, tzinfo=dt.UTC)
TOPICS = [
    DraftTopic(
        id="0000000000a1",
        text="Workload after the Contoso renewal",
        raised_by="Ana Ruiz",
        role="employee",
        raised_at=AT,
        via="command_line",
        carried_from="d1e2f3a4d1e2f3a4d1e2f3a4d1e2f3a4",
    ),
    DraftTopic(
        id="0000000000a2",
        text="Path to senior CSM",
        raised_by="Ana Ruiz",
        role="employee",
        raised_at=AT,
        via="home",
        covered=True,
    ),
    DraftTopic(
        id="0000000000a3",
        text="Team changes in January",
        raised_by="Bo Li",
        role="manager",
        raised_at=AT,
        via="host_screen",
    ),
]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_checkin_agenda_step_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    draft = csm_checkin_draft(0).model_copy(
        update={"agenda": TOPICS, "notes": "Blocked on warehouse access until the 15th."}
    )
    save_draft(draft, tmp_path)

    async def resume(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_home_agenda_screen_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    shutil.copy(EXAMPLES / EXAMPLE_PLAN, tmp_path)
    add_topic(
        tmp_path, "Ana Ruiz", "Workload after the Contoso renewal", "Ana Ruiz", "employee", "command_line", AT
    )
    add_topic(tmp_path, "Ana Ruiz", "Team changes in January", "Bo Li", "manager", "home", AT)

    async def open_agenda(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("a")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_agenda)

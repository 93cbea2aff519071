"""`reviewtui prepare fill`: the employee and a partner fill their file; autosave, quit, what is shown."""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest
from textual.widgets import Input, Select, TabbedContent, TextArea

from pilot_helpers import Clock, steady, type_text
from prep_factories import employee_preparation, partner_preparation, write_preparation
from reviewtui.storage.preparation_file import open_preparation
from reviewtui.ui.prepare.app import PrepareApp
from reviewtui.ui.prepare.employee import EmployeeScreen
from reviewtui.ui.prepare.partner import PartnerScreen

START = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def make_app(path: Path) -> PrepareApp:
    return PrepareApp(open_preparation(path), clock=Clock(START))


def on_disk(path: Path):
    return open_preparation(path).preparation


async def choose_level(pilot, select: Select, value: int) -> None:
    select.focus()
    await pilot.pause()
    select.value = value
    await pilot.pause()


async def test_the_employee_reads_their_figures_and_writes_their_reading(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", employee_preparation())
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EmployeeScreen)
        shown = " ".join(str(s.render()) for s in screen.query(".prep-metric"))
        assert "baseline 91.5 % · target 95 %" in shown and "latest 93.2 % (as of 2026-11-05)" in shown
        assert "Time to first value" in shown and "no figure recorded yet" in shown
        assert app.focused is screen.query_one("#reading-text", TextArea)
        await type_text(pilot, "Retention is up, onboarding lags")
        await pilot.pause(1.3)  # the autosave a second after the first key
        saved = on_disk(path)
        assert saved.reading == "Retention is up, onboarding lags"
        assert saved.written_at is not None
        assert "saved" in app.sub_title


async def test_the_employee_rates_each_competency_on_the_files_scale(tmp_path: Path) -> None:
    preparation = employee_preparation()
    path = write_preparation(tmp_path / "prep.toml", preparation)
    app = make_app(path)
    first, second = preparation.competencies[:2]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#sections", TabbedContent).active == "competencies"
        level = screen.query_one(f"#rating-{first.id}-level", Select)
        assert app.focused is level
        # Only the scale's values can be chosen, each with its label; the anchors are shown.
        assert [value for _, value in level._options[1:]] == [1, 2, 3, 4, 5]
        anchors = str(screen.query(".anchors").first().render())
        assert "4 Exceeding" in anchors and first.anchors[3][:30] in anchors
        await choose_level(pilot, level, 4)
        await pilot.press("tab")
        # The focused field's label is reverse and bold (readable without colour), the one left is not.
        example_label = screen.query_one(f"#rating-{first.id}-example").parent.children[0]
        assert example_label.styles.text_style.reverse and example_label.styles.text_style.bold
        assert not level.parent.children[0].styles.text_style.reverse
        await type_text(pilot, "Joint plan with product for Acme")
        # The next competency: a level, its example not typed yet.
        await choose_level(pilot, screen.query_one(f"#rating-{second.id}-level", Select), 2)
        await pilot.pause(1.3)
        status = str(screen.query_one("#prep-status").render())
        assert "1/4 competencies rated" in status and f"{second.name} needs an example" in status
        await pilot.press("ctrl+q")
    saved = on_disk(path)
    assert [(r.competency, r.level, r.example) for r in saved.ratings] == [
        (first.id, 4, "Joint plan with product for Acme")
    ]
    assert saved.unfinished is not None
    assert [(r.competency, r.level) for r in saved.unfinished.ratings] == [(second.id, 2)]


async def test_objectives_and_topics_are_added_removed_and_kept_on_quit(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", employee_preparation())
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+b")  # round to the last tab
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#sections", TabbedContent).active == "objectives"
        await type_text(pilot, "Lead QBRs")
        await pilot.press("tab")
        await type_text(pilot, "a mentor")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "Forecasting")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await type_text(pilot, "Workload")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await type_text(pilot, "Career path")
        # Ctrl+R on a row with text asks first; y removes it.
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [f.value for f in screen.query(".topic-row Input")] == ["Workload"]
        await pilot.press("ctrl+q")  # saves at once, before the autosave
    saved = on_disk(path)
    assert [(o.objective, o.why) for o in saved.objectives] == [
        ("Lead QBRs", "a mentor"),
        ("Forecasting", ""),
    ]
    assert saved.topics == ["Workload"]
    assert saved.written_at is not None


async def test_what_was_saved_is_shown_again_when_the_file_is_opened_again(tmp_path: Path) -> None:
    preparation = employee_preparation(
        reading="Read before",
        ratings=[{"competency": "communication_clarity", "level": 3, "example": "Weekly notes"}],
        topics=["Workload"],
        unfinished={"objectives": [{"why": "why typed first"}]},
    )
    path = write_preparation(tmp_path / "prep.toml", preparation)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#reading-text", TextArea).text == "Read before"
        assert screen.query_one("#rating-communication_clarity-level", Select).value == 3
        assert screen.query_one("#rating-communication_clarity-example", Input).value == "Weekly notes"
        assert [f.value for f in screen.query(".objective-row Input")] == ["", "why typed first"]
        assert [f.value for f in screen.query(".topic-row Input")] == ["Workload"]
        before = path.read_bytes()
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before, "nothing changed, so nothing was written"


async def test_a_partner_sees_only_the_observation_rows(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", partner_preparation())
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PartnerScreen)
        assert not screen.query(".prep-metric, .anchors, #reading-text, TabbedContent")
        kind = screen.query_one(".observation-row Select", Select)
        assert app.focused is kind
        await choose_level(pilot, kind, "strength")
        await pilot.press("tab")
        await type_text(pilot, "Walked the client through the outage")
        await pilot.press("tab")
        await type_text(pilot, "They renewed")
        await pilot.press("tab")
        await type_text(pilot, "Acme")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "Late follow-ups")  # no strength or gap chosen yet
        await pilot.pause(1.3)
        saved = on_disk(path)
        assert [(o.kind, o.observed, o.impact, o.account) for o in saved.observations] == [
            ("strength", "Walked the client through the outage", "They renewed", "Acme")
        ]
        assert saved.unfinished is not None
        assert [o.observed for o in saved.unfinished.observations] == ["Late follow-ups"]
        assert "needs strength or gap" in str(screen.query_one("#prep-status").render())
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", employee_preparation())
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        edited = path.read_bytes() + b"# edited in another window\n"
        path.write_bytes(edited)
        await type_text(pilot, "Mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_bytes() == edited
        assert app.moved_to is not None and app.moved_to.parent == tmp_path
        assert on_disk(app.moved_to).reading == "Mine"
        await type_text(pilot, " and more")
        await pilot.press("ctrl+q")
    assert on_disk(app.moved_to).reading == "Mine and more"


async def test_a_save_that_fails_is_said_and_quit_asks_again(tmp_path: Path, monkeypatch) -> None:
    path = write_preparation(tmp_path / "prep.toml", employee_preparation())
    before = path.read_bytes()
    app = make_app(path)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(os, "fsync", disk_full)
        await type_text(pilot, "Kept in memory")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running, "the answers could not be saved: leaving would lose them"
        assert "NOT saved" in app.sub_title
        assert path.read_bytes() == before
        monkeypatch.undo()
        await pilot.press("ctrl+q")  # the save works now, and the app leaves
    assert on_disk(path).reading == "Kept in memory"


# Snapshots ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("tab", ["reading", "competencies", "objectives"])
def test_the_employees_sections(snap_compare, tmp_path: Path, size, tab: str) -> None:
    preparation = employee_preparation(
        reading="Retention is up; onboarding still lags behind the target.",
        ratings=[{"competency": "communication_clarity", "level": 3, "example": "Weekly account notes"}],
        objectives=[{"objective": "Lead QBRs", "why": "with a mentor from sales"}],
        topics=["Workload in January"],
    )
    path = write_preparation(tmp_path / "prep.toml", preparation)

    async def open_tab(pilot) -> None:
        await pilot.pause()
        for _ in range(["reading", "competencies", "objectives"].index(tab)):
            await pilot.press("ctrl+n")
            await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(path), terminal_size=size, run_before=open_tab)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_partners_observations(snap_compare, tmp_path: Path, size) -> None:
    preparation = partner_preparation(
        observations=[
            {
                "kind": "strength",
                "observed": "Ran the joint outage call",
                "impact": "Renewed",
                "account": "Acme",
            }
        ]
    )
    path = write_preparation(tmp_path / "prep.toml", preparation)

    async def settle(pilot) -> None:
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(path), terminal_size=size, run_before=settle)


async def test_names_from_the_file_show_as_written_never_as_markup(tmp_path: Path) -> None:
    data = employee_preparation().model_dump()
    data["scale"][0]["label"] = "[bold red]Evil"
    data["name"] = "[b]Ana\u202e"
    data["competencies"][0]["name"] = "[reverse]Collab"
    path = write_preparation(tmp_path / "prep.toml", type(employee_preparation()).model_validate(data))
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert str(screen.query_one("#prep-intro").render()).startswith("[b]Ana\\u202e: preparing")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "[reverse]Collab" in str(screen.query(".prep-heading").first().render())
        level = screen.query_one(f"#rating-{data['competencies'][0]['id']}-level", Select)
        assert str(level._options[1][0]) == "1 [bold red]Evil"

"""A complete alignment session driven by keys, from the home screen to the saved record."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

from textual.widgets import SelectionList

from pilot_helpers import START, Clock, choose, fill, make_app, type_text
from reviewtui.storage import load_session
from reviewtui.storage.drafts import drafts_dir
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.agree import AgreeStep
from reviewtui.ui.steps.development import DevelopmentStep
from reviewtui.ui.steps.impact import ImpactMapStep
from reviewtui.ui.steps.metrics import MetricsStep
from reviewtui.ui.steps.participants import ParticipantsStep
from reviewtui.ui.steps.targets import TargetsStep

CSM_PLAN = {
    "gross_retention": ("93", "96", "30"),
    "at_risk_saves_count": ("3", "5", "15"),
    "net_expansion_revenue": ("120,000", "185000", "20"),
    "at_risk_outreach": ("70", "90", "10"),
}


async def fill_participants(pilot, *, with_partner: bool = True) -> None:
    assert isinstance(pilot.app.screen, ParticipantsStep)
    assert pilot.app.focused.id == "employee_name"
    await type_text(pilot, "Ana Ruiz")
    await choose(pilot, "rubric_id", "Customer Success Manager")
    await fill(pilot, "job_title", "CSM, Mid-Market")
    await fill(pilot, "manager_name", "Bo Li")
    if with_partner:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert pilot.app.focused.id == "partners-0-name"
        await type_text(pilot, "Priya Nair")
        await fill(pilot, "partners-0-function", "sales")


async def fill_impact_map(pilot) -> None:
    assert isinstance(pilot.app.screen, ImpactMapStep)
    assert pilot.app.focused.id == "impact_map-0-activity"
    await type_text(pilot, "Weekly health-score review")
    await choose(pilot, "impact_map-0-outcome", "Retention")
    await fill(pilot, "impact_map-0-how", "Risks are handled months before renewal")
    await pilot.press("ctrl+o")
    await pilot.pause()
    await type_text(pilot, "QBRs with sponsors")
    await choose(pilot, "impact_map-1-outcome", "Expansion")
    await fill(pilot, "impact_map-1-how", "Unmet needs surface as expansion talks")


async def choose_metrics(pilot) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, MetricsStep)
    selection = screen.query_one("#metric-list", SelectionList)
    assert pilot.app.focused is selection
    values = [selection.get_option_at_index(index).value for index in range(selection.option_count)]
    for metric_id in CSM_PLAN:
        selection.highlighted = values.index(metric_id)
        await pilot.press("space")
    await pilot.pause()


async def add_custom_metric(pilot) -> None:
    await pilot.press("ctrl+o")
    await pilot.pause()
    await type_text(pilot, "Executive sponsor coverage")
    await fill(pilot, "definition", "Accounts with a named, engaged executive sponsor")
    await fill(pilot, "data_source", "CRM contact roles")
    await fill(pilot, "unit", "%")
    await choose(pilot, "frequency", "quarterly")
    await choose(pilot, "kind", "leading")
    await choose(pilot, "direction", "higher")
    await choose(pilot, "outcome", "Retention")
    await pilot.press("ctrl+s")
    await pilot.pause()


async def fill_targets(pilot) -> None:
    assert isinstance(pilot.app.screen, TargetsStep)
    for metric_id, (baseline, target, weight) in CSM_PLAN.items():
        await fill(pilot, f"metrics-{metric_id}-baseline", baseline)
        await fill(pilot, f"metrics-{metric_id}-target", target)
        await fill(pilot, f"metrics-{metric_id}-weight", weight)
    custom = "metrics-custom_executive_sponsor_coverage"
    await fill(pilot, f"{custom}-baseline", "40")
    await fill(pilot, f"{custom}-target", "60")
    await fill(pilot, f"{custom}-weight", "25")
    pilot.app.screen.query_one("#metrics-gross_retention-target").focus()
    await pilot.press("ctrl+t")  # what is measured: the local variant
    await pilot.pause()
    await fill(pilot, "data_source", "Salesforce renewal report, Mid-Market view")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TargetsStep)


async def test_complete_alignment_session_is_saved_field_by_field(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    app = make_app(sessions, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await fill_participants(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await fill_impact_map(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await choose_metrics(pilot)
        await add_custom_metric(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await fill_targets(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, DevelopmentStep)  # optional in a plan: none agreed here
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        await pilot.press("ctrl+s")  # not yet confirmed: refused
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Plan agreed and saved" in str(app.screen.query_one("#flash").render())

    [record] = sessions.glob("*.toml")
    assert record.name.startswith("2026-07-01_alignment_ana-ruiz_")
    assert not list(drafts_dir(sessions).glob("*.toml")), "the draft is removed once the record is saved"
    session = load_session(record)
    assert session.kind == "alignment" and session.status == "agreed"
    assert session.created_at > START
    assert session.rubric.id == "customer-success-manager"
    people = session.participants
    assert (people.employee.name, people.employee.role, people.manager.name) == (
        "Ana Ruiz",
        "CSM, Mid-Market",
        "Bo Li",
    )
    assert [(p.name, p.function) for p in people.partners] == [("Priya Nair", "sales")]
    assert (session.period.label, str(session.period.start), str(session.period.end)) == (
        "2026 H2",
        "2026-07-01",
        "2026-12-31",
    )
    assert [(row.activity, row.outcome, row.how) for row in session.impact_map] == [
        ("Weekly health-score review", "retention", "Risks are handled months before renewal"),
        ("QBRs with sponsors", "expansion", "Unmet needs surface as expansion talks"),
    ]
    figures = {m.id: (m.baseline, m.target, m.weight) for m in session.metrics}
    assert figures == {
        "gross_retention": (Decimal(93), Decimal(96), 30),
        "at_risk_saves_count": (Decimal(3), Decimal(5), 15),
        "net_expansion_revenue": (Decimal(120000), Decimal(185000), 20),
        "at_risk_outreach": (Decimal(70), Decimal(90), 10),
        "custom_executive_sponsor_coverage": (Decimal(40), Decimal(60), 25),
    }
    retention = session.metric("gross_retention")
    assert retention.data_source == "Salesforce renewal report, Mid-Market view"  # the agreed local variant
    custom = session.metric("custom_executive_sponsor_coverage")
    assert custom.custom and custom.kind == "leading" and custom.outcome == "retention"
    assert [str(t) for t in custom.bands.thresholds] == ["80", "95", "105", "120"]
    assert [(s.name, s.role) for s in session.sign_offs] == [("Ana Ruiz", "employee"), ("Bo Li", "manager")]
    assert tomllib.loads(record.read_text())["status"] == "agreed"
    assert record.stat().st_mode & 0o777 == 0o600


async def test_home_never_shows_between_steps(tmp_path: Path) -> None:
    """The next step replaces the last one: the employee never sees home flash in between."""
    app = make_app(tmp_path / "sessions", Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        shown: list[str] = []
        app.screen_change_signal.subscribe(app, lambda screen: shown.append(type(screen).__name__))
        await pilot.press("n")
        await pilot.pause()
        await fill_participants(pilot)
        for _ in range(2):
            await pilot.press("ctrl+n")
            await pilot.pause()
            if isinstance(app.screen, ImpactMapStep):
                await fill_impact_map(pilot)
        await pilot.press("ctrl+b", "ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsStep)
        assert [type(screen).__name__ for screen in app.screen_stack] == [
            "Screen",
            "HomeScreen",
            "ParticipantsStep",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    steps = ["ParticipantsStep", "ImpactMapStep", "MetricsStep", "ImpactMapStep", "ParticipantsStep"]
    assert shown == [*steps, "HomeScreen"], shown

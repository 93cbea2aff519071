"""The alignment plan at 80x24 as a new user meets it (issue 11): Tab on the targets step, the local
variant form (frequency, revert to the rubric's text, scope), rules agreed with a written reason, and
step 3 read without colour."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, SelectionList, Static, TextArea

from factories import AGREE_STEP, csm_draft
from pilot_helpers import Clock, choose, fill, make_app, steady, type_text
from reviewtui.cli import main
from reviewtui.models.draft import AlignmentDraft
from reviewtui.plan.rules import draft_metric
from reviewtui.record.summary import record_json, record_markdown
from reviewtui.storage import bundled_rubrics_dir, load_rubric, load_session
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.more_panel import MorePanel
from reviewtui.ui.steps.agree import AgreeStep
from reviewtui.ui.steps.metrics import MetricChoices, MetricsStep
from reviewtui.ui.steps.targets import TargetsStep
from reviewtui.ui.steps.variant import VariantScreen
from reviewtui.ui.widgets import FieldError

CSM = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
NPS_REASON = "NPS covers the whole book this half; the cohort is chosen at the Q3 check-in"


def errors_on_screen(screen) -> dict[str, str]:
    return {error.key: str(error.render()) for error in screen.query(FieldError) if error.has_class("-shown")}


async def resume(pilot) -> None:
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    await steady(pilot)


def nps_draft(step: int, **nps_fields: str) -> AlignmentDraft:
    """The example plan with NPS instead of expansion: the NPS rule asks for a scope."""
    retention, saves, _, outreach = csm_draft().metrics
    nps = draft_metric(CSM.metric("nps")).model_copy(
        update={"baseline": "18", "target": "35", "weight": "25", **nps_fields}
    )
    return csm_draft(step, metrics=[retention, saves, outreach, nps])


async def open_variant(pilot, metric_id: str) -> VariantScreen:
    pilot.app.screen.query_one(f"#metrics-{metric_id}-target", Input).focus()
    await pilot.press("ctrl+t")
    await pilot.pause()
    await steady(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, VariantScreen)
    return screen


def variant_line(pilot, metric_id: str) -> str:
    return str(pilot.app.screen.query_one(f"#variant-{metric_id}", Static).render())


async def confirm_and_save(pilot) -> None:
    assert isinstance(pilot.app.screen, AgreeStep)
    pilot.app.screen.query_one("#employee_confirmed").focus()
    await pilot.press("space", "tab", "space", "ctrl+s")
    await pilot.pause()


# 1. Tab on the targets step --------------------------------------------------------


async def test_tab_goes_baseline_target_weight_then_the_next_metrics_baseline(tmp_path: Path) -> None:
    save_draft(csm_draft(3), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, TargetsStep)
        seen = [app.focused.id]
        for _ in range(6):
            await pilot.press("tab")
            seen.append(app.focused.id)
        assert seen == [
            "metrics-gross_retention-baseline",
            "metrics-gross_retention-target",
            "metrics-gross_retention-weight",
            "metrics-at_risk_saves_count-baseline",
            "metrics-at_risk_saves_count-target",
            "metrics-at_risk_saves_count-weight",
            "metrics-net_expansion_revenue-baseline",
        ]
        await pilot.press("shift+tab")
        assert app.focused.id == "metrics-at_risk_saves_count-weight"
        footer_keys = {binding.key for _, binding, *_ in app.screen.active_bindings.values()}
        assert "ctrl+t" in footer_keys


# 1. The variant form: frequency ----------------------------------------------------


async def test_a_frequency_changed_in_the_variant_lands_in_the_draft_and_the_agreed_record(
    tmp_path: Path,
) -> None:
    save_draft(csm_draft(3), tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert variant_line(pilot, "at_risk_outreach").startswith("As in the rubric, measured monthly")
        await open_variant(pilot, "at_risk_outreach")
        await choose(pilot, "frequency", "quarterly")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TargetsStep)
        assert variant_line(pilot, "at_risk_outreach").startswith(
            "Local frequency (quarterly; the rubric's: monthly)"
        )
        assert app.focused.id == "metrics-at_risk_outreach-target", "the focus goes back where it was"
        await pilot.press("ctrl+n", "ctrl+n")  # a step change saves the draft; past the development plan
        await pilot.pause()
        saved = load_draft(draft_path(tmp_path, "c0ffee00c0ffee00c0ffee00c0ffee00"))
        assert saved.metric("at_risk_outreach").frequency == "quarterly"
        assert "(leading, quarterly)" in str(app.screen.query_one("#plan", Static).render())
        await confirm_and_save(pilot)
        assert isinstance(app.screen, HomeScreen)
    [record] = tmp_path.glob("*_alignment_*.toml")
    assert load_session(record).metric("at_risk_outreach").frequency == "quarterly"


async def test_esc_leaves_the_variant_as_it_was(tmp_path: Path) -> None:
    save_draft(csm_draft(3), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await open_variant(pilot, "gross_retention")
        await fill(pilot, "data_source", "A spreadsheet")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TargetsStep)
        assert app.screen.collect().metric("gross_retention").data_source == "CRM renewal report (Salesforce)"


async def test_variant_errors_show_under_their_fields_and_keep_the_form_open(tmp_path: Path) -> None:
    save_draft(csm_draft(3), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        form = await open_variant(pilot, "gross_retention")
        form.query_one("#definition", TextArea).text = "  "
        await fill(pilot, "data_source", "")
        await fill(pilot, "thresholds", "101, 98, 94")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert errors_on_screen(form) == {
            "definition": "Keep a definition, so both read the figure the same way.",
            "data_source": "Say where the figure comes from.",
            "thresholds": "Give 4 rising numbers, separated by commas.",
        }
        await fill(pilot, "thresholds", "94, 98, 101, 103")  # errors clear as they are fixed
        assert "thresholds" not in errors_on_screen(form)


async def test_a_variant_that_does_not_hold_is_marked_on_the_metrics_line(tmp_path: Path) -> None:
    retention, *rest = csm_draft().metrics
    save_draft(csm_draft(3, metrics=[retention.model_copy(update={"thresholds": "90, 80"}), *rest]), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, TargetsStep)
        assert errors_on_screen(app.screen) == {
            "metrics.gross_retention.variant": "bands: Give 4 rising numbers, separated by commas. "
            "Ctrl+T opens the variant to fix it."
        }
        await open_variant(pilot, "gross_retention")
        await fill(pilot, "thresholds", "94, 98, 101, 103")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert errors_on_screen(app.screen) == {}
        await pilot.press("ctrl+n", "ctrl+n")  # targets, then the (optional) development plan
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)


# 2. Back to the rubric's text with one key -----------------------------------------


async def test_ctrl_r_puts_a_local_definition_and_source_back_to_the_rubrics(tmp_path: Path) -> None:
    retention, *rest = csm_draft().metrics
    local = retention.model_copy(
        update={"definition": "Renewed ARR over ARR due, Mid-Market only.", "data_source": "Team sheet"}
    )
    save_draft(csm_draft(3, metrics=[local, *rest]), tmp_path)
    catalog = CSM.metric("gross_retention")
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert variant_line(pilot, "gross_retention").startswith("Local definition and data source")
        form = await open_variant(pilot, "gross_retention")
        assert "Local" in str(form.query_one("#origin-data_source", Static).render())
        form.query_one("#data_source", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert form.query_one("#data_source", Input).value == catalog.data_source
        assert str(form.query_one("#origin-data_source", Static).render()) == "= the rubric's"
        form.query_one("#definition", TextArea).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert form.query_one("#definition", TextArea).text == catalog.definition
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert variant_line(pilot, "gross_retention").startswith("As in the rubric")
        await pilot.press("ctrl+q")  # saves the draft and quits
    saved = load_draft(draft_path(tmp_path, "c0ffee00c0ffee00c0ffee00c0ffee00"))
    kept = saved.metric("gross_retention")
    assert (kept.definition, kept.data_source) == (catalog.definition, catalog.data_source)


# 3. Rules agreed with a written reason ----------------------------------------------


async def test_a_plan_breaking_the_nps_rule_is_refused_without_a_reason_and_agreed_with_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_draft(nps_draft(AGREE_STEP), tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        await confirm_and_save(pilot)
        assert isinstance(app.screen, AgreeStep), "refused: no reason for the broken rule"
        assert errors_on_screen(app.screen) == {
            "reasons.rule-nps_scope": "Write why you agree the plan although it breaks this, or change the plan."
        }
        await fill(pilot, "reasons-rule-nps_scope", NPS_REASON)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = tmp_path.glob("*_alignment_*.toml")
    text = record.read_text(encoding="utf-8")
    assert '[[broken_rules]]\ncheck = "rule:nps_scope"' in text
    assert f'reason = "{NPS_REASON}"' in text
    session = load_session(record)
    [broken] = session.broken_rules
    assert broken.message.endswith("NPS (account or cohort) has no scope: set it to account or cohort.")
    markdown = record_markdown(session, CSM)
    assert "## Agreed against the checklist" in markdown
    assert f"**Reason:** {NPS_REASON}" in markdown
    data = json.loads(record_json(session, CSM))
    assert data["record"]["broken_rules"][0] == {
        "check": "rule:nps_scope",
        "message": broken.message,
        "reason": NPS_REASON,
    }
    assert main(["report", "--sessions", str(tmp_path)]) == 0
    report = " ".join(capsys.readouterr().out.split())  # the table wraps at 80 columns
    assert "Agreed plans that break a checklist rule (1)" in report
    assert f"reason: {NPS_REASON}" in report


async def test_a_reason_typed_is_kept_in_the_draft(tmp_path: Path) -> None:
    save_draft(nps_draft(AGREE_STEP), tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        app.screen.query_one("#reasons-rule-nps_scope", Input).focus()
        await type_text(pilot, "Cohort later")
        await pilot.press("ctrl+q")
    saved = load_draft(draft_path(tmp_path, "c0ffee00c0ffee00c0ffee00c0ffee00"))
    assert [(item.check, item.reason) for item in saved.rule_reasons] == [("rule:nps_scope", "Cohort later")]


async def test_a_scope_set_in_the_variant_satisfies_the_nps_rule(tmp_path: Path) -> None:
    save_draft(nps_draft(3), tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert "no scope yet (the rubric asks for account or cohort)" in variant_line(pilot, "nps")
        form = await open_variant(pilot, "nps")
        await choose(pilot, "scope", "cohort")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert errors_on_screen(form) == {
            "scope_name": "Say which cohort, e.g. the detractor accounts in the recovery program."
        }
        await fill(pilot, "scope_name", "the 14 detractor accounts in the recovery program")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TargetsStep)
        assert "scope cohort: the 14 detractor accounts" in variant_line(pilot, "nps")
        await pilot.press("ctrl+n", "ctrl+n")  # targets, then the (optional) development plan
        await pilot.pause()
        assert isinstance(app.screen, AgreeStep)
        assert not app.screen.query_one("#rule-reasons").display, "no rule is broken: no reason is asked"
        checks = str(app.screen.query_one("#agree-checks", Static).render())
        assert "Rule met: NPS (account or cohort) at cohort level." in checks
        await confirm_and_save(pilot)
        assert isinstance(app.screen, HomeScreen)
    [record] = tmp_path.glob("*_alignment_*.toml")
    nps = load_session(record).metric("nps")
    assert (nps.scope, nps.scope_name) == ("cohort", "the 14 detractor accounts in the recovery program")
    assert not load_session(record).broken_rules


# 4. Step 3 without colour, and texts that do not fit --------------------------------


def box_marks(choices: MetricChoices) -> dict[str, str]:
    """Each visible metric's box as drawn, in plain text: what a monochrome screen shows."""
    marks = {}
    for y in range(choices.scrollable_content_region.height):
        index = choices.scroll_offset.y + y
        if index < choices.option_count:
            marks[choices.get_option_at_index(index).value] = choices.render_line(y).text[:3]
    return marks


async def test_chosen_and_unchosen_metrics_differ_in_the_text_not_only_in_colour(tmp_path: Path) -> None:
    save_draft(csm_draft(2), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert isinstance(app.screen, MetricsStep)
        choices = app.screen.query_one("#metric-list", MetricChoices)
        marks = box_marks(choices)
        chosen = set(choices.selected)
        assert {value for value, mark in marks.items() if "✓" in mark} == chosen & set(marks)
        assert any("✓" not in mark for mark in marks.values()), "some unchosen metric is on screen"
        legend = str(app.screen.query_one("#metric-legend", Static).render())
        assert legend.startswith("4 chosen of 3–7 · ")
        assert "✓ chosen  ● serves an outcome on the map  ○ does not" in legend
        values = [choices.get_option_at_index(index).value for index in range(choices.option_count)]
        choices.highlighted = values.index("at_risk_saves_value")
        await pilot.press("space")
        await pilot.pause()
        assert "✓" in box_marks(choices)["at_risk_saves_value"]
        assert str(app.screen.query_one("#metric-legend", Static).render()).startswith("5 chosen of 3–7")


async def test_the_metric_details_scroll_and_say_there_is_more_at_80x24(tmp_path: Path) -> None:
    save_draft(csm_draft(2), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        panel = app.screen.query_one("#metric-details", MorePanel)
        for label in ("Source:", "Every:", "Kind:", "Unit:", "Serves:"):
            assert label in panel.text
        more = panel.query_one(".panel-more", Static)
        assert panel.has_class("-cut")
        assert str(more.render()).startswith("▼ ") and "Tab here" in str(more.render())
        await pilot.press("tab")
        scroll = panel.query_one(".panel-text")
        assert app.focused is scroll
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0
        assert str(more.render()) == "▲ end of the text · ↑ goes back up"
    # At 120x40 the same text fits: nothing to scroll, and Tab does not stop on the panel.
    async with make_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        panel = pilot.app.screen.query_one("#metric-details", MorePanel)
        assert not panel.has_class("-cut")
        await pilot.press("tab")
        assert pilot.app.focused is not panel.query_one(".panel-text")


async def test_the_role_description_says_there_is_more_when_cut(tmp_path: Path) -> None:
    save_draft(csm_draft(0), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        panel = app.screen.query_one("#rubric-about", MorePanel)
        assert CSM.title in panel.text
        assert panel.has_class("-cut")
        assert str(panel.query_one(".panel-more", Static).render()).startswith("▼ ")


async def test_the_metric_list_keeps_its_selection_type(tmp_path: Path) -> None:
    # Other code and tests find the list as a SelectionList: the subclass must stay one.
    save_draft(csm_draft(2), tmp_path)
    async with make_app(tmp_path).run_test(size=(80, 24)) as pilot:
        await resume(pilot)
        assert isinstance(pilot.app.screen.query_one("#metric-list"), SelectionList)


# Snapshots of the changed screens ---------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_variant_form_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    save_draft(nps_draft(3, frequency="monthly", scope="cohort"), tmp_path)

    async def open_form(pilot) -> None:
        await resume(pilot)
        await open_variant(pilot, "nps")

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_form)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_agree_step_with_a_broken_rule_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    save_draft(nps_draft(AGREE_STEP), tmp_path)

    async def to_reason(pilot) -> None:
        await resume(pilot)
        field = pilot.app.screen.query_one("#reasons-rule-nps_scope", Input)
        # Scrolled to without Textual's animated centring, whose race with the block's heading
        # scroll made the picture depend on the machine's speed.
        field.focus(scroll_visible=False)
        await pilot.pause()
        pilot.app.screen.query_one("#step-body").scroll_to_widget(field, animate=False)
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=to_reason)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_targets_step_with_a_local_variant_snapshot(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    save_draft(nps_draft(3, frequency="monthly", definition="NPS of the detractor cohort only."), tmp_path)
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=resume)


async def test_the_team_view_lists_agreed_plans_that_break_a_rule(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    from reviewtui.storage import save_session
    from reviewtui.ui.team import TeamScreen

    plan = load_session(
        Path(__file__).parent.parent
        / "src/reviewtui/examples"
        / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    )
    broken = {"check": "rule:nps_scope", "message": "State the scope.", "reason": NPS_REASON}
    save_session(plan.model_validate({**plan.model_dump(), "broken_rules": [broken]}), tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        app.push_screen(TeamScreen(app.sessions_dir, app.catalog))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query(DataTable).last()
        assert table.get_row_at(0)[2:] == ["rule:nps_scope", NPS_REASON]

"""Wide text in every field: CJK, emoji with joiners, combining accents, Arabic and Hebrew.

Every Input and TextArea of every step (the alignment session, the review sections, the
check-in steps, and the custom metric form) is typed into key by key, as a terminal sends
it, then edited in the middle: Home, End, Left, Right, Backspace and Delete. The widget
then holds exactly what a model of those edits gives, the draft saved with Ctrl+Q holds
the same text field by field, and the screen still renders. Whole flows carry wide text
through to the saved record. Snapshots show a step filled with wide text at 80x24 and
120x40.

Cursor keys move by code point, as Textual's widgets do (textual#4694: grapheme clusters
are not segmented), so the edits here step over one-code-point characters only; joiner
sequences and combining marks are typed whole and kept whole.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, TextArea

from factories import EXAMPLE_PLAN, csm_checkin_draft, csm_draft, csm_review_draft
from pilot_helpers import Clock, make_app, steady
from reviewtui.models.draft import ALIGNMENT_STEPS, CHECKIN_STEPS, REVIEW_SECTIONS, DraftObjective
from reviewtui.storage import load_session
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.steps.base import StepScreen

ROOT = Path(__file__).parent.parent
ZWJ_CODER = "👩\u200d💻"  # woman technologist: three code points, one glyph
PERSIAN = "می\u200cخواهم"  # "I want": a zero-width non-joiner keeps the two words apart
ACCENTED = "e\u0301"  # é as e and a combining acute accent
RED_HEART = "❤\ufe0f"  # with the emoji variation selector

# Typed, then edited in the middle. ("type", text) sends each code point as its own key,
# as a terminal does; ("key", name) presses a key.
FULL_SCRIPT = [
    ("type", f"山田太郎 {ZWJ_CODER} {ACCENTED} "),
    ("key", "home"),
    ("type", "مرحبا "),
    ("key", "end"),
    ("type", "שלום X"),
    ("key", "left"),
    ("key", "backspace"),  # the space before X
    ("key", "home"),
    ("key", "right"),
    ("key", "right"),
    ("key", "delete"),  # the ح of مرحبا
    ("key", "end"),
    ("type", f" {RED_HEART}🇺🇦 {PERSIAN}"),
]
# For figures with a short limit (weights take 3 characters, dates 10, targets 24).
SHORT_SCRIPT = [
    ("type", "山田"),
    ("key", "home"),
    ("type", "ש"),
    ("key", "right"),
    ("key", "backspace"),  # 山
    ("key", "end"),
    ("type", "太"),
]


@dataclass
class Model:
    """What a one-line (or multi-line) text field holds after keys, counted in code points."""

    text: str = ""
    cursor: int = 0
    max_length: int = 0

    def line_start(self) -> int:
        return self.text.rfind("\n", 0, self.cursor) + 1

    def line_end(self) -> int:
        end = self.text.find("\n", self.cursor)
        return len(self.text) if end < 0 else end

    def apply(self, kind: str, value: str) -> None:
        if kind == "type":
            for char in value:
                new = self.text[: self.cursor] + char + self.text[self.cursor :]
                if not self.max_length or len(new) <= self.max_length:
                    self.text, self.cursor = new, self.cursor + 1
            return
        if value == "home":
            self.cursor = self.line_start()
        elif value == "end":
            self.cursor = self.line_end()
        elif value == "left":
            self.cursor = max(0, self.cursor - 1)
        elif value == "right":
            self.cursor = min(len(self.text), self.cursor + 1)
        elif value == "backspace" and self.cursor:
            self.text = self.text[: self.cursor - 1] + self.text[self.cursor :]
            self.cursor -= 1
        elif value == "delete":
            self.text = self.text[: self.cursor] + self.text[self.cursor + 1 :]


def key_events(kind: str, value: str) -> list[events.Key]:
    """The key events a terminal's input parser makes: one per typed code point, or a named key."""
    if kind == "key":
        return [events.Key(value, None)]
    return [
        events.Key("enter", "\r")
        if char == "\n"
        else events.Key("space" if char == " " else _character_to_key(char), char)
        for char in value
    ]


async def send(pilot, script: list[tuple[str, str]]) -> None:
    """Post the script's keys in order, as they would arrive from the terminal, then let them land."""
    for kind, value in script:
        for event in key_events(kind, value):
            event.set_sender(pilot.app)
            pilot.app.post_message(event)
    await pilot.pause()


async def type_keys(pilot, text: str) -> None:
    await send(pilot, [("type", text)])


async def run_script(pilot, widget: Input | TextArea, script: list[tuple[str, str]]) -> str:
    """Focus the field, empty it, play the script; the text the model says it must hold."""
    widget.focus()
    widget.clear()
    await pilot.pause()
    model = Model(max_length=widget.max_length if isinstance(widget, Input) else 0)
    for kind, value in script:
        model.apply(kind, value)
    await send(pilot, script)
    return model.text


def text_fields(screen) -> list[Input | TextArea]:
    return [
        widget
        for widget in screen.query("Input, TextArea")
        if isinstance(widget, (Input, TextArea)) and widget.focusable and widget.id
    ]


def script_for(widget: Input | TextArea) -> list[tuple[str, str]]:
    limit = widget.max_length if isinstance(widget, Input) else 0
    return FULL_SCRIPT if not limit or limit >= 64 else SHORT_SCRIPT


def value_of(widget: Input | TextArea) -> str:
    return widget.value if isinstance(widget, Input) else widget.text


def draft_value(draft: Any, widget_id: str) -> str:
    """The draft's value for a widget id: `employee_name`, `partners-0-name`, `results-nps-actual`."""
    parts = widget_id.split("-")
    if len(parts) == 1:
        return getattr(draft, parts[0])
    field, which, attribute = parts
    rows = getattr(draft, field)
    if which.isdigit():
        return getattr(rows[int(which)], attribute)
    [row] = [r for r in rows if which in (getattr(r, n, None) for n in ("id", "metric", "competency"))]
    return getattr(row, attribute)


async def fill_every_field(pilot) -> dict[str, str]:
    """Every text field of the step on screen, typed and edited; what each must now hold."""
    expected = {}
    for widget in text_fields(pilot.app.screen):
        expected[widget.id] = await run_script(pilot, widget, script_for(widget))
        assert value_of(widget) == expected[widget.id], widget.id
        assert pilot.app.focused is widget
    return expected


async def resume(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StepScreen)


STEPS = [
    *(("alignment", step) for step in range(len(ALIGNMENT_STEPS))),
    *(("review", step) for step in range(1 + len(REVIEW_SECTIONS))),  # the agenda first
    *(("check-in", step) for step in range(len(CHECKIN_STEPS))),
]
WITHOUT_TEXT = {"sign_off", "metrics"}  # confirmations and choices only


OBJECTIVES = [DraftObjective(id="0bec7170bec7", objective="Coach", owner="Ana Ruiz", due="2026-12-15")]
"""A development plan, so that the plan's and the check-in's development steps have fields to type in."""


def draft_at(flow: str, step: int):
    if flow == "alignment":
        return csm_draft(step, objectives=OBJECTIVES)
    if flow == "review":
        return csm_review_draft(step)
    return csm_checkin_draft(step).model_copy(update={"objectives": OBJECTIVES})


@pytest.mark.parametrize(("flow", "step"), STEPS, ids=[f"{flow}-{step}" for flow, step in STEPS])
async def test_every_text_field_takes_wide_text_and_the_draft_keeps_it(
    tmp_path: Path, flow: str, step: int
) -> None:
    draft = draft_at(flow, step)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        screen = pilot.app.screen
        fields = text_fields(screen)
        if screen.KEY in WITHOUT_TEXT:
            assert not fields, f"{screen.KEY} has text fields: cover them"
            return
        assert fields
        expected = await fill_every_field(pilot)
        assert pilot.app.screen is screen
        if any(script_for(field) is FULL_SCRIPT for field in fields):  # the short script has no 山
            assert "山" in app.export_screenshot()
        await pilot.press("ctrl+q")
    saved = load_draft(draft_path(tmp_path, draft.id))
    assert {key: draft_value(saved, key) for key in expected} == expected


async def test_the_custom_metric_form_takes_wide_text(tmp_path: Path) -> None:
    from textual.widgets import Select

    from reviewtui.ui.custom_metric import CustomMetricScreen

    draft = csm_draft(2)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, CustomMetricScreen)
        expected = {}
        for widget in text_fields(form):
            if widget.id != "thresholds":
                expected[widget.id] = await run_script(pilot, widget, FULL_SCRIPT)
                assert value_of(widget) == expected[widget.id]
        for select_id in ("frequency", "kind", "direction", "outcome"):
            select = form.query_one(f"#{select_id}", Select)
            select.value = select._options[1][1]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, StepScreen)
        await pilot.press("ctrl+q")
    saved = load_draft(draft_path(tmp_path, draft.id))
    [custom] = [metric for metric in saved.metrics if metric.custom]
    assert custom.id.startswith("custom_")
    assert {key: getattr(custom, key) for key in expected} == expected


# Whole flows: wide text reaches the saved record unchanged.


async def retype(pilot, field_id: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{field_id}")
    assert isinstance(widget, (Input, TextArea))
    widget.focus()
    await pilot.pause()
    widget.clear()
    await type_keys(pilot, text)
    assert value_of(widget) == text


NAME = f"山田太郎 {ACCENTED}"
TEXTS = {
    "employee_name": NAME,
    "job_title": f"مدير نجاح العملاء {ZWJ_CODER}",
    "manager_name": "שרה כהן",
    "partners-0-name": f"Zoë {RED_HEART} 🇺🇦",
    "partners-0-function": PERSIAN,
    "period_label": "２０２６年 下期",
}


async def test_an_alignment_with_wide_text_is_agreed_and_saved_as_typed(tmp_path: Path) -> None:
    draft = csm_draft(0)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        for field_id, text in TEXTS.items():
            await retype(pilot, field_id, text)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await retype(pilot, "impact_map-0-activity", f"健康スコアの確認 {ZWJ_CODER}")
        await retype(pilot, "impact_map-0-how", f"العملاء {ACCENTED} שלום")
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        await retype(pilot, "metrics-gross_retention-target", "96")
        await pilot.press("ctrl+t")  # the variant form: what is measured
        await pilot.pause()
        await retype(pilot, "data_source", f"CRM 報告 {RED_HEART}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+n")  # past the development step: optional in a plan
        await pilot.pause()
        pilot.app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
    [record] = tmp_path.glob("*_alignment_*.toml")
    session = load_session(record)
    people = session.participants
    assert people.employee.name == NAME and people.manager.name == TEXTS["manager_name"]
    assert people.employee.role == TEXTS["job_title"]
    assert (people.partners[0].name, people.partners[0].function) == (
        TEXTS["partners-0-name"],
        TEXTS["partners-0-function"],
    )
    assert session.period.label == TEXTS["period_label"]
    assert session.impact_map[0].activity == f"健康スコアの確認 {ZWJ_CODER}"
    assert session.impact_map[0].how == f"العملاء {ACCENTED} שלום"
    assert session.metric("gross_retention").data_source == f"CRM 報告 {RED_HEART}"
    assert session.sign_offs[0].name == NAME


async def test_a_review_with_wide_text_is_signed_and_saved_as_typed(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("employee_reading"))
    save_draft(draft, tmp_path)
    reading = f"山田: 留任率は維持 {ZWJ_CODER}\nمرحبا {ACCENTED}\n{PERSIAN} {RED_HEART}"
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        area = pilot.app.screen.query_one("#reading", TextArea)
        expected = await run_script(pilot, area, [("type", reading), ("key", "end"), ("type", " שלום")])
        assert area.text == expected == reading + " שלום"
        await pilot.press("ctrl+n")
        await pilot.pause()
        pilot.app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
    [review] = tmp_path.glob("*_review_*.toml")
    assert load_session(review).employee_reading.reading == expected


async def test_a_check_in_with_wide_text_is_recorded_as_typed(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    draft = csm_checkin_draft(1)  # the figures, after the agenda
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await retype(pilot, "results-gross_retention-note", f"二社が解約 {ZWJ_CODER} {ACCENTED}")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await retype(pilot, "changes-nps-reason", f"مورد جديد {PERSIAN}")
        await pilot.press("ctrl+n", "ctrl+n")  # past the development step: the objectives as they were
        await pilot.pause()
        await retype(pilot, "actions-0-text", f"Contoso 役員との電話 {RED_HEART}")
        await retype(pilot, "actions-0-owner", "אנה רואיס")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
    [checkin] = tmp_path.glob("*_check-in_*.toml")
    session = load_session(checkin)
    assert session.metric("gross_retention").actuals[-1].note == f"二社が解約 {ZWJ_CODER} {ACCENTED}"
    assert session.adjustments[-1].reason == f"مورد جديد {PERSIAN}"
    assert (session.actions[0].text, session.actions[0].owner) == (
        f"Contoso 役員との電話 {RED_HEART}",
        "אנה רואיס",
    )


# Snapshots of steps filled with wide text.


def wide_participants():
    from reviewtui.models.draft import DraftPartner

    return csm_draft(
        0,
        employee_name=NAME,
        job_title=TEXTS["job_title"],
        manager_name=TEXTS["manager_name"],
        partners=[DraftPartner(name=TEXTS["partners-0-name"], function=TEXTS["partners-0-function"])],
        period_label=TEXTS["period_label"] + " " + "山" * 60,  # wider than the field at 80 columns
    )


def wide_reading():
    return csm_review_draft(
        1 + REVIEW_SECTIONS.index("employee_reading"),
        reading=f"山田: 留任率は維持 {ZWJ_CODER}\nمرحبا {ACCENTED} שלום\n" + "長い行 " * 40,
        comments=f"{PERSIAN} {RED_HEART} 🇺🇦",
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("make", [wide_participants, wide_reading], ids=["participants", "reading"])
def test_wide_text_snapshot(snap_compare, tmp_path: Path, make, size: tuple[int, int]) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    save_draft(make(), tmp_path)

    async def open_step(pilot) -> None:
        await resume(pilot)
        await pilot.press("end")  # the cursor after the last wide character
        await steady(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_step)


async def test_a_reason_typed_before_its_change_is_kept(tmp_path: Path) -> None:
    draft = csm_checkin_draft(2)  # targets and weights
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await retype(pilot, "changes-gross_retention-reason", "القيمة تتغير قريبًا")  # target not changed yet
        await retype(pilot, "metrics-gross_retention-target", "9")  # on its way to 97: a change, for now
        await retype(pilot, "metrics-gross_retention-target", "96")  # back as it was: no change
        await pilot.press("ctrl+q")
    saved = load_draft(draft_path(tmp_path, draft.id))
    assert draft_value(saved, "changes-gross_retention-reason") == "القيمة تتغير قريبًا"


@pytest.mark.parametrize("weight", ["²", "①"])
async def test_a_digit_that_is_not_decimal_in_a_weight(tmp_path: Path, weight: str) -> None:
    draft = csm_draft(3)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        await retype(pilot, "metrics-gross_retention-weight", weight)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Type a whole number from 0 to 100." in str(
            pilot.app.screen.query_one("#err-metrics-gross_retention-weight").render()
        )
    assert app.return_code in (None, 0)


# 10,000 characters fit in a field; more than a draft keeps is refused, and said so.


async def paste(pilot, widget: Input | TextArea, text: str) -> None:
    widget.focus()
    await pilot.pause()
    widget.post_message(events.Paste(text))
    await pilot.pause()


async def test_a_paste_of_10000_wide_characters_is_kept_and_one_too_long_is_refused(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    long_text = ("山田 " + ZWJ_CODER + " مرحبا ") * 800
    assert len(long_text) > 10_000
    too_long = "CONFIDENTIAL " + "x" * 20_000
    draft = csm_draft(1)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        how = pilot.app.screen.query_one("#impact_map-0-how", Input)
        how.clear()
        await paste(pilot, how, long_text)
        assert how.value == long_text
        activity = pilot.app.screen.query_one("#impact_map-0-activity", Input)
        before = activity.value
        await paste(pilot, activity, too_long)  # used to crash the step: the row refused it
        assert activity.value == before
        await paste(pilot, how, too_long)
        assert how.value == long_text
        assert pilot.app.screen.query_one("#impact_map-1-how", Input)  # still on the step, alive
        await pilot.press("ctrl+q")
    assert app.return_code in (None, 0)
    saved = load_draft(draft_path(tmp_path, draft.id))
    assert saved.impact_map[0].how == long_text


async def test_the_employees_reading_refuses_more_than_a_draft_keeps(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("employee_reading"), reading="")
    save_draft(draft, tmp_path)
    notes: list[str] = []
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        original = app.notify
        app.notify = lambda message, *a, **k: (notes.append(message), original(message, *a, **k))[1]  # type: ignore[method-assign]
        await resume(pilot)
        area = pilot.app.screen.query_one("#reading", TextArea)
        await paste(pilot, area, "山" * 19_999)
        await type_keys(pilot, "田X")  # the last character that fits, then one too many
        assert area.text == "山" * 19_999 + "田"
        await paste(pilot, area, "CONFIDENTIAL")
        assert area.text == "山" * 19_999 + "田"
        await pilot.press("ctrl+q")
    assert load_draft(draft_path(tmp_path, draft.id)).reading == "山" * 19_999 + "田"
    assert any("at most 20,000 characters" in note for note in notes)
    assert not any("CONFIDENTIAL" in note for note in notes)


ONE_LINE_FIELDS = [  # fields that become a name, title or account of the record: 200 characters
    ("review", "customer_feedback", "feedback-0-account"),
    ("review", "examples", "examples-0-title"),
    ("review", "examples", "examples-0-account"),
    ("review", "accomplishments", "bullets-0-action"),
    ("review", "accomplishments", "bullets-0-subject"),
    ("review", "development", "objectives-0-objective"),
    ("review", "development", "objectives-0-owner"),
    ("review", "metric_results", "results-nps-data_source"),
    ("check-in", "checkin_actuals", "results-nps-data_source"),
    ("check-in", "checkin_actions", "actions-0-text"),
    ("check-in", "checkin_actions", "actions-0-owner"),
]


@pytest.mark.parametrize(("flow", "section", "field_id"), ONE_LINE_FIELDS)
async def test_a_one_line_field_takes_what_its_record_keeps(
    tmp_path: Path, flow: str, section: str, field_id: str
) -> None:
    # Longer text passed every check of the step, then the record refused it at Ctrl+S with
    # pydantic's message, which quotes the text (see the report about ui/app.py).
    from reviewtui.models.draft import CHECKIN_STEPS

    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    steps = ("agenda", *REVIEW_SECTIONS) if flow == "review" else CHECKIN_STEPS
    draft = draft_at(flow, steps.index(section))
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await resume(pilot)
        if not pilot.app.screen.query(f"#{field_id}"):
            await pilot.press("ctrl+o")
            await pilot.pause()
        field = pilot.app.screen.query_one(f"#{field_id}", Input)
        field.clear()
        await paste(pilot, field, "山" * 201)
        assert field.value == ""
        await paste(pilot, field, "山" * 200)
        assert field.value == "山" * 200

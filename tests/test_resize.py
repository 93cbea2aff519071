"""Resizing the terminal in the middle of typing loses nothing.

In every step of the alignment session, the review and the check-in, text is typed into
a field while the terminal is resized: keys and resizes arrive together, down to 40x12 and
12x4, up to 200x60, and back. The field keeps every character in the order typed, the
cursor where it was, and the focus; the step stays on screen; the draft saved by the
autosave and by Ctrl+Q holds the text. Steps without text (choosing metrics, confirming)
keep their choices and focus through the same resizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.geometry import Size
from textual.widgets import Checkbox, Input, SelectionList, TextArea

from pilot_helpers import Clock, make_app
from reviewtui.session.driver import AUTOSAVE_SECONDS
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from test_wide_text import (
    STEPS,
    WITHOUT_TEXT,
    ZWJ_CODER,
    Model,
    draft_at,
    draft_value,
    key_events,
    resume,
    text_fields,
    value_of,
)

SMALL, TINY, LARGE, USUAL = (40, 12), (12, 4), (200, 60), (80, 24)
START = (120, 40)

# Typing with resizes in between: ("type", text), ("key", name) or ("resize", (w, h)).
SCRIPT = [
    ("type", "山田 "),
    ("resize", SMALL),
    ("type", f"{ZWJ_CODER} "),
    ("resize", LARGE),
    ("type", "مرحبا"),
    ("key", "home"),
    ("resize", TINY),
    ("type", "X"),
    ("resize", USUAL),
    ("key", "end"),
    ("type", " שלום"),
    ("resize", START),
]
SHORT_SCRIPT = [  # for figures of a few characters
    ("type", "1"),
    ("resize", SMALL),
    ("type", "2"),
    ("resize", LARGE),
    ("key", "home"),
    ("resize", TINY),
    ("type", "9"),
    ("resize", START),
]


def resize_event(pilot, size: tuple[int, int]) -> events.Resize:
    """What the driver sends when the terminal changes size (the headless driver learns it too)."""
    pilot.app._driver._size = Size(*size)
    return events.Resize(Size(*size), Size(*size))


async def play(pilot, script: list[tuple[str, object]]) -> None:
    """Post every key and resize in order without waiting, as a busy terminal delivers them."""
    for kind, value in script:
        posted = [resize_event(pilot, value)] if kind == "resize" else key_events(kind, value)  # type: ignore[arg-type]
        for event in posted:
            event.set_sender(pilot.app)
            pilot.app.post_message(event)
    await pilot.pause()
    await pilot.pause()


def model_for(widget: Input | TextArea) -> Model:
    return Model(max_length=getattr(widget, "max_length", 0) or 0)


def follow(model: Model, script: list[tuple[str, object]]) -> str:
    """The model after the script's keys (resizes change no text)."""
    for kind, value in script:
        if kind != "resize":
            model.apply(kind, value)  # type: ignore[arg-type]
    return model.text


def script_for(widget: Input | TextArea) -> list[tuple[str, object]]:
    limit = widget.max_length if isinstance(widget, Input) else 0
    return SCRIPT if not limit or limit >= 64 else SHORT_SCRIPT


async def type_while_resizing(pilot, widget: Input | TextArea, model: Model) -> str:
    widget.focus()
    widget.clear()
    await pilot.pause()
    script = script_for(widget)
    await play(pilot, script)
    return follow(model, script)


@pytest.mark.parametrize(("flow", "step"), STEPS, ids=[f"{flow}-{step}" for flow, step in STEPS])
async def test_resizing_while_typing_loses_nothing(tmp_path: Path, flow: str, step: int) -> None:
    draft = draft_at(flow, step)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=START) as pilot:
        await resume(pilot)
        screen = pilot.app.screen
        if screen.KEY in WITHOUT_TEXT:
            await keep_choices_through_resizes(pilot)
            return
        fields = text_fields(screen)
        chosen = list(dict.fromkeys([fields[0], fields[len(fields) // 2], fields[-1]]))
        expected, models = {}, {widget.id: model_for(widget) for widget in chosen}
        for widget in chosen:
            expected[widget.id] = await type_while_resizing(pilot, widget, models[widget.id])
            assert value_of(widget) == expected[widget.id], widget.id
            assert pilot.app.focused is widget, "the focus stays in the field"
            assert pilot.app.screen is screen and pilot.app.size == Size(*START)

        await pilot.pause(AUTOSAVE_SECONDS + 0.5)  # the autosave, with no key pressed since
        autosaved = load_draft(draft_path(tmp_path, draft.id))
        assert {key: draft_value(autosaved, key) for key in expected} == expected

        last = chosen[-1]
        more = [("resize", TINY), ("type", "Z"), ("resize", LARGE)]
        await play(pilot, more)
        expected[last.id] = follow(models[last.id], more)
        assert value_of(last) == expected[last.id]
        await pilot.press("ctrl+q")
    assert app.return_code in (None, 0)
    saved = load_draft(draft_path(tmp_path, draft.id))
    assert {key: draft_value(saved, key) for key in expected} == expected


async def keep_choices_through_resizes(pilot) -> None:
    """On a step of choices and confirmations: what is chosen and the focus survive the resizes."""
    screen = pilot.app.screen
    lists = list(screen.query(SelectionList))
    boxes = [box for box in screen.query(Checkbox) if box.focusable]
    if lists:
        [choices] = lists
        choices.focus()
        before = list(choices.selected)
        choices.highlighted = choices.option_count - 1
        await play(pilot, [("resize", SMALL), ("key", "space"), ("resize", TINY), ("resize", LARGE)])
        changed = set(choices.selected) ^ set(before)
        assert len(changed) == 1, "the space landed on the highlighted metric"
        assert pilot.app.focused is choices
    elif not boxes:  # a check-in's last step: the record to read, scrolled by the arrows
        focused = pilot.app.focused
        assert focused is not None
        await play(pilot, [("resize", TINY), ("key", "down"), ("resize", LARGE), ("resize", SMALL)])
        assert pilot.app.focused is focused
    else:
        boxes[0].focus()
        await pilot.pause()
        ticked = boxes[0].value
        await play(pilot, [("resize", TINY), ("key", "space"), ("resize", LARGE), ("resize", SMALL)])
        assert boxes[0].value is not ticked
        assert pilot.app.focused is boxes[0]
    await play(pilot, [("resize", START)])
    assert pilot.app.screen is screen


async def test_resizing_while_the_custom_metric_form_is_open(tmp_path: Path) -> None:
    from reviewtui.ui.custom_metric import CustomMetricScreen

    draft = draft_at("alignment", 2)
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=START) as pilot:
        await resume(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, CustomMetricScreen)
        name = form.query_one("#name", Input)
        expected = await type_while_resizing(pilot, name, model_for(name))
        assert name.value == expected and pilot.app.focused is name
        assert pilot.app.screen is form


@pytest.mark.parametrize("size", [(1, 1), (3, 2), (500, 200)])
async def test_extreme_sizes_keep_the_text_and_the_focus(tmp_path: Path, size: tuple[int, int]) -> None:
    draft = draft_at("review", 9)  # the employee's reading (after the agenda): a TextArea
    save_draft(draft, tmp_path)
    app = make_app(tmp_path, Clock())
    async with app.run_test(size=START) as pilot:
        await resume(pilot)
        area = pilot.app.screen.query_one("#reading", TextArea)
        area.focus()
        await pilot.press("end")
        start = area.text
        script = [("type", "A"), ("resize", size), ("type", "\n山田"), ("resize", START), ("type", "!")]
        await play(pilot, script)
        model = Model(text=start, cursor=start.find("\n") if "\n" in start else len(start))
        assert area.text == follow(model, script)
        assert pilot.app.focused is area
        await pilot.press("ctrl+q")
    assert load_draft(draft_path(tmp_path, draft.id)).reading == model.text

"""Keystroke to screen update in the targets step (alignment step 4) with 10 metrics.

The real app runs headless (`App.run_test`, 80x24) on a draft saved at the targets step
with the customer success manager rubric's 10 metrics; Enter on the home screen resumes
it, as a user would. Characters are typed into the first metric's target field with
`Pilot.press`, one at a time, `--gap` seconds apart (a fast typist). For each keystroke:
- "visible": from sending the key to the first compositor update (`App._display`) in
  which the field has been painted with the new character (a hook on `Input.render_line`
  notes the value it painted);
- "settled": to the last compositor update before the app is idle again (after the
  weight total, the draft and the status line have caught up).
The baseline is the same keystroke into a plain `Input` in a minimal app. Rounds alternate
between the two apps, each round a fresh app that types a few unmeasured characters first.
Headless, so the time to turn the update into terminal bytes is not included (it is the
same for both apps, and proportional to what changed).

    .venv/bin/python benchmarks/keystroke.py [--repeat 6] [--keys 25] [--gap 0.06]

Goal: reviewtui's median "settled" time below 16 ms (one frame at 60 Hz).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

from _common import Row, median, percentile, verdict
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input

from reviewtui.models import new_session_id
from reviewtui.models.draft import AlignmentDraft
from reviewtui.plan.rules import draft_metric
from reviewtui.storage import discover_rubrics
from reviewtui.storage.drafts import save_draft
from reviewtui.ui.app import ReviewApp
from reviewtui.ui.steps.targets import TargetsStep

GOAL_MS = 16.0
WARM_UP = 3
QUIET = 0.05
RUBRIC = "customer-success-manager"


class Frames:
    """Times of the compositor updates an app sends to its (headless) terminal."""

    def __init__(self) -> None:
        self.times: list[tuple[float, str | None]] = []

    def note(self, app: App) -> None:
        focused = app.focused
        self.times.append((time.perf_counter(), getattr(focused, "_painted_value", None)))


_render_line = Input.render_line


def _noting_render_line(self: Input, y: int):
    self._painted_value = self.value  # type: ignore[attr-defined]
    return _render_line(self, y)


Input.render_line = _noting_render_line  # type: ignore[method-assign]


def _displaying(base: type[App]) -> type[App]:
    class Measured(base):  # type: ignore[valid-type, misc]
        frames = Frames()

        autosaved_at: float | None = None

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None and not self._batch_count:
                self.frames.note(self)

        def save_draft_now(self) -> bool:  # reviewtui's autosave
            self.autosaved_at = self.autosaved_at or time.perf_counter()
            return super().save_draft_now()  # type: ignore[misc]

    return Measured


class MinimalInput(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="field")
        yield Footer()


def targets_draft(sessions: Path) -> None:
    """A draft at the targets step with the rubric's 10 metrics, saved where the app finds it."""
    rubric = discover_rubrics().get(RUBRIC).rubric
    now = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)
    draft = AlignmentDraft(
        id=new_session_id(),
        created_at=now,
        updated_at=now,
        step=3,
        rubric_id=RUBRIC,
        employee_name="Ana Ruiz",
        manager_name="Bo Li",
        period_label="2026 H2",
        period_start="2026-07-01",
        period_end="2026-12-31",
        metrics=[draft_metric(metric) for metric in rubric.metrics],
    )
    assert len(draft.metrics) == 10
    save_draft(draft, sessions)


async def _type(app: App, pilot, field: Input, count: int, gap: float) -> list[tuple[float, float]]:
    """Type `count` digits into `field`; (visible, settled) seconds for each."""
    frames: Frames = app.frames  # type: ignore[attr-defined]
    results = []
    for number in range(count):
        if len(field.value) >= 20:  # the target field takes 24 characters
            field.value = ""
        await pilot.pause()  # nothing left over from the keystroke before
        await asyncio.sleep(gap)
        char = str(number % 10)
        expected = field.value + char
        frames.times.clear()
        app.autosaved_at = None  # type: ignore[attr-defined]
        start = time.perf_counter()
        # What the terminal driver does with a key (Pilot.press would also make every widget
        # answer a callback before returning, which would land in the measured time).
        key = events.Key(char, char)
        key.set_sender(app)
        app._driver.send_message(key)
        while True:  # settled: no new frame for QUIET seconds
            await asyncio.sleep(0.001)
            last = frames.times[-1][0] if frames.times else start
            seen = any(value == expected for _, value in frames.times)
            if (seen and time.perf_counter() - last > QUIET) or time.perf_counter() - start > 5:
                break
        # An autosave (every second while typing) repaints the header on its own: not this key's.
        until = app.autosaved_at or time.perf_counter()  # type: ignore[attr-defined]
        visible = next(at for at, value in frames.times if value == expected)
        settled = max([at for at, _ in frames.times if at <= until] or [visible])
        results.append((visible - start, max(settled, visible) - start))
    return results


async def round_minimal(keys: int, gap: float) -> list[tuple[float, float]]:
    app = _displaying(MinimalInput)()
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.query_one(Input)
        field.cursor_blink = False  # a blinking cursor repaints on its own
        field.focus()
        await pilot.pause()
        await _type(app, pilot, field, WARM_UP, gap)
        return await _type(app, pilot, field, keys, gap)


async def round_reviewtui(keys: int, gap: float) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as scratch:
        sessions = Path(scratch) / "sessions"
        targets_draft(sessions)
        app = _displaying(ReviewApp)(sessions, discover_rubrics())
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")  # the draft is highlighted: resume it
            await pilot.pause()
            assert isinstance(app.screen, TargetsStep), app.screen
            field = app.screen.query_one(f"#metrics-{app.draft.metrics[0].id}-target", Input)
            field.cursor_blink = False
            field.focus()
            await pilot.pause()
            await _type(app, pilot, field, WARM_UP, gap)
            return await _type(app, pilot, field, keys, gap)


def _line(values: list[float]) -> str:
    ms = [value * 1000 for value in values]
    return f"median {median(ms):6.2f} ms, p95 {percentile(ms, 0.95):6.2f} ms"


async def _measure(repeat: int, keys: int, gap: float) -> list[Row]:
    runs: dict[str, list[tuple[float, float]]] = {"minimal": [], "reviewtui": []}
    for _ in range(repeat):
        runs["minimal"] += await round_minimal(keys, gap)
        runs["reviewtui"] += await round_reviewtui(keys, gap)
    print(f"keystroke to screen update, {repeat} x {keys} keystrokes per app (headless, 80x24)")
    for name, label in (
        ("minimal", "minimal app, plain Input"),
        ("reviewtui", "reviewtui targets step, 10 metrics"),
    ):
        print(f"  {label}")
        print(f"    visible: {_line([visible for visible, _ in runs[name]])}")
        print(f"    settled: {_line([settled for _, settled in runs[name]])}")
    ours = median([settled for _, settled in runs["reviewtui"]]) * 1000
    base = median([settled for _, settled in runs["minimal"]]) * 1000
    ours_visible = median([visible for visible, _ in runs["reviewtui"]]) * 1000
    base_visible = median([visible for visible, _ in runs["minimal"]]) * 1000
    print(
        f"  ratio to the minimal app: visible {ours_visible / base_visible:.2f}x, settled {ours / base:.2f}x"
    )
    print(f"  reviewtui settled median {ours:.2f} ms (goal < {GOAL_MS:.0f} ms): {verdict(ours < GOAL_MS)}")
    p95 = percentile([settled for _, settled in runs["reviewtui"]], 0.95) * 1000
    return [
        Row(
            "keystroke to screen, targets step, 10 metrics",
            f"{ours:.1f} ms (p95 {p95:.0f} ms)",
            f"{base:.1f} ms",
            ours / base,
            f"< {GOAL_MS:.0f} ms",
            ours < GOAL_MS,
        )
    ]


def measure(repeat: int = 6, keys: int = 25, gap: float = 0.06) -> list[Row]:
    return asyncio.run(_measure(repeat, keys, gap))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=6, help="rounds of each app (default 6)")
    parser.add_argument("--keys", type=int, default=25, help="measured keystrokes per round (default 25)")
    parser.add_argument("--gap", type=float, default=0.06, help="seconds between keystrokes (default 0.06)")
    args = parser.parse_args()
    measure(args.repeat, args.keys, args.gap)


if __name__ == "__main__":
    main()

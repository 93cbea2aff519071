"""The command palette without a screenshot command, a binding id on every key, and keys remapped."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette

from pilot_helpers import make_app, type_text
from reviewtui.cli import main
from reviewtui.ui.home import HomeScreen
from reviewtui.ui.keys import binding_ids, own_bindings, ui_classes, user_keymap
from reviewtui.ui.steps.base import StepScreen
from reviewtui.ui.text_fields import FieldInput


async def _palette_titles(pilot) -> list[str]:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.3)  # the palette gathers its commands in the background
    options = pilot.app.screen.query_one(CommandList)
    return [
        str(options.get_option_at_index(index).prompt).split("\n")[0] for index in range(options.option_count)
    ]


async def test_ctrl_p_opens_the_palette_without_a_screenshot_command(tmp_path: Path) -> None:
    app = make_app(tmp_path / "sessions")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        titles = await _palette_titles(pilot)
        assert {"Theme", "Keys", "Quit"} <= set(titles)
        assert not any("screenshot" in title.lower() for title in titles), titles
        await type_text(pilot, "scre")  # searching for it finds nothing either
        titles = await _palette_titles(pilot)
        assert not any("screenshot" in title.lower() for title in titles), titles
        app.screen.query_one(CommandInput).value = ""
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_ctrl_p_is_bound_to_nothing_else() -> None:
    taken = [
        (cls.__qualname__, binding.action)
        for cls in ui_classes()
        for binding in own_bindings(cls)
        if isinstance(binding, Binding)
        and "ctrl+p" in binding.key.split(",")
        and binding.action != "command_palette"
    ]
    assert taken == []


def test_every_binding_in_the_ui_has_an_id() -> None:
    classes = ui_classes()
    assert {HomeScreen, StepScreen, FieldInput} <= set(classes)  # the walk reaches screens and widgets
    declared = [(cls, binding) for cls in classes for binding in own_bindings(cls)]
    assert len(declared) > 40
    missing = [
        f"{cls.__module__}.{cls.__qualname__}: {binding!r}"
        for cls, binding in declared
        if not isinstance(binding, Binding) or not binding.id
    ]
    assert missing == []


def _settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "user-config" / "reviewtui" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


async def test_a_key_remapped_in_the_settings_file_does_the_action(tmp_path: Path) -> None:
    _settings(tmp_path, '# my keys\n[keys]\n"home.new" = "p"\ncommand_palette = "f2"\n')
    app = make_app(tmp_path / "sessions")
    app.set_keymap(user_keymap())  # as run_app does
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")  # the old key does nothing now
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[keys]\n"home.neww" = "p"\n',
            ":2: keys.home.neww: no key binding has the id `home.neww`; did you mean `home.new`?",
        ),
        (
            'archive_after_save = "ask"\n\n[keys]\n"step.next" = "ctrl n"\n',
            ":4: keys.step.next: must be a key",
        ),
        (
            '[keys]\n"\\u001b]52;c;x" = "p"\n',
            ":2: keys.\\x1b]52;c;x: no key binding has the id `\\x1b]52;c;x`",
        ),
    ],
)
def test_a_bad_keys_entry_stops_the_start_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = _settings(tmp_path, text)
    assert main(["--sessions", str(tmp_path / "sessions")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"reviewtui: {path}{expected}"), err
    assert "\x1b" not in err
    assert not (tmp_path / "sessions").exists()


def test_the_readme_lists_every_binding_id() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    table = readme[readme.index("### Keys of your own") :]
    missing = [binding_id for binding_id in sorted(binding_ids()) if f"`{binding_id}`" not in table]
    assert missing == []

"""Keys a user can remap, and the command palette without Textual's screenshot command.

Every binding in reviewtui's screens and widgets has an id (a test walks them all), so
`[keys]` in the settings file can give any action a key of the user's own through
Textual's keymap. The palette (Ctrl+P) offers Textual's system commands except the
screenshot, which would write the whole confidential screen to a file.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
from collections.abc import Iterable
from pathlib import Path

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from ..errors import LoadError, Problem
from ..storage.keylines import key_lines, line_for
from ..storage.settings import MAX_SETTINGS_BYTES, settings_path
from ..storage.tomlfile import read_toml

PALETTE_BINDING = Binding(
    "ctrl+p",
    "command_palette",
    "Commands",
    show=False,  # the footers need their room at 80 columns; the README names the key
    priority=True,
    id="command_palette",
    tooltip="Theme, keys, quit",
)
"""Textual adds an id-less binding of its own unless the app has one for the palette: this one can be remapped."""

PALETTE_COMMANDS = frozenset({"Theme", "Keys", "Maximize", "Minimize", "Quit"})
"""The system commands the palette offers, by title: a list of what is allowed, so a command a
later Textual adds (like Screenshot, which writes the screen to a file) stays out until chosen."""


class PaletteCommands:
    """Mixed into the App before textual's App: the palette's system commands, screenshot left out."""

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = super().get_system_commands(screen)  # type: ignore[misc]
        yield from (command for command in commands if command.title in PALETTE_COMMANDS)


def ui_classes() -> list[type]:
    """Every screen, widget and mixin with keys defined in reviewtui.ui, its submodules imported."""
    package = importlib.import_module(__package__ or "reviewtui.ui")
    modules = [package]
    for found in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        modules.append(importlib.import_module(found.name))
    classes = {
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__.startswith(package.__name__)
        and (issubclass(cls, DOMNode) or "BINDINGS" in cls.__dict__)  # mixins with keys too
    }
    return sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def own_bindings(cls: type) -> list[object]:
    """The BINDINGS a class declares itself (not those it inherits), as written."""
    return list(cls.__dict__.get("BINDINGS", []))


def binding_ids() -> set[str]:
    """The id of every binding reviewtui declares: what `[keys]` may name."""
    ids = {PALETTE_BINDING.id}
    for cls in ui_classes():
        ids |= {binding.id for binding in own_bindings(cls) if isinstance(binding, Binding) and binding.id}
    return {binding_id for binding_id in ids if binding_id}


def user_keymap(path: Path | None = None) -> dict[str, str]:
    """The `[keys]` table of the settings file as a Textual keymap; a bad entry raises a LoadError with its line."""
    path = path or settings_path()
    if not path.exists():
        return {}
    # Only now pydantic loads (for the settings model), and the screens are walked only for keys to check.
    from ..models.settings import Settings
    from ..storage.messages import dotted, validated

    document = read_toml(path, max_bytes=MAX_SETTINGS_BYTES, what="settings file")
    keys = validated(Settings, document).keys
    if not keys:
        return {}
    known = binding_ids()
    lines = key_lines(document.text)
    problems = [
        Problem(
            _unknown_id(binding_id, known),
            line_for(lines, ("keys", binding_id)),
            dotted(("keys", binding_id)),
        )
        for binding_id in keys
        if binding_id not in known
    ]
    if problems:
        raise LoadError(path, problems)
    return dict(keys)


def _unknown_id(binding_id: str, known: set[str]) -> str:
    from ..storage.messages import shown_key

    message = f"no key binding has the id `{shown_key(binding_id)}`"
    close = difflib.get_close_matches(binding_id, sorted(known), n=1)
    hint = f"; did you mean `{close[0]}`?" if close else "; the README lists the ids (Keys)"
    return message + hint

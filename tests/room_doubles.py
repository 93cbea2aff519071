"""Stand-ins for the room modules other helpers are writing (room/shared_draft.py, room/text_ops.py,
room/people.py), used only while those are not merged: installed under their real names when the
real module cannot be imported, so the tests switch to the real ones by themselves.

They follow the shared contract (COMMON.md) closely enough for the UI tests; they are not the
minimal-ops implementation (an Array of another length is rewritten whole).
"""

from __future__ import annotations

import importlib
import sys
import types
from dataclasses import dataclass
from typing import Any

from pycrdt import Array, Doc, Map, Text

# --- text_ops ---------------------------------------------------------------------------------


def _splice(old: str, new: str) -> tuple[int, int, str]:
    start, limit = 0, min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start, len(old) - tail, new[start : len(new) - tail]


def push_edit(text: Text, old: str, new: str) -> None:
    start, end, inserted = _splice(old, new)
    at, length = len(old[:start].encode()), len(old[start:end].encode())
    with text.doc.transaction():
        if length:
            del text[at : at + length]
        if inserted:
            text.insert(at, inserted)


def _chars(old: str, start: int, count: int) -> int:
    """How many characters of `old` from `start` make `count` UTF-8 bytes."""
    end, size = start, 0
    while size < count:
        size += len(old[end].encode())
        end += 1
    return end - start


def apply_delta(old: str, delta: list[dict[str, Any]]) -> str:
    out, at = [], 0
    for op in delta:
        if "retain" in op:
            n = _chars(old, at, op["retain"])
            out.append(old[at : at + n])
            at += n
        elif "insert" in op:
            out.append(op["insert"])
        elif "delete" in op:
            at += _chars(old, at, op["delete"])
    out.append(old[at:])
    return "".join(out)


def moved_cursor(old: str, delta: list[dict[str, Any]], cursor: int) -> int:
    at, moved = 0, cursor
    for op in delta:
        if "retain" in op:
            at += _chars(old, at, op["retain"])
        elif "insert" in op:
            if at < cursor:
                moved += len(op["insert"])
        elif "delete" in op:
            n = _chars(old, at, op["delete"])
            if at < cursor:
                moved -= min(n, cursor - at)
            at += n
    return moved


# --- shared_draft -------------------------------------------------------------------------------

ID_LISTS = {"metrics": "id", "results": "metric", "ratings": "competency", "changes": "metric"}


def _shared(value: Any) -> Any:
    if isinstance(value, dict):
        return Map({key: _shared(item) for key, item in value.items()})
    if isinstance(value, list):
        return Array([_shared(item) for item in value])
    if isinstance(value, str):
        return Text(value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Map):
        return {key: _plain(value[key]) for key in value.keys()}
    if isinstance(value, Array):
        return [_plain(item) for item in value]
    if isinstance(value, Text):
        return str(value)
    return value


def _fits(current: Any, wanted: Any) -> bool:
    kinds = ((dict, Map), (list, Array), (str, Text))
    return any(isinstance(wanted, plain) and isinstance(current, shared) for plain, shared in kinds)


def _reconcile_map(target: Map, data: dict[str, Any]) -> None:
    for key in [key for key in target.keys() if key not in data]:
        del target[key]
    for key, wanted in data.items():
        current = target.get(key) if key in target else None
        if key in target and _fits(current, wanted):
            _reconcile_into(current, wanted)
        elif key not in target or _plain(current) != wanted or isinstance(wanted, (dict, list, str)):
            target[key] = _shared(wanted)


def _reconcile_into(current: Any, wanted: Any) -> None:
    if isinstance(current, Text):
        if str(current) != wanted:
            push_edit(current, str(current), wanted)
    elif isinstance(current, Map):
        _reconcile_map(current, wanted)
    elif isinstance(current, Array):
        if len(current) == len(wanted) and all(_fits(c, w) or _plain(c) == w for c, w in zip(current, wanted)):
            for index, item in enumerate(wanted):
                if _fits(current[index], item):
                    _reconcile_into(current[index], item)
        elif _plain(current) != wanted:
            common = 0
            while common < min(len(current), len(wanted)) and _plain(current[common]) == wanted[common]:
                common += 1
            del current[common:]
            for item in wanted[common:]:
                current.append(_shared(item))


class SharedDraft:
    def __init__(self, doc: Doc | None = None) -> None:
        self.doc = doc or Doc()
        self.doc["draft"] = Map()
        self.doc["room"] = Map()

    @property
    def root(self) -> Map:
        return self.doc["draft"]

    def load(self, data: dict[str, Any]) -> None:
        with self.doc.transaction(origin="load"):
            for key, value in data.items():
                self.root[key] = _shared(value)

    def draft_data(self) -> dict[str, Any]:
        return _plain(self.root)

    def reconcile(self, data: dict[str, Any], origin: Any = None) -> None:
        with self.doc.transaction(origin=origin):
            _reconcile_map(self.root, data)

    def text_at(self, key: str) -> Text | None:
        parts = key.split(".")
        try:
            if parts[0] == "reasons":
                node = next(r for r in self.root["rule_reasons"] if str(r["check"]).replace(":", "-") == parts[1])
                return node["reason"]
            node: Any = self.root[parts[0]]
            rest = parts[1:]
            if parts[0] in ID_LISTS and rest:
                node = next(item for item in node if str(item[ID_LISTS[parts[0]]]) == rest[0])
                rest = rest[1:]
            for part in rest:
                node = node[int(part)] if isinstance(node, Array) else node[part]
        except (KeyError, IndexError, ValueError, StopIteration):
            return None
        return node if isinstance(node, Text) else None

    def keys_touched(self, events: list[Any]) -> set[str]:
        touched = set()
        for event in events:
            path = [str(part) for part in event.path]
            if path and path[0] in ID_LISTS and len(path) > 1:
                item = self.root[path[0]][int(path[1])]
                path[1] = str(item[ID_LISTS[path[0]]])
            if isinstance(event.target, Map) and not isinstance(event.target, Array):
                keys = getattr(event, "keys", {}) or {}
                touched |= {".".join([*path, key]) for key in keys} or {".".join(path)}
            elif path:
                touched.add(".".join(path))
        return {key for key in touched if key}

    def room_info(self) -> dict[str, Any]:
        return {key: _plain(self.doc["room"][key]) for key in self.doc["room"].keys()}

    def set_room(self, **values: Any) -> None:
        with self.doc.transaction(origin="host-room"):
            for key, value in values.items():
                self.doc["room"][key] = value


# --- people -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: str


def install() -> None:
    """Put the stand-ins under the room modules' names where the real ones are not there yet."""
    stand_ins = {
        "reviewtui.room.text_ops": {"push_edit": push_edit, "apply_delta": apply_delta, "moved_cursor": moved_cursor},
        "reviewtui.room.shared_draft": {"SharedDraft": SharedDraft},
        "reviewtui.room.people": {"Person": Person},
    }
    for name, members in stand_ins.items():
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            if "reviewtui.room" not in sys.modules:
                package = types.ModuleType("reviewtui.room")
                package.__path__ = []  # type: ignore[attr-defined]
                sys.modules["reviewtui.room"] = package
            module = types.ModuleType(name)
            module.__dict__.update(members)
            sys.modules[name] = module


install()


# --- a room without a network -------------------------------------------------------------------


def linked(host: Any, participant: Any) -> list[Any]:
    """Relay every update between two shared drafts at once, as the room's sync does (keep the result)."""
    relaying: list[bool] = []

    def relay(target: Any) -> Any:
        def forward(event: Any) -> None:
            if relaying:
                return  # the update being applied from the other side
            relaying.append(True)
            try:
                target.doc.apply_update(event.update)
            finally:
                relaying.pop()

        return forward

    participant.doc.apply_update(host.doc.get_update())
    return [host.doc.observe(relay(participant)), participant.doc.observe(relay(host))]

"""The draft as a pycrdt document shared by everyone in the room.

The `Doc` has two roots. `"draft"` is the draft's `model_dump(mode="json")` as nested `Map`s
and `Array`s in which every string is a `Text` (so two people typing in one field merge
character by character) and every other value (bool, number, None) is plain. `"room"` is the
host's alone (the guard refuses a participant's write to it): `epoch`, `rubric` (JSON),
`host_step`, `people` (JSON list of `{key, name, role, connected, step, field}`), `closed`.

Field keys are the UI's (`employee_name`, `partners.0.name`, `metrics.<metric id>.target`,
`reasons.rule-x`): lists of rows with an identity are addressed by it, other lists by index.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pycrdt import Array, Doc, Map, Text

from ..models.draft_json import draft_from_data
from ..plan.rules import reason_key
from ..shown import shown_path
from ..storage.room_journal import RoomJournalError, journal_path, read_journal
from .text_ops import push_edit

DRAFT_ROOT = "draft"
ROOM_ROOT = "room"

ID_FIELDS = {
    "metrics": "id",
    "set_aside": "id",
    "results": "metric",
    "ratings": "competency",
    "changes": "metric",
    "agenda": "id",
}
"""Lists whose rows field keys name by an identity (`metrics.<id>.target`), and its field."""
REASONS_LIST, REASONS_KEY = "rule_reasons", "reasons"
ROW_IDENTITIES = {**ID_FIELDS, REASONS_LIST: "check", "objectives": "id"}
"""The field that makes a row of these lists the row it is. A row is reconciled in place only
with a row of the same identity, and replaced otherwise, so that an edit made meanwhile to one
metric never lands in another (and the guard refuses an identity edited in place)."""

Shared = Map | Array | Text


def shared_value(value: Any) -> Any:
    """JSON data as pycrdt values: dicts as `Map`, lists as `Array`, strings as `Text`."""
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, dict):
        return Map({key: shared_value(item) for key, item in value.items()})
    if isinstance(value, list):
        return Array([shared_value(item) for item in value])
    return value


def plain_value(value: Any) -> Any:
    """A pycrdt value as JSON data. Yjs numbers are doubles: the draft holds no fractions (its
    figures are Decimal strings), so a whole number comes back as the int it was."""
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, Map):
        return {key: plain_value(item) for key, item in value.items()}
    if isinstance(value, Array):
        return [plain_value(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _whole_numbers(value: Any) -> Any:
    """JSON data with Yjs's doubles that are whole numbers as ints (see `plain_value`)."""
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _same_kind(current: Any, value: Any) -> bool:
    if isinstance(value, str):
        return isinstance(current, Text)
    if isinstance(value, dict):
        return isinstance(current, Map)
    if isinstance(value, list):
        return isinstance(current, Array)
    return not isinstance(current, Shared) and type(plain_value(current)) is type(value)


def _reconcile_map(target: Map, data: dict[str, Any], keys: Iterable[str] | None = None) -> None:
    """Make `target` equal `data`; with `keys`, only at those keys (a key not in `data` is removed)."""
    chosen = list(target) if keys is None else [key for key in keys if key in target]
    for key in [key for key in chosen if key not in data]:
        del target[key]
    for key in data if keys is None else [key for key in keys if key in data]:
        value = data[key]
        current = target.get(key) if key in target else _MISSING
        if current is _MISSING or not _same_kind(current, value):
            target[key] = shared_value(value)
        else:
            _reconcile_in_place(target, key, current, value)


_MISSING = object()


def _reconcile_in_place(parent: Map | Array, key: Any, current: Any, value: Any) -> None:
    """Make `current` (of the same kind as `value`) equal `value`; plain values are set."""
    if isinstance(current, Text):
        old = str(current)
        if old != value:
            push_edit(current, old, value)
    elif isinstance(current, Map):
        _reconcile_map(current, value)
    elif isinstance(current, Array):
        _reconcile_array(current, value, ROW_IDENTITIES.get(key) if isinstance(key, str) else None)
    elif plain_value(current) != value:
        if isinstance(parent, Array):  # a Yjs array has no "set": the item is replaced
            del parent[key]
            parent.insert(key, value)
        else:
            parent[key] = value


def _reconcile_array(target: Array, data: list[Any], identity: str | None) -> None:
    old = [plain_value(item) for item in target]
    if old == data:
        return
    dumped_old = [json.dumps(item, sort_keys=True) for item in old]
    dumped_new = [json.dumps(item, sort_keys=True) for item in data]
    matcher = difflib.SequenceMatcher(None, dumped_old, dumped_new, autojunk=False)
    # From the end backwards, so the positions of the blocks still to do stay where they were.
    for tag, old_start, old_end, new_start, new_end in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        paired = 0
        while (
            old_start + paired < old_end
            and new_start + paired < new_end
            and _same_kind(target[old_start + paired], data[new_start + paired])
            and _identity(old[old_start + paired], identity) == _identity(data[new_start + paired], identity)
        ):
            paired += 1
        if old_start + paired < old_end:
            del target[old_start + paired : old_end]
        for offset, item in enumerate(data[new_start + paired : new_end]):
            target.insert(old_start + paired + offset, shared_value(item))
        for offset in range(paired):
            at = old_start + offset
            _reconcile_in_place(target, at, target[at], data[new_start + offset])


def _identity(row: Any, field: str | None) -> Any:
    return row.get(field) if field is not None and isinstance(row, dict) else None


class SharedDraft:
    """A draft in a pycrdt `Doc`, its `"room"` root beside it."""

    def __init__(self, doc: Doc | None = None) -> None:
        self.doc = doc if doc is not None else Doc()
        self.draft: Map = self.doc.get(DRAFT_ROOT, type=Map)
        self.room: Map = self.doc.get(ROOM_ROOT, type=Map)

    # The draft ----------------------------------------------------------------------------

    def load(self, data: dict[str, Any]) -> None:
        """Fill the draft root with `data` (the host, once, when it opens the room)."""
        with self.doc.transaction(origin="load"):
            for key, value in data.items():
                self.draft[key] = shared_value(value)

    def draft_data(self) -> dict[str, Any]:
        """The draft as plain JSON data (what `model_dump(mode="json")` gives)."""
        with self.doc.transaction() as transaction:  # one transaction for the whole walk
            # yrs writes the whole map as JSON natively, 25 times faster than walking it item by
            # item from Python (0.2 ms for a review); the walk stays for a pycrdt without it.
            native, raw = getattr(self.draft, "_integrated", None), getattr(transaction, "_txn", None)
            if native is not None and raw is not None and hasattr(native, "to_json"):
                return _whole_numbers(json.loads(native.to_json(raw)))
            return plain_value(self.draft)

    def reconcile(
        self, data: dict[str, Any], origin: Any = None, *, only: Iterable[str] | None = None
    ) -> None:
        """Make the draft root equal `data` with the fewest changes: a text edited is one splice,
        rows added or removed are inserts and deletes, the rest of each row is kept as it is.

        `data` should be made from `draft_data()` just before (a value from an older copy would
        undo what others typed since). `only`: the top-level keys to reconcile, the others left
        as they are (a participant changing its rows leaves alone what only the host writes).
        """
        with self.doc.transaction(origin=origin):
            _reconcile_map(self.draft, data, None if only is None else list(only))

    def text_at(self, key: str) -> Text | None:
        """The `Text` of a field key (see the module docstring), or None when there is none yet."""
        found = self._node_at(key)
        return found if isinstance(found, Text) else None

    def _node_at(self, key: str) -> Any:
        head, _, rest = key.partition(".")
        if head == REASONS_KEY and rest:
            rows = self.draft.get(REASONS_LIST)
            row = next(
                (row for row in _maps(rows) if reason_key(str(row.get("check", ""))) == key),
                None,
            )
            return None if row is None else row.get("reason")
        node: Any = self.draft
        parts = key.split(".")
        for index, part in enumerate(parts):
            if isinstance(node, Map):
                node = node.get(part)
            elif isinstance(node, Array):
                node = _row(node, parts[index - 1] if index else "", part)
            else:
                return None
        return node

    def keys_touched(self, events: Iterable[Any]) -> set[str]:
        """The field keys that `observe_deep` events on the draft root changed: a text's key, a
        changed key of a row (`metrics.nps.weight`), or a list's name when rows came or went
        (`partners`, `rule_reasons`; any part of a reason's row gives its `reasons.<check>` key).
        Call it inside the observer: the events' paths are read against the document then."""
        touched: set[str] = set()
        for event in events:
            path = list(event.path)
            if isinstance(event.target, Map):
                touched.update(self._key_of([*path, key]) for key in event.keys)
            else:
                touched.add(self._key_of(path))
        touched.discard("")
        return touched

    def _key_of(self, path: list[Any]) -> str:
        """The field key of a path from the draft root (`["metrics", 2, "target"]`)."""
        if len(path) >= 3 and path[0] == REASONS_LIST:  # any part of a reason's row: the reason
            row = _child(self.draft.get(REASONS_LIST), path[1])
            if isinstance(row, Map):
                return reason_key(str(row.get("check", "")))
        parts: list[str] = []
        node: Any = self.draft
        for step in path:
            name = str(step)
            if isinstance(node, Array) and isinstance(step, int) and parts and parts[-1] in ID_FIELDS:
                row = node[step] if step < len(node) else None
                identity = row.get(ID_FIELDS[parts[-1]]) if isinstance(row, Map) else None
                name = str(identity) if identity is not None else name
            parts.append(name)
            node = _child(node, step)
        return ".".join(parts)

    # The room -----------------------------------------------------------------------------

    def room_info(self) -> dict[str, Any]:
        """The room root as plain data; `rubric` and `people` decoded from their JSON."""
        info = plain_value(self.room)
        for key in ("rubric", "people"):
            if isinstance(info.get(key), str):
                try:
                    info[key] = json.loads(info[key])
                except ValueError:
                    info[key] = None  # only the host writes these; none at all rather than a crash
        return info

    def set_room(self, **values: Any) -> None:
        """Write room values (the host only); `rubric` and `people` as data (or their JSON)."""
        with self.doc.transaction(origin="room"):
            for key, value in values.items():
                if key in ("rubric", "people") and not isinstance(value, str):
                    value = json.dumps(value, sort_keys=True, ensure_ascii=False)
                self.room[key] = value

    def people(self) -> list[dict[str, Any]]:
        """Who is in the room, as the host last wrote it."""
        people = self.room_info().get("people")
        return people if isinstance(people, list) else []

    def set_person(self, key: str, **values: Any) -> None:
        """Change one person's room entry (`connected`, `step`, `field`); the host only."""
        people = self.people()
        for person in people:
            if person.get("key") == key:
                person.update(values)
        self.set_room(people=people)


def _maps(rows: Any) -> Iterable[Map]:
    return (row for row in rows if isinstance(row, Map)) if isinstance(rows, Array) else ()


def _row(rows: Array, list_name: str, part: str) -> Any:
    if list_name in ID_FIELDS:
        field = ID_FIELDS[list_name]
        return next((row for row in _maps(rows) if str(row.get(field, "")) == part), None)
    if part.isdigit() and int(part) < len(rows):
        return rows[int(part)]
    return None


def _child(node: Any, step: Any) -> Any:
    if isinstance(node, Map) and isinstance(step, str):
        return node.get(step)
    if isinstance(node, Array) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def resumed(sessions_dir: Path, draft_id: str, draft_sha256: str) -> SharedDraft | None:
    """The room's document as its journal left it (the host was killed or quit), or None when
    there is no journal for the draft file on disk (`draft_sha256`): open the room from the draft.

    A journal whose updates pycrdt cannot read, or that does not make a valid draft, is a
    RoomJournalError naming the file and what to do; nothing of its content is shown.
    """
    updates = read_journal(sessions_dir, draft_id, draft_sha256)
    if updates is None:
        return None
    path = journal_path(sessions_dir, draft_id)
    shared = SharedDraft(Doc())
    for number, update in enumerate(updates, start=1):
        try:
            shared.doc.apply_update(update)
        except ValueError:
            raise _unusable(path, f"entry {number + 1} is not a room update") from None
        except BaseException as error:
            # pycrdt's Rust side may panic on hostile bytes: pyo3's PanicException is a BaseException.
            if type(error).__name__ != "PanicException":
                raise
            raise _unusable(path, f"entry {number + 1} is not a room update") from None
    try:
        draft = draft_from_data(shared.draft_data())
    except ValueError:  # pydantic's ValidationError is one; its text would show the values
        raise _unusable(path, "it does not hold a valid draft") from None
    if draft.id != draft_id:
        raise _unusable(path, "it holds another draft")
    return shared


def _unusable(path: Path, reason: str) -> RoomJournalError:
    return RoomJournalError(
        f"cannot resume the room from {shown_path(path)}: {reason}; "
        "move it out of the folder, and `serve` opens the room from the draft as last saved"
    )

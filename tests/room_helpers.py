"""Shared pieces of the room tests: a small draft, a shared document loaded with it, and the
host/peer scripts run as real processes.

Until room/shared_draft.py and room/guard.py (helper A) are on this branch, `ensure_room_modules()`
installs minimal stand-ins with the same names and the contract's behaviour for what these
tests touch; once the real modules exist they are used and the stand-ins are never loaded.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST_SCRIPT = HERE / "room_host.py"
PEER_SCRIPT = HERE / "room_peer.py"

PROTECTED = {
    *("id", "kind", "created_at", "draft_version", "base", "follows", "from_scratch"),
    *("employee_confirmed", "manager_confirmed", "partner_confirmations", "contributions"),
}


def sample_draft() -> dict:
    return {
        "draft_version": 1,
        "id": "2026-h2-ana-lima",
        "created_at": "2026-12-01T10:00:00Z",
        "employee_name": "Ana Lima",
        "manager_name": "Max Weber",
        "partners": [{"name": "Pat Kim", "function": "sales"}, {"name": "", "function": ""}],
        "reading": "",
        "comments": "",
        "employee_confirmed": False,
        "manager_confirmed": False,
    }


def _stand_in_modules(missing: set[str]) -> None:
    from pycrdt import Array, Doc, Map, Text

    def crdt(value):
        if isinstance(value, dict):
            return Map({k: crdt(v) for k, v in value.items()})
        if isinstance(value, list):
            return Array([crdt(v) for v in value])
        if isinstance(value, str):
            return Text(value)
        return value

    class SharedDraft:
        """Stand-in: the draft root as nested Map/Array of Text, the room root written by the host."""

        def __init__(self, doc=None):
            self.doc = doc if doc is not None else Doc()
            self.doc.get("draft", type=Map)
            self.doc.get("room", type=Map)

        def load(self, data):
            draft = self.doc.get("draft", type=Map)
            with self.doc.transaction(origin="load"):
                for key, value in data.items():
                    draft[key] = crdt(value)

        def draft_data(self):
            return json.loads(json.dumps(self.doc.get("draft", type=Map).to_py(), default=str))

        def text_at(self, key):
            value = self.doc.get("draft", type=Map).get(key)
            return value if isinstance(value, Text) else None

        def room_info(self):
            return dict(self.doc.get("room", type=Map).to_py())

    def _twin(shared):
        twin = Doc()
        draft, room = twin.get("draft", type=Map), twin.get("room", type=Map)
        twin.apply_update(shared.doc.get_update())
        return twin, draft, room

    def _protected(draft):
        data = draft.to_py()
        return {k: data.get(k) for k in PROTECTED | {k for k in data if k.endswith(("_at", "_via"))}}

    def refusal(shared, update):
        twin, draft, room = _twin(shared)
        before_room, before_keys = room.to_py(), _protected(draft)
        twin.apply_update(update)
        if room.to_py() != before_room:
            return "a participant may not change the room"
        changed = sorted(k for k, v in _protected(draft).items() if before_keys.get(k) != v)
        return f"a participant may not change {', '.join(changed)}" if changed else None

    def fields_changed(shared, update):
        twin, draft, _ = _twin(shared)
        before = draft.to_py()
        twin.apply_update(update)
        after = draft.to_py()
        return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}

    if "shared_draft" in missing:
        shared_module = types.ModuleType("reviewtui.room.shared_draft")
        shared_module.SharedDraft = SharedDraft
        sys.modules["reviewtui.room.shared_draft"] = shared_module
    if "guard" in missing:
        guard_module = types.ModuleType("reviewtui.room.guard")
        guard_module.refusal, guard_module.fields_changed = refusal, fields_changed
        sys.modules["reviewtui.room.guard"] = guard_module


def missing_modules() -> set[str]:
    """Which of helper A's room/shared_draft.py and room/guard.py are not in the source tree yet."""
    import reviewtui.room

    folder = Path(next(iter(reviewtui.room.__path__)))
    return {name for name in ("shared_draft", "guard") if not (folder / f"{name}.py").is_file()}


def ensure_room_modules() -> None:
    missing = {name for name in missing_modules() if f"reviewtui.room.{name}" not in sys.modules}
    if missing:
        _stand_in_modules(missing)


def loaded_shared(data: dict | None = None):
    ensure_room_modules()
    from reviewtui.room.shared_draft import SharedDraft

    shared = SharedDraft()
    shared.load(sample_draft() if data is None else data)
    return shared


def empty_shared():
    ensure_room_modules()
    from reviewtui.room.shared_draft import SharedDraft

    return SharedDraft()


def text_of(shared, key: str) -> str:
    text = shared.text_at(key)
    return "" if text is None else str(text)


def append(shared, key: str, suffix: str) -> None:
    """Type `suffix` at the end of the field `key`, as the participant UI pushes an edit."""
    text = shared.text_at(key)
    assert text is not None, key
    with shared.doc.transaction(origin="local"):
        text.insert(len(text), suffix)  # len() is in UTF-8 bytes, like the offsets


def script_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH", "")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Script:
    """A test script run as its own process; it prints one JSON object a line."""

    def __init__(self, script: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=script_env(),
        )
        self.name = script.name
        self._lines: queue.Queue[dict | None] = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(json.loads(line))
        self._lines.put(None)

    def send(self, *words: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(" ".join(words) + "\n")
        self.process.stdin.flush()

    def expect(self, key: str, timeout: float = 20.0, where=lambda line: True) -> dict:
        """The next line (from those not taken yet) that has `key` and satisfies `where`."""
        for line in self.seen:
            if key in line and where(line):
                self.seen.remove(line)
                return line
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"{self.name} ended (exit {self.process.wait(5)}) before {key!r}")
            if key in line and where(line):
                return line
            self.seen.append(line)
        raise AssertionError(f"{self.name} printed no {key!r} in {timeout} s; it printed {self.seen}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)

    def __enter__(self) -> Script:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

"""Shared pieces of the room tests: a small draft, a shared document loaded with it, and the
host/peer scripts run as real processes (`Script`)."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST_SCRIPT = HERE / "room_host.py"
PEER_SCRIPT = HERE / "room_peer.py"


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


def loaded_shared(data: dict | None = None):
    from reviewtui.room.shared_draft import SharedDraft

    shared = SharedDraft()
    shared.load(sample_draft() if data is None else data)
    return shared


def empty_shared():
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

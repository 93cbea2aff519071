"""Running `reviewtui` as a user does: a real process on a real pseudo-terminal.

Keys are written to the terminal; what the app draws is read back and stripped of
escape codes, so a test can wait for words to appear on screen.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import ClassVar

import pyte

_ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_]|[()][0-9A-B])")

KEYS = {"enter": "\r", "tab": "\t", "escape": "\x1b", "ctrl+q": "\x11", "ctrl+n": "\x0e", "backspace": "\x7f"}


class PtyApp:
    """`python -m reviewtui ARGS` on a pseudo-terminal of the given size."""

    running: ClassVar[list[PtyApp]] = []
    """Started and not yet closed: conftest closes them after each test, even a failing one."""

    def __init__(
        self, args: list[str], cwd: Path, size: tuple[int, int] = (100, 30), env: dict[str, str] | None = None
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        clean = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL") and k != "NO_COLOR"}
        clean |= {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "COLUMNS": "", "LINES": ""}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reviewtui", *args],
            cwd=cwd,
            env=clean | (env or {}),
            stdin=slave,
            stdout=slave,
            stderr=slave,  # Textual draws on stderr; messages after exit land there too
            start_new_session=True,  # the terminal becomes the app's controlling terminal
        )
        os.close(slave)
        PtyApp.running.append(self)
        self.master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        # What the terminal shows now, as a terminal would draw it (pyte is a VT emulator).
        self._screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self._screen)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Draining the terminal keeps the app from blocking on a full output buffer.
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk
                self._stream.feed(chunk)

    def screen_text(self) -> str:
        """Everything drawn so far, escape codes removed (later frames after earlier ones)."""
        with self._lock:
            raw = bytes(self._output)
        return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")

    def resize(self, size: tuple[int, int]) -> None:
        """Resize the terminal (the app is sent SIGWINCH): it draws every line afresh on a clean screen."""
        with self._lock:
            self._screen.resize(size[1], size[0])
            self._screen.reset()
            fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGWINCH)  # not every kernel path sends it for a master's resize

    def display(self) -> list[str]:
        """The lines the terminal shows now (not what scrolled past or was drawn over)."""
        with self._lock:
            return [line.rstrip() for line in self._screen.display]

    def wait_for_display(self, text: str, timeout: float = 30.0) -> list[str]:
        """Wait until `text` is on the terminal now; the lines shown then."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.display()
            if text in "\n".join(lines):
                return lines
            if time.monotonic() > deadline or self.process.poll() is not None:
                shown = "\n".join(lines)
                raise AssertionError(f"{text!r} is not on the terminal; it shows:\n{shown}")
            time.sleep(0.05)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        """Wait until `text` has been drawn since the last `clear()`."""
        deadline = time.monotonic() + timeout
        while text not in self.screen_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never appeared; screen so far:\n{self.screen_text()[-2000:]}")
            time.sleep(0.05)

    def clear(self) -> None:
        with self._lock:
            self._output.clear()

    def type(self, text: str, pause: float = 0.03) -> None:
        """Type at a (fast) human pace, one key at a time."""
        for char in text:
            os.write(self.master, char.encode())
            time.sleep(pause)

    def press(self, *keys: str) -> None:
        for key in keys:
            os.write(self.master, KEYS[key].encode())
            time.sleep(0.15)

    def signal(self, signum: int) -> None:
        os.kill(self.process.pid, signum)

    def wait(self, timeout: float = 20.0) -> tuple[int, str]:
        """The exit code and everything the terminal showed."""
        try:
            self.process.wait(timeout=timeout)
            self._reader.join(timeout=2)  # the last lines printed after the app closed
        finally:
            self.close()
        return self.process.returncode, self.screen_text()

    def close(self) -> None:
        if self in PtyApp.running:
            PtyApp.running.remove(self)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)

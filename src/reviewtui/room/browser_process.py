"""One browser tab's app process, for room/browser.py: textual-serve's AppService, reworked.

Spawned without a shell (argv, not a command line) with the environment it is given; in its own
session (a signal to the host's terminal is the host's to handle); on Linux it dies with the host
(PR_SET_PDEATHSIG: SIGKILL when the thread that spawned it ends, so spawn from the host's main
loop). Stopping it sends textual-serve's `quit`, so the app exits normally (and can flush what it
still has to send); one that does not exit in time is terminated, then killed. Its stderr goes to
this module's log, not to the host's stdout (textual-serve writes it there); downloads and URLs
the app asks for are not passed to the browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import signal
import sys
from collections.abc import Callable

from textual_serve.app_service import AppService

log = logging.getLogger(__name__)

# After `quit`, the app has this long to exit by itself (a participant app flushes its edits),
# then this long after SIGTERM, before SIGKILL.
QUIT_GRACE_SECONDS = 5.0
TERM_GRACE_SECONDS = 2.0
# The child's stderr kept for the log (its last part).
STDERR_KEPT = 16 * 1024
PR_SET_PDEATHSIG = 1


class TabApp(AppService):
    """One tab's app process: spawned without a shell, dying with the host, stopped with its tab."""

    def __init__(self, command: tuple[str, ...], environment: dict[str, str], **kwargs) -> None:
        super().__init__(" ".join(command), **kwargs)
        self._argv = command
        self._environment = environment
        self.stderr_tail = b""

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self._process = process = await asyncio.create_subprocess_exec(
            *self._argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._environment,
            # Its own session: a signal to the host's terminal is the host's to handle.
            start_new_session=True,
            preexec_fn=_die_with_parent(),
        )
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's packets to the tab until its stdout ends (textual-serve's loop, reworked so
        that the app's stderr goes to this module's log rather than to the host's stdout)."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stdout, stderr = process.stdout, process.stderr

        async def keep_stderr() -> None:
            while data := await stderr.read(4096):
                self.stderr_tail = (self.stderr_tail + data)[-STDERR_KEPT:]

        stderr_task = asyncio.create_task(keep_stderr())
        handlers = {b"D": self.on_data, b"M": self.on_meta}
        try:
            for _ in range(10):  # the web driver's prelude, before any packet
                line = await stdout.readline()
                if not line or line == b"__GANGLION__\n":
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                if handler := handlers.get(kind):
                    await handler(payload)
        except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(stderr_task, 1)
            stderr_task.cancel()
        if process.returncode not in (None, 0) or self.stderr_tail:
            failed = process.returncode not in (None, 0, -signal.SIGKILL, -signal.SIGTERM)
            log.log(
                logging.WARNING if failed else logging.DEBUG,
                "browser participant app ended (code %s): %s",
                process.returncode,
                self.stderr_tail.decode("utf-8", "replace")[-2000:],
            )

    async def on_meta(self, data: bytes) -> None:
        # Only the app's own end closes the tab; no downloads or URLs reach the browser from here.
        with contextlib.suppress(ValueError):
            if json.loads(data).get("type") == "exit":
                await self.remote_close()

    async def stop(self) -> None:
        """Ask the app to quit, then make sure it is gone (terminated, then killed, if it hangs)."""
        task, process = self._task, self._process
        if task is None or process is None:
            return
        self._task = None
        await self.send_meta({"type": "quit"})
        for sent, grace in (
            (None, QUIT_GRACE_SECONDS),
            (signal.SIGTERM, TERM_GRACE_SECONDS),
            (signal.SIGKILL, None),
        ):
            if sent is not None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sent)
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), grace)
                break
            except TimeoutError:
                continue
        await task


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec function that makes the child die with this process (Linux), or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = _libc().prctl  # looked up before the fork: the child only calls it
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the host died before the line above took effect
            os._exit(1)

    return preexec


_LIBC: list[ctypes.CDLL] = []


def _libc() -> ctypes.CDLL:
    if not _LIBC:
        _LIBC.append(ctypes.CDLL(None, use_errno=True))
    return _LIBC[0]

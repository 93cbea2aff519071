"""The real headless browser for tests (Debian's chromium driven by Playwright), and a small room.

`chromium_browser` is the one fixture every browser test uses: without chromium or Playwright the
test is skipped with one line saying how to install it, except under CI=true, where it fails.

`GatedRoom` stands in for the room's server: an aiohttp app on 127.0.0.1, a token gate in front
of every route (403 and an empty body for anything else, as the room's own gate answers), and
`mount_browser` on it. Run as a script, this file is such a host in its own process (for kill -9).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import os
import secrets
import ssl
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from reviewtui.room.browser import mount_browser

TESTS = Path(__file__).parent
ECHO_APP = TESTS / "browser_echo_app.py"
# Screenshots of browser participants, kept after the run (git-ignored; CI keeps the folder).
ARTIFACTS = TESTS / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
FIRST_BYTE = "body.-first-byte"  # textual.js: the app has drawn its first frame
CHROMIUM_ARGS = [
    *("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"),
    *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
]

try:  # helper B's Person; the same shape until it lands
    from reviewtui.room.people import Person
except ImportError:

    @dataclass(frozen=True)
    class Person:  # type: ignore[no-redef]
        key: str
        name: str
        role: str


# What the gate found for a request's token.
PERSON = web.RequestKey("person", object)

ANA = Person("employee", "Ana Ruiz", "employee")
LEE = Person("partner-1", "Lee Chen", "partner")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, in one line, or None."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the browser test needs Playwright: pip install -e '.[test]'"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"the browser test needs Debian's chromium at {CHROMIUM}: apt-get install chromium"
    return None


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture
async def chromium_browser() -> AsyncIterator[object]:
    """A headless chromium (Playwright `Browser`); skipped, or failed under CI=true, when missing."""
    missing = browser_missing()
    if missing is not None:
        if running_in_ci():
            pytest.fail(f"CI=true and {missing}")
        pytest.skip(missing)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def open_app(browser, link: str, notes: dict[str, list[str]] | None = None):
    """A new tab on `link`, once the app has drawn; `notes` collects its console errors and requests."""
    page = await browser.new_page(viewport={"width": 900, "height": 300})
    if notes is not None:
        page.on("console", lambda m: m.type == "error" and notes["console"].append(m.text))
        page.on("request", lambda r: notes["requests"].append(r.url))
        page.on("requestfailed", lambda r: notes["failed"].append(r.url))
    await page.goto(link)
    await page.wait_for_selector(FIRST_BYTE, timeout=20000)
    return page


async def until(condition, what: str, seconds: float = 10.0):
    """`condition()`'s first true value, polled; an AssertionError naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {seconds} s: {what}")


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for a parent that is not ours counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


class GatedRoom:
    """A token gate and `mount_browser` on one aiohttp app on 127.0.0.1, port chosen by the system."""

    def __init__(
        self, echo_file: Path, people: list[Person], ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.ssl_context = ssl_context
        self.tokens = {secrets.token_urlsafe(32): person for person in people}
        self.app = web.Application(middlewares=[self._gate])
        self.app.on_response_prepare.append(_strip_server_header)
        self.port = 0
        self.runner: web.AppRunner | None = None
        mount_browser(
            self.app,
            person_of=lambda request: request.get(PERSON),
            internal_link=lambda person: f"http://127.0.0.1:{self.port}/j/internal-{person.key}/",
            command=[sys.executable, str(ECHO_APP)],
            env={"BROWSER_ECHO_FILE": str(echo_file), "TEXTUAL_ANIMATIONS": "none"},
        )

    @web.middleware
    async def _gate(self, request: web.Request, handler):
        parts = request.path.split("/")
        token = parts[2] if len(parts) > 3 and parts[1] == "j" else ""
        person = next((p for t, p in self.tokens.items() if hmac.compare_digest(t, token)), None)
        if person is None:
            return web.Response(status=403)
        request[PERSON] = person
        return await handler(request)

    def link(self, person: Person) -> str:
        token = next(t for t, p in self.tokens.items() if p == person)
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self.port}/j/{token}/"

    async def start(self) -> None:
        self.runner = web.AppRunner(self.app, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0, ssl_context=self.ssl_context)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


@contextlib.asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[int]:
    """`app` served on 127.0.0.1 for the block, on a port the system chose (yielded)."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    finally:
        await runner.cleanup()


async def _strip_server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.pop("Server", None)


async def _serve_forever(echo_file: Path) -> None:
    room = GatedRoom(echo_file, [ANA])
    await room.start()
    print("LINK", room.link(ANA), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    sys.path.insert(0, str(TESTS))
    asyncio.run(_serve_forever(Path(sys.argv[1])))

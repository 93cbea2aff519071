"""The browser way into a room: the participant app served to a web page with textual-serve.

`mount_browser` adds three routes to the room's aiohttp app, all under the participant's token
(the room's gate answers 403 for anything else before these handlers run; they refuse again
when the gate named nobody):

- `/j/{token}/` the page (our own template: no external font, no favicon request, no referrer);
- `/j/{token}/ws` the page's websocket: one participant app process per open tab, spawned
  without a shell, told who it is and how to reach the room through its environment;
- `/j/{token}/static/{path}` textual-serve's own scripts, styles and fonts (files only).

textual-serve's own `Server` is not used: it serves `/`, a `/download` route and a `/static`
directory listing, builds absolute URLs from one fixed host and port (an SSH tunnel on another
port breaks them) and runs its command through a shell. Its `AppService` (the process and the
packet protocol) is subclassed; textual-serve is pinned because the subclass relies on its
internals.

Each tab's process ends with its tab: a closed socket sends textual-serve's `quit`, so the app
exits normally (and can flush what it still has to send); an app that does not exit in time is
terminated, then killed. When the room's server shuts down, every tab's socket is closed first.
On Linux a process also dies with the host (PR_SET_PDEATHSIG), even after kill -9 of the host.
That signal follows the thread that spawned the process: run the server on the host's main loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import os
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from ..storage.reading import read_capped
from . import browser_process
from .browser_process import TabApp

if TYPE_CHECKING:
    from .people import Person

log = logging.getLogger(__name__)

STATIC_ROOT = (Path(textual_serve.__file__).parent / "static").resolve()
PAGE_TEMPLATE = "browser_page.html"

# The host's environment the participant app keeps: enough to run Python and read the locale, and
# nothing else of the host's (no tokens, no TEXTUAL debug settings, no REVIEWTUI_* of its own).
INHERITED_ENVIRONMENT = (
    *("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH"),
    *("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"),
    *("SSL_CERT_FILE", "SSL_CERT_DIR"),
)
# A browser window's size in cells, kept to what a screen can hold.
MIN_CELLS, MAX_CELLS = 10, 1000
FONT_SIZES = (8, 48)  # the page's ?fontsize=, in pixels
# Each tab costs the host a process (~60 MB): a link opens this many at once, no more.
MAX_TABS_PER_PERSON = 4


def mount_browser(
    app: web.Application,
    *,
    person_of: Callable[[web.Request], Person | None],
    internal_link: Callable[[Person], str],
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
) -> None:
    """Serve `command` to browsers on `app`, one process per tab, as the person the token names.

    `person_of(request)` is who the room's gate found for the request's token (None: refused).
    `internal_link(person)` is the link the spawned app joins the room with (REVIEWTUI_JOIN_LINK).
    `env` holds extra variables for the spawned app, on top of the few kept from the host's.
    """
    if not command:
        raise ValueError("mount_browser needs a command to run")
    browser = _BrowserRoutes(person_of, internal_link, tuple(command), dict(env or {}))
    app.router.add_get("/j/{token}/", browser.page)
    app.router.add_get("/j/{token}/ws", browser.websocket)
    app.router.add_get("/j/{token}/static/{path:.+}", browser.static)
    app[_ROUTES] = browser
    app.on_shutdown.append(browser.close_tabs)


async def close_browser_tabs(app: web.Application) -> None:
    """Close every open tab's socket and wait for its app to end (the room closed; the server
    may go on answering 403). The server's shutdown does the same by itself."""
    await app[_ROUTES].close_tabs(app)


MAX_TEMPLATE_BYTES = 64 * 1024
"""The page template ships in the package; it is read as every file is, capped."""

_ROUTES: web.AppKey[_BrowserRoutes] = web.AppKey("reviewtui-browser-routes")


def browser_page(*, websocket_url: str, static_url: str, font_size: int = 16) -> str:
    """The page that runs the app in a browser: textual-serve's terminal pointed at `websocket_url`."""
    page = Path(str(files(__package__).joinpath("templates", PAGE_TEMPLATE)))
    template = string.Template(
        read_capped(page, max_bytes=MAX_TEMPLATE_BYTES, what="page template").decode("utf-8")
    )
    return template.substitute(
        websocket_url=html.escape(websocket_url, quote=True),
        static_url=html.escape(static_url, quote=True),
        font_size=str(font_size),
    )


def child_environment(
    person: Person, join_link: str, extra: Mapping[str, str], width: int, height: int
) -> dict[str, str]:
    """The spawned app's whole environment (what textual-serve's web driver needs, and who it is)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name in INHERITED_ENVIRONMENT or name.startswith("LC_")
    }
    environment.update(extra)
    environment.update(
        {
            # What textual-serve's AppService._build_environment sets (1.1.3), minus os.environ.
            "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
            "TEXTUAL_FPS": "60",
            "TEXTUAL_COLOR_SYSTEM": "truecolor",
            "TERM_PROGRAM": "textual",
            "TERM_PROGRAM_VERSION": version("textual-serve"),
            "COLUMNS": str(width),
            "ROWS": str(height),
            "REVIEWTUI_JOIN_LINK": join_link,
            "REVIEWTUI_VIA": "browser",
        }
    )
    return environment


def _cells(value: object, default: int) -> int:
    return _bounded(value, default, (MIN_CELLS, MAX_CELLS))


def _bounded(value: object, default: int, bounds: tuple[int, int]) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default
    return max(bounds[0], min(bounds[1], number))


@dataclass
class _BrowserRoutes:
    person_of: Callable[[web.Request], Person | None]
    internal_link: Callable[[Person], str]
    command: tuple[str, ...]
    extra_env: dict[str, str]
    tabs: dict[web.WebSocketResponse, asyncio.Event] = field(default_factory=dict)
    tabs_of: dict[Person, int] = field(default_factory=dict)
    downloads: DownloadManager = field(default_factory=DownloadManager)

    async def page(self, request: web.Request) -> web.StreamResponse:
        if self.person_of(request) is None:
            return web.Response(status=403)
        token = request.match_info["token"]
        scheme = "wss" if request.secure else "ws"
        # The Host header the browser sent: through an SSH tunnel it names the tunnel's local port.
        text = browser_page(
            websocket_url=f"{scheme}://{request.host}/j/{token}/ws",
            static_url=f"/j/{token}/static/",
            font_size=_bounded(request.query.get("fontsize"), 16, FONT_SIZES),
        )
        return web.Response(
            text=text,
            content_type="text/html",
            headers={
                "Cache-Control": "no-store",
                "Content-Security-Policy": (
                    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                    "base-uri 'none'; form-action 'none'"
                ),
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def static(self, request: web.Request) -> web.StreamResponse:
        if self.person_of(request) is None:
            return web.Response(status=403)
        try:
            wanted = (STATIC_ROOT / request.match_info["path"]).resolve()
            found = wanted.is_relative_to(STATIC_ROOT) and wanted.is_file()
        except (OSError, ValueError):  # a NUL byte, a name too long
            found = False
        if not found:
            raise web.HTTPNotFound()
        return web.FileResponse(wanted, headers={"X-Content-Type-Options": "nosniff"})

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        person = self.person_of(request)
        if person is None:
            return web.Response(status=403)  # before the upgrade: no socket for nobody
        if self.tabs_of.get(person, 0) >= MAX_TABS_PER_PERSON:
            return web.Response(status=429)  # the page says the session ended; closing a tab frees one
        width = _cells(request.query.get("width"), 80)
        height = _cells(request.query.get("height"), 24)
        socket = web.WebSocketResponse(heartbeat=15)
        self.tabs_of[person] = self.tabs_of.get(person, 0) + 1
        try:
            await socket.prepare(request)
        except BaseException:
            self._forget(person)
            raise
        done = self.tabs[socket] = asyncio.Event()
        service: TabApp | None = None
        try:
            environment = child_environment(person, self.internal_link(person), self.extra_env, width, height)
            service = TabApp(
                self.command,
                environment,
                write_bytes=socket.send_bytes,
                write_str=socket.send_str,
                close=socket.close,
                download_manager=self.downloads,
            )
            await service.start(width, height)
        except OSError as error:  # the command is not there or cannot run: the page says it ended
            log.warning("the browser participant app could not start: %s", error)
        else:
            await _relay(socket, service)
        finally:
            try:
                if service is not None:
                    await service.stop()
            finally:
                with contextlib.suppress(Exception):
                    await socket.close()
                del self.tabs[socket]
                self._forget(person)
                done.set()
        return socket

    def _forget(self, person: Person) -> None:
        self.tabs_of[person] -= 1
        if not self.tabs_of[person]:
            del self.tabs_of[person]

    async def close_tabs(self, app: web.Application) -> None:
        """Every open tab's socket closed and its app gone, before the server stops."""
        tabs = list(self.tabs.items())
        for socket, _ in tabs:
            await socket.close(code=1001, message=b"room closed")
        waits = [done.wait() for _, done in tabs]
        try:
            grace = browser_process.QUIT_GRACE_SECONDS + browser_process.TERM_GRACE_SECONDS + 5
            await asyncio.wait_for(asyncio.gather(*waits), grace)
        except TimeoutError:  # the server's own shutdown cancels what is left
            log.warning(
                "%d browser tab(s) still closing when the room stopped", sum(not d.is_set() for _, d in tabs)
            )


async def _relay(socket: web.WebSocketResponse, service: TabApp) -> None:
    """The browser's messages to the app until the tab's socket closes (textual.js's protocol)."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(_cells(data.get("width"), 80), _cells(data.get("height"), 24))
        elif kind == "ping":
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()

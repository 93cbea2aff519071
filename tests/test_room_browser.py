# ruff: noqa: F811 (the imported fixture is taken as a parameter by name, as pytest does)
"""A participant in a real headless browser: Debian's chromium, driven by Playwright, on the page
`mount_browser` serves behind a token gate, with a small Textual app in place of the participant app.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from browser_support import (  # noqa: F401 (chromium_browser: the browser fixture)
    ANA,
    ARTIFACTS,
    FIRST_BYTE,
    LEE,
    TESTS,
    GatedRoom,
    chromium_browser,
    gone,
    open_app,
    served,
    until,
)
from reviewtui.room import browser, browser_process
from reviewtui.room.browser import mount_browser


def journal(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.endswith("}")]


def values(entries: list[dict]) -> list[str]:
    return [entry["value"] for entry in entries if entry["event"] == "value"]


@pytest.fixture
async def room(tmp_path: Path):
    room = GatedRoom(tmp_path / "echo.jsonl", [ANA, LEE])
    await room.start()
    yield room
    await room.stop()


async def test_a_browser_participant_types_into_the_served_app_as_themselves(
    chromium_browser, room: GatedRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWTUI_HOST_ONLY", "not for the participant")  # the host's own environment
    echo = tmp_path / "echo.jsonl"
    notes: dict[str, list[str]] = {"console": [], "requests": [], "failed": []}
    page = await open_app(chromium_browser, room.link(ANA), notes)
    start = await until(lambda: journal(echo)[:1], "the app started")
    assert start[0]["via"] == "browser"
    assert start[0]["link"] == f"http://127.0.0.1:{room.port}/j/internal-employee/"
    # A minimal environment: the few names kept from the host's, what textual-serve's driver needs,
    # what the room adds (and the test's own two); never the rest of the host's.
    kept = {*browser.INHERITED_ENVIRONMENT, "BROWSER_ECHO_FILE", "TEXTUAL_ANIMATIONS"}
    added = {"TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION"}
    added |= {"COLUMNS", "ROWS", "REVIEWTUI_JOIN_LINK", "REVIEWTUI_VIA"}
    unexpected = {name for name in start[0]["environment"] if not name.startswith("LC_")} - kept - added
    assert unexpected == set()
    assert "REVIEWTUI_HOST_ONLY" not in start[0]["environment"]
    assert start[0]["size"][0] > 80  # COLUMNS/ROWS from the browser's window, not a default

    await page.mouse.click(450, 60)  # focus xterm's canvas
    await page.keyboard.type("héllo 漢", delay=20)
    await until(lambda: "héllo 漢" in values(journal(echo)), "the typed text reached the app")
    await page.wait_for_timeout(300)  # the frame with the text drawn
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "browser_participant.png"
    await page.screenshot(path=str(shot))
    print(f"browser participant screenshot: {shot}")
    text = await page.evaluate("() => document.body.innerText")
    assert "Session ended" not in text and "session ended" not in text

    # Everything came from the room's own address: no font service, no favicon, nothing failed.
    origin = f"http://127.0.0.1:{room.port}/j/"
    assert notes["requests"] and all(url.startswith((origin, "data:")) for url in notes["requests"]), notes
    assert notes["failed"] == [] and notes["console"] == [], notes

    # Typed, and the tab closed at once: what reached the app is kept, and the app ends normally.
    await page.keyboard.type(" LAST", delay=10)
    await page.close()
    entries = await until(
        lambda: [e for e in journal(echo) if e["event"] == "exit"] and journal(echo), "exit"
    )
    assert values(entries)[-1] == "héllo 漢 LAST"
    await until(lambda: gone(start[0]["pid"]), "the tab's app process ended", 5)


async def test_each_tab_runs_its_own_app_as_the_person_of_its_link(
    chromium_browser, room: GatedRoom, tmp_path: Path
) -> None:
    echo = tmp_path / "echo.jsonl"
    ana = await open_app(chromium_browser, room.link(ANA))
    lee = await open_app(chromium_browser, room.link(LEE))
    starts = await until(
        lambda: [e for e in journal(echo) if e["event"] == "start"][1:] and journal(echo), "2"
    )
    links = sorted(e["link"] for e in starts if e["event"] == "start")
    assert links == [
        f"http://127.0.0.1:{room.port}/j/internal-employee/",
        f"http://127.0.0.1:{room.port}/j/internal-partner-1/",
    ]
    pids = {e["pid"] for e in starts if e["event"] == "start"}
    assert len(pids) == 2
    await ana.close()
    await lee.close()
    await until(lambda: all(gone(pid) for pid in pids), "both apps ended")


async def test_the_page_builds_its_socket_from_the_host_the_browser_asked_for(room: GatedRoom) -> None:
    # Through an SSH tunnel the browser asks localhost:<another port>; the socket must go there too.
    link = room.link(ANA)
    token = link.split("/")[4]
    async with (
        aiohttp.ClientSession() as http,
        http.get(link, headers={"Host": "localhost:9999"}) as response,
    ):
        page = await response.text()
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-store"
        # The page may talk to its own address only (and the test above shows the app still runs).
        assert "connect-src 'self';" in response.headers["Content-Security-Policy"]
    assert f'data-session-websocket-url="ws://localhost:9999/j/{token}/ws"' in page
    assert f'href="/j/{token}/static/css/xterm.css"' in page
    assert (
        '<meta name="referrer" content="no-referrer" />' in page
        and '<link rel="icon" href="data:," />' in page
    )
    assert "googleapis" not in page and "http" not in page.replace("http-equiv", "")


async def test_without_a_valid_token_every_route_is_refused_with_nothing_else(
    chromium_browser, room: GatedRoom, tmp_path: Path
) -> None:
    token = room.link(ANA).split("/")[4]
    base = f"http://127.0.0.1:{room.port}"
    refused = [
        "/", "/ws", "/static/js/textual.js", "/download/x", "/favicon.ico", "/j/", "/j//",
        f"/j/{token}", "/j/bad-token/", "/j/bad-token/ws", "/j/bad-token/static/js/textual.js",
        f"/j/{token[:-1]}/", f"/j/{token}x/",
    ]  # fmt: skip
    async with aiohttp.ClientSession() as http:
        for path in refused:
            async with http.get(base + path) as response:
                assert (response.status, await response.read()) == (403, b""), path
                assert "Server" not in response.headers
        # No socket either, refused before the upgrade.
        for path in ("/ws", "/j/ws", "/j//ws", "/j/bad-token/ws", f"/j/{token[:-1]}/ws", f"/j/{token}x/ws"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refusal:
                await http.ws_connect(base + path)
            assert refusal.value.status == 403, path
        # A valid token opens its routes and nothing more: no listing, no download, no way out.
        for path in (
            "static/",
            "static/js",
            "download/x",
            "static/%2e%2e/app_service.py",
            "static/js%00",
            "static/../../x.py",
        ):
            # As sent (the client would fold the `..` away); the gate or the static handler refuses.
            async with http.get(URL(f"{base}/j/{token}/{path}", encoded=True)) as response:
                assert response.status in (403, 404), path
                assert b"import" not in await response.read(), path
        async with http.get(f"{base}/j/{token}/static/js/textual.js") as response:
            assert response.status == 200

    # The browser gets the bare 403 (chromium shows its own error page for an empty one) and no app.
    from playwright.async_api import Error as PlaywrightError

    page = await chromium_browser.new_page()
    requests: list[str] = []
    statuses: list[tuple[str, int]] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: statuses.append((r.url, r.status)))
    with pytest.raises(PlaywrightError, match="ERR_HTTP_RESPONSE_CODE_FAILURE"):
        await page.goto(f"{base}/j/bad-token/")
    await page.wait_for_timeout(500)
    # Nothing further was fetched: no script, no style, no socket.
    assert (requests, statuses) == ([f"{base}/j/bad-token/"], [(f"{base}/j/bad-token/", 403)])
    await page.close()
    assert not (tmp_path / "echo.jsonl").exists()  # no app was started for anyone


async def test_the_routes_refuse_when_the_gate_named_nobody(tmp_path: Path) -> None:
    app = web.Application()
    mount_browser(
        app,
        person_of=lambda request: None,
        internal_link=lambda person: "",
        command=[sys.executable, "-c", ""],
    )
    async with served(app) as port, aiohttp.ClientSession() as http:
        for path in ("", "ws", "static/js/textual.js"):
            async with http.get(f"http://127.0.0.1:{port}/j/anyone/{path}") as response:
                assert (response.status, await response.read()) == (403, b""), path


async def test_the_apps_end_when_the_room_stops_with_tabs_open(
    chromium_browser, room: GatedRoom, tmp_path: Path
) -> None:
    echo = tmp_path / "echo.jsonl"
    page = await open_app(chromium_browser, room.link(ANA))
    pid = (await until(lambda: journal(echo)[:1], "the app started"))[0]["pid"]
    await page.mouse.click(450, 60)
    await page.keyboard.type("kept", delay=10)
    await until(lambda: "kept" in values(journal(echo)), "typed")
    await room.stop()
    # The app was asked to quit and ended normally, before the server's shutdown returned.
    assert journal(echo)[-1]["event"] == "exit"
    assert gone(pid)
    await page.wait_for_selector("body.-closed", timeout=5000)  # the page says the session ended
    await page.close()


async def test_closing_the_tabs_ends_their_apps_while_the_server_goes_on(
    chromium_browser, room: GatedRoom, tmp_path: Path
) -> None:
    # The room closed (its tokens die with it) but the listener still answers: no app runs on.
    echo = tmp_path / "echo.jsonl"
    page = await open_app(chromium_browser, room.link(ANA))
    pid = (await until(lambda: journal(echo)[:1], "the app started"))[0]["pid"]
    await browser.close_browser_tabs(room.app)
    assert journal(echo)[-1]["event"] == "exit" and gone(pid)
    await page.wait_for_selector("body.-closed", timeout=5000)
    await page.close()


async def test_the_apps_die_with_a_killed_host(chromium_browser, tmp_path: Path) -> None:
    echo = tmp_path / "echo.jsonl"
    host = subprocess.Popen(
        [sys.executable, str(TESTS / "browser_support.py"), str(echo)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        line = await asyncio.wait_for(asyncio.to_thread(host.stdout.readline), 20)  # type: ignore[union-attr]
        assert line.startswith("LINK "), line
        page = await open_app(chromium_browser, line.split()[1])
        pid = (await until(lambda: journal(echo)[:1], "the app started"))[0]["pid"]
        host.send_signal(signal.SIGKILL)
        host.wait(5)
        await until(lambda: gone(pid), "the app died with its host", 5)
        await page.wait_for_selector("body.-closed", timeout=5000)
        await page.close()
    finally:
        host.kill()
        host.wait(5)


async def test_over_tls_the_page_talks_to_its_app_on_a_secure_socket(
    chromium_browser, tmp_path: Path
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    echo = tmp_path / "echo.jsonl"
    room = GatedRoom(echo, [ANA], ssl_context=context)
    await room.start()
    try:
        link = room.link(ANA)
        token = link.split("/")[4]
        browser_context = await chromium_browser.new_context(
            viewport={"width": 900, "height": 300}, ignore_https_errors=True
        )
        page = await browser_context.new_page()
        await page.goto(link)
        url = await page.get_attribute(".textual-terminal", "data-session-websocket-url")
        assert url == f"wss://127.0.0.1:{room.port}/j/{token}/ws"
        await page.wait_for_selector(FIRST_BYTE, timeout=20000)
        await page.mouse.click(450, 60)
        await page.keyboard.type("over tls", delay=10)
        await until(lambda: "over tls" in values(journal(echo)), "the typed text reached the app")
        await browser_context.close()
    finally:
        await room.stop()


# Whether the browser fixture skips or fails without chromium, in a pytest of its own.
PROBE = """
from pathlib import Path

import browser_support
from browser_support import chromium_browser

browser_support.CHROMIUM = Path("/nowhere/chromium")


async def test_probe(chromium_browser):
    pass
"""


@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_without_chromium_the_browser_tests_skip_but_fail_under_ci(
    tmp_path: Path, ci: str, outcome: str
) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsf", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": ci, "PYTHONPATH": str(TESTS)},
    )
    assert outcome in result.stdout, result.stdout
    assert (result.returncode != 0) == (ci == "true")  # under CI the run fails
    reason = "the browser test needs Debian's chromium at /nowhere/chromium: apt-get install chromium"
    assert reason in result.stdout, result.stdout


# An app that ignores textual-serve's `quit` and SIGTERM: it is still gone soon after its tab closes.
STUBBORN_APP = """
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
open(os.environ["BROWSER_ECHO_FILE"], "w").write(str(os.getpid()))
sys.stdout.write("__GANGLION__\\n")
sys.stdout.flush()
time.sleep(120)
"""


async def test_an_app_that_does_not_quit_is_killed_when_its_tab_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_process, "QUIT_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(browser_process, "TERM_GRACE_SECONDS", 0.5)
    pid_file = tmp_path / "pid"
    app = web.Application()
    mount_browser(
        app,
        person_of=lambda request: ANA,
        internal_link=lambda person: "http://127.0.0.1:1/j/internal/",
        command=[sys.executable, "-c", STUBBORN_APP],
        env={"BROWSER_ECHO_FILE": str(pid_file)},
    )
    async with served(app) as port, aiohttp.ClientSession() as http:
        socket = await http.ws_connect(f"http://127.0.0.1:{port}/j/anyone/ws")
        pid = int(await until(lambda: pid_file.exists() and pid_file.read_text(), "the app started"))
        started = time.monotonic()
        await socket.close()
        await until(lambda: gone(pid), "the stubborn app was killed", 5)
        assert time.monotonic() - started >= 1.0  # it had its chance to quit, then SIGTERM's


async def test_an_app_that_cannot_start_closes_its_tab_and_the_room_goes_on(tmp_path: Path) -> None:
    app = web.Application()
    mount_browser(
        app,
        person_of=lambda request: ANA,
        internal_link=lambda person: "http://127.0.0.1:1/j/internal/",
        command=[str(tmp_path / "no-such-app")],
    )
    async with served(app) as port, aiohttp.ClientSession() as http:
        for _ in range(2):  # and the next tab is served the same way
            socket = await http.ws_connect(f"http://127.0.0.1:{port}/j/anyone/ws")
            message = await asyncio.wait_for(socket.receive(), 5)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            await socket.close()
        async with http.get(f"http://127.0.0.1:{port}/j/anyone/") as response:
            assert response.status == 200


def test_the_app_is_told_who_it_is_by_the_room_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Neither the host's environment nor the extra variables can change the identity the room gives.
    monkeypatch.setenv("REVIEWTUI_JOIN_LINK", "http://127.0.0.1:1/j/host-own/")
    monkeypatch.setenv("REVIEWTUI_VIA", "host_screen")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    extra = {"REVIEWTUI_VIA": "joined_terminal", "COLUMNS": "1", "A_TEST_VALUE": "1"}
    environment = browser.child_environment(ANA, "http://127.0.0.1:2/j/minted/", extra, 120, 40)
    assert environment["REVIEWTUI_JOIN_LINK"] == "http://127.0.0.1:2/j/minted/"
    assert environment["REVIEWTUI_VIA"] == "browser"
    assert (environment["COLUMNS"], environment["ROWS"]) == ("120", "40")
    assert environment["A_TEST_VALUE"] == "1" and environment["LC_ALL"] == "C.UTF-8"


def test_the_page_escapes_what_the_request_put_in_it() -> None:
    # The socket's address comes from the request's Host header: it cannot add markup to the page.
    page = browser.browser_page(
        websocket_url='ws://x"><script>alert(1)</script>/ws', static_url="/j/t/static/"
    )
    assert "<script>alert" not in page
    assert 'data-session-websocket-url="ws://x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/ws"' in page


async def test_a_link_opens_a_few_tabs_at_once_and_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each tab is a process on the host: a link cannot make it start any number of them.
    monkeypatch.setattr(browser, "MAX_TABS_PER_PERSON", 2)
    monkeypatch.setattr(browser_process, "QUIT_GRACE_SECONDS", 0.2)  # its app ignores quit
    monkeypatch.setattr(browser_process, "TERM_GRACE_SECONDS", 0.2)
    app = web.Application()
    mount_browser(
        app,
        person_of=lambda request: LEE if request.match_info["token"] == "lee" else ANA,
        internal_link=lambda person: "http://127.0.0.1:1/j/internal/",
        command=[sys.executable, "-c", STUBBORN_APP.replace("time.sleep(120)", "sys.stdin.read()")],
        env={"BROWSER_ECHO_FILE": str(tmp_path / "pid")},
    )
    async with served(app) as port, aiohttp.ClientSession() as http:
        ana = f"http://127.0.0.1:{port}/j/ana/ws"
        first, second = await http.ws_connect(ana), await http.ws_connect(ana)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refusal:
            await http.ws_connect(ana)
        assert refusal.value.status == 429
        other = await http.ws_connect(f"http://127.0.0.1:{port}/j/lee/ws")  # another person's link
        await first.close()
        third = await until_connected(http, ana)
        for socket in (second, other, third):
            await socket.close()


async def until_connected(http: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    """The socket, once the host has let a closed tab go (it frees its place after its app ended)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return await http.ws_connect(url)
        except aiohttp.WSServerHandshakeError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)

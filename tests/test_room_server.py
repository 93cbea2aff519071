"""The room's server over real sockets: the token gate on every path, the sync socket, the guard,
presence written by the host, asks, the single-use browser link, closing, and TLS."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import ssl
import subprocess

import aiohttp
import pytest
from pycrdt import Map

from room_helpers import append, empty_shared, ensure_room_modules, loaded_shared, text_of

ensure_room_modules()

from reviewtui.room.client import RoomClient  # noqa: E402
from reviewtui.room.people import Person, people_of  # noqa: E402
from reviewtui.room.server import RoomServer  # noqa: E402


class Room:
    """A started RoomServer on the sample draft, with what its callbacks heard."""

    def __init__(self, **options) -> None:
        self.shared = loaded_shared()
        self.people = people_of(self.shared.draft_data())
        self.asks: list[tuple[Person, str, dict]] = []
        self.changes: list[tuple[Person | None, str | None, set[str]]] = []
        self.server = RoomServer(
            self.shared,
            self.people,
            on_ask=lambda *heard: self.asks.append(heard),
            on_change=lambda *heard: self.changes.append(heard),
            **options,
        )

    @property
    def base(self) -> str:
        scheme = "https" if self.server.ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self.server.port}"

    def token(self, key: str) -> str:
        return self.server.links[key].rstrip("/").rsplit("/", 1)[1]

    def room_root(self) -> dict:
        return self.shared.doc.get("room", type=Map).to_py()


@pytest.fixture
async def room():
    opened = Room()
    await opened.server.start()
    yield opened
    await opened.server.stop()


async def until(condition, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def raw_request(port: int, path: str, *, upgrade: bool) -> tuple[str, dict[str, str], bytes]:
    """A hand-written HTTP/1.1 request (the path goes out exactly as given, `..` and all)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if upgrade:
        key = base64.b64encode(os.urandom(16)).decode()
        lines[2:] = ["Connection: Upgrade", "Upgrade: websocket", f"Sec-WebSocket-Key: {key}"]
        lines.append("Sec-WebSocket-Version: 13")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    status, *header_lines = head.decode().split("\r\n")
    headers = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await asyncio.wait_for(reader.read(int(headers.get("content-length", "0"))), 5)
    writer.close()
    return status, headers, body


REFUSED_PATHS = ["/", "/j/", "/j", "/j/bad/", "/j/bad/crdt", "/j/bad/ws", "/j/bad/static/x"]
REFUSED_PATHS += ["/static/x", "/ws", "/download/x", "/favicon.ico", "/j//crdt"]


async def assert_refused(room: Room, path: str) -> None:
    for upgrade in (False, True):
        status, headers, body = await raw_request(room.server.port, path, upgrade=upgrade)
        assert status.startswith("HTTP/1.1 403"), (path, upgrade, status)
        assert body == b"" and headers.get("content-length") == "0", (path, body)
        assert "server" not in headers and "upgrade" not in headers, (path, headers)


async def test_a_wrong_or_missing_token_is_refused_on_each_endpoint(room: Room) -> None:
    employee, partner = room.token("employee"), room.token("partner-1")
    wrong = employee[:-1] + ("A" if employee[-1] != "A" else "B")  # one character off
    paths = [*REFUSED_PATHS, f"/j/{wrong}/crdt", f"/j/{wrong}/", f"/j/{employee.upper()}/crdt"]
    # Path traversal from one valid token to another, plain and escaped.
    paths += [f"/j/{employee}/../{partner}/crdt", f"/j/{employee}/%2e%2e/{partner}/crdt"]
    paths += [f"/j/{wrong}/../{employee}/crdt", f"/j/{employee}"]
    for path in paths:
        await assert_refused(room, path)
    async with aiohttp.ClientSession() as session:
        for path in ("/j/bad/crdt", f"/j/{wrong}/crdt", "/"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(room.base + path)
            assert refused.value.status == 403
    assert room.server.connections() == []


async def test_a_valid_token_syncs_and_an_unknown_sub_path_is_not_found(room: Room) -> None:
    status, headers, _ = await raw_request(
        room.server.port, f"/j/{room.token('employee')}/nothing", upgrade=False
    )
    assert status.startswith("HTTP/1.1 404") and "server" not in headers
    participant = empty_shared()
    async with RoomClient(room.server.links["employee"], participant) as client:
        assert await client.synced()
        assert participant.draft_data()["employee_name"] == "Ana Lima"
        assert room.server.connections() == [(room.people[1], "joined_terminal")]


async def test_an_expired_token_is_refused_after_close(room: Room) -> None:
    links = room.server.links
    statuses: list[tuple[str, str]] = []
    participant = empty_shared()
    async with RoomClient(links["partner-1"], participant, on_status=lambda *s: statuses.append(s)) as client:
        assert await client.synced()
        await room.server.close("Time is up")
        await until(lambda: client.state == "closed")
        assert client.status == "The host closed the room: Time is up"
    assert room.room_root()["closed"] is True
    assert room.server.links == {}
    for link in links.values():
        token = link.rstrip("/").rsplit("/", 1)[1]
        for path in (f"/j/{token}/", f"/j/{token}/crdt", f"/j/{token}/ws"):
            await assert_refused(room, path)
    async with RoomClient(links["partner-1"], empty_shared()) as late:
        assert not await late.synced()
        assert (late.state, late.status) == ("refused", "This link is not valid any more")


async def test_edits_cross_both_ways_and_concurrent_typing_keeps_every_character(room: Room) -> None:
    ana, pat = empty_shared(), empty_shared()
    async with (
        RoomClient(room.server.links["employee"], ana) as a,
        RoomClient(room.server.links["partner-1"], pat) as p,
    ):
        assert await a.synced() and await p.synced()
        append(ana, "reading", "from Ana")
        await until(lambda: text_of(pat, "reading") == "from Ana")
        append(pat, "comments", "from Pat é🙂;")
        await until(lambda: text_of(ana, "comments") == "from Pat é🙂;")
        for i in range(60):  # both type into one field without waiting for each other
            append(ana, "comments", f"a{i};")
            append(pat, "comments", f"p{i};")
            if i % 7 == 0:
                await asyncio.sleep(0)
        expected = len("from Pat é🙂;") + sum(len(f"a{i};") + len(f"p{i};") for i in range(60))

        def converged() -> bool:
            final = text_of(room.shared, "comments")
            return len(final) == expected and text_of(ana, "comments") == text_of(pat, "comments") == final

        await until(converged)
    final = text_of(room.shared, "comments")
    for who in "ap":
        mine = [part for part in final.split(";") if part.startswith(who) and part[1:].isdigit()]
        assert mine == [f"{who}{i}" for i in range(60)]  # every character, each typist's order kept
    assert ("employee", "joined_terminal") in {(p.key, v) for p, v, _ in room.changes}
    assert all(fields <= {"reading", "comments"} for _, _, fields in room.changes)


@pytest.mark.parametrize("forge", ["protected draft key", "room root", "on connect"])
async def test_a_forged_update_closes_the_socket_with_4003_and_changes_nothing(
    room: Room, forge: str
) -> None:
    before_draft, before_room = room.shared.draft_data(), room.room_root()
    participant = empty_shared()
    if forge == "on connect":  # a doc that already holds the forgery when it connects (its sync step 2)
        participant.doc.apply_update(room.shared.doc.get_update())
        participant.doc.get("draft", type=Map)["manager_confirmed"] = True
    statuses: list[tuple[str, str]] = []
    async with RoomClient(
        room.server.links["employee"], participant, on_status=lambda *s: statuses.append(s)
    ) as client:
        if forge != "on connect":
            assert await client.synced()
            if forge == "room root":
                participant.doc.get("room", type=Map)["closed"] = True
            else:
                participant.doc.get("draft", type=Map)["employee_confirmed"] = True
        await until(lambda: client.state == "refused")
        assert client.status.startswith("The host refused an edit from here (")
    assert room.shared.draft_data() == before_draft
    assert {k: v for k, v in room.room_root().items() if k != "people"} == {
        k: v for k, v in before_room.items() if k != "people"
    }
    assert room.server.connections() == []
    assert room.changes == []


async def test_presence_and_asks_are_the_hosts_word_for_the_token_owner(room: Room) -> None:
    participant = empty_shared()
    async with RoomClient(room.server.links["partner-1"], participant) as client:
        assert await client.synced()
        client.send_presence(3, "feedback.0.observed", True)
        await until(lambda: json.loads(room.room_root()["people"])[2]["step"] == 3)
        people = json.loads(room.room_root()["people"])
        assert [p["key"] for p in people] == ["manager", "employee", "partner-1"]
        assert people[0]["connected"] == ["host_screen"] and people[1]["connected"] == []
        assert people[2] | {} == {
            "key": "partner-1",
            "name": "Pat Kim",
            "role": "partner",
            "connected": ["joined_terminal"],
            "step": 3,
            "field": "feedback.0.observed",
        }
        # What the participant's own doc says of presence is the host's copy, synced to it.
        await until(lambda: json.loads(participant.doc.get("room", type=Map).to_py()["people"]) == people)
        assert client.ask("confirm", value=True, key="manager")  # the payload cannot change who asks
        await until(lambda: len(room.asks) == 1)
        person, via, payload = room.asks[0]
        assert (person.key, person.name, via) == ("partner-1", "Pat Kim", "joined_terminal")
        assert payload["ask"] == "confirm" and payload["value"] is True
    await until(lambda: json.loads(room.room_root()["people"])[2]["connected"] == [])


async def test_the_internal_link_is_single_use_and_marks_the_browser(room: Room) -> None:
    link = room.server.mint_internal_link(room.people[1])
    async with RoomClient(link, empty_shared()) as browser:
        assert await browser.synced()
        assert room.server.connections() == [(room.people[1], "browser")]
        async with RoomClient(link, empty_shared()) as second:
            assert not await second.synced()
            assert second.state == "refused"
    token = link.rstrip("/").rsplit("/", 1)[1]
    await assert_refused(room, f"/j/{token}/crdt")


def self_signed(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: it makes the test's self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_tls_with_the_hosts_certificate(tmp_path) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    room = Room(ssl_context=context)
    await room.server.start()
    try:
        link = room.server.links["employee"]
        assert link.startswith(f"https://127.0.0.1:{room.server.port}/j/")
        participant = empty_shared()
        async with RoomClient(link, participant, cafile=str(cert)) as client:
            assert await client.synced()
            append(participant, "comments", "over TLS")
            await until(lambda: text_of(room.shared, "comments") == "over TLS")
        async with RoomClient(link, empty_shared()) as untrusting:  # no cafile: the system's CAs
            assert not await untrusting.synced()
            assert untrusting.state == "refused" and "--cafile" in untrusting.status
        client_context = ssl.create_default_context(cafile=str(cert))
        async with aiohttp.ClientSession() as session:
            response = await session.get(f"{room.base}/j/bad/", ssl=client_context)
            assert response.status == 403 and await response.read() == b""
            with pytest.raises(aiohttp.ClientError):  # plain http to the TLS port gets nowhere
                await session.get(f"http://127.0.0.1:{room.server.port}{link[link.index('/j/') :]}crdt")
    finally:
        await room.server.stop()

"""The room's server over real sockets: the token gate on every path, the sync socket, the guard,
presence written by the host, asks, the single-use browser link, closing, and TLS."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import shutil
import ssl
import stat
import subprocess
from pathlib import Path
from urllib.parse import unquote

import aiohttp
import pytest
from pycrdt import Map

from reviewtui.room.client import RoomClient
from reviewtui.room.people import Person, people_of
from reviewtui.room.server import RoomServer
from room_helpers import append, empty_shared, loaded_shared, text_of


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
        await asyncio.sleep(0.3)  # time for Pat's Provider to send back what it received
        # Who wrote what: Ana's edit is hers only, though Pat's side re-sent it.
        assert [(person.key, fields) for person, _, fields in room.changes] == [("employee", {"reading"})]
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
    socket_path = Path(unquote(link.split("://", 1)[1].split("/j/", 1)[0]))
    assert link.startswith("http+unix://") and socket_path.is_socket()
    assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700  # only this user reaches it
    async with RoomClient(link, empty_shared()) as browser:
        assert await browser.synced()
        assert room.server.connections() == [(room.people[1], "browser")]
        async with RoomClient(link, empty_shared()) as second:
            assert not await second.synced()
            assert second.state == "refused"
    token = link.rstrip("/").rsplit("/", 1)[1]
    await assert_refused(room, f"/j/{token}/crdt")
    await room.server.stop()
    assert not socket_path.parent.exists()


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
        internal = room.server.mint_internal_link(room.people[1])  # the browser app: no certificate needed
        async with RoomClient(internal, empty_shared()) as browser:
            assert await browser.synced()
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


class Proxy:
    """A TCP relay between a client and the room: `cut()` breaks the link (both sockets reset),
    `freeze()` stops relaying while keeping the sockets open (a pulled cable), `mend()` lets new
    connections through again."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.open = True
        self.frozen = False
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.transport.abort()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers += [writer, up_writer]

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while chunk := await source.read(65536):
                while self.frozen:
                    await asyncio.sleep(0.05)
                sink.write(chunk)
                await sink.drain()
            sink.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer), return_exceptions=True)

    def cut(self) -> None:
        self.open = False
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    def mend(self) -> None:
        self.open, self.frozen = True, False

    async def stop(self) -> None:
        self.cut()
        assert self._server is not None
        self._server.close()


def via_proxy(link: str, port: int) -> str:
    return f"http://127.0.0.1:{port}{link[link.index('/j/') :]}"


async def test_a_lost_link_reconnects_with_the_same_link_and_sends_what_was_typed_meanwhile(
    room: Room,
) -> None:
    proxy = Proxy(room.server.port)
    port = await proxy.start()
    statuses: list[tuple[str, str]] = []
    participant = empty_shared()
    link = via_proxy(room.server.links["employee"], port)
    try:
        async with RoomClient(link, participant, on_status=lambda *s: statuses.append(s)) as client:
            assert await client.synced()
            client.send_presence(1, "reading", False)
            append(participant, "reading", "before ")
            await until(lambda: text_of(room.shared, "reading") == "before ")
            proxy.cut()
            await until(lambda: client.state == "dropped")
            assert client.status == "Link to the host lost; reconnecting (your edits are kept here)"
            append(participant, "reading", "while cut ")
            append(room.shared, "comments", "host typed meanwhile")
            await asyncio.sleep(0.5)  # a few refused reconnects
            assert client.state == "dropped" and text_of(room.shared, "reading") == "before "
            proxy.mend()
            await until(lambda: client.state == "live", timeout=10)
            await until(lambda: text_of(room.shared, "reading") == "before while cut ")
            await until(lambda: text_of(participant, "comments") == "host typed meanwhile")
            # Presence is sent again on the new connection.
            await until(lambda: json.loads(room.room_root()["people"])[1]["step"] == 1)
        assert [s for s, _ in statuses][:3] == ["live", "dropped", "live"]
        assert statuses[-1] == ("closed", "You left the room")
    finally:
        await proxy.stop()


async def test_a_silent_link_is_noticed_by_the_heartbeat(room: Room) -> None:
    proxy = Proxy(room.server.port)
    port = await proxy.start()
    try:
        async with RoomClient(via_proxy(room.server.links["employee"], port), empty_shared()) as client:
            assert await client.synced()
            proxy.frozen = True  # nothing crosses, nothing is closed: only the heartbeat can tell
            await until(lambda: client.state == "dropped", timeout=15)
            await until(lambda: room.server.connections() == [], timeout=15)
    finally:
        await proxy.stop()


async def test_the_room_listens_on_the_loopback_address_by_default(room: Room) -> None:
    assert room.server._runner is not None
    addresses = room.server._runner.addresses
    assert [address[0] for address in addresses if isinstance(address, tuple)] == ["127.0.0.1"]
    (unix_socket,) = [address for address in addresses if not isinstance(address, tuple)]
    assert Path(unix_socket).name == "room.sock"  # the browser apps' private way in, not a network one
    assert all(
        link.startswith(f"http://127.0.0.1:{room.server.port}/j/") for link in room.server.links.values()
    )
    assert sorted(room.server.links) == [
        "employee",
        "partner-1",
    ]  # the manager is the host; blank rows get none


def test_people_of_a_draft_manager_first_then_employee_then_named_partners_by_row() -> None:
    data = {
        "manager_name": " Max Weber ",
        "employee_name": "Ana Lima",
        "partners": [{"name": ""}, {"name": "Pat Kim", "function": "sales"}, {"name": "王芳"}],
    }
    assert people_of(data) == [
        Person("manager", "Max Weber", "manager"),
        Person("employee", "Ana Lima", "employee"),
        Person("partner-2", "Pat Kim", "partner"),
        Person("partner-3", "王芳", "partner"),
    ]
    assert people_of({}) == [Person("manager", "", "manager"), Person("employee", "", "employee")]
    assert people_of({"partners": "not a list", "employee_name": 3})[1] == Person("employee", "", "employee")


def test_tokens_are_unguessable_per_person_and_die_together() -> None:
    from reviewtui.room.tokens import TokenBook

    book = TokenBook()
    ana, pat = Person("employee", "Ana", "employee"), Person("partner-1", "Pat", "partner")
    tokens = [book.issue(ana), book.issue(pat), book.mint_internal(ana)]
    assert len(set(tokens)) == 3 and all(len(token) >= 43 for token in tokens)  # 32 random bytes
    assert book.lookup(tokens[0]).person == ana and book.lookup(tokens[0]).via == "joined_terminal"
    internal = book.lookup(tokens[2])
    assert (internal.person, internal.via) == (ana, "browser")
    book.use(internal)
    assert book.lookup(tokens[2]) is None  # single use
    book.use(book.lookup(tokens[0]))
    assert book.lookup(tokens[0]) is not None  # a join link opens again after a drop
    for guess in ("", tokens[0][:-1], tokens[0] + "x", "\udcff"):
        assert book.lookup(guess) is None
    book.forget_all()
    assert all(book.lookup(token) is None for token in tokens)


async def test_a_host_that_accepts_but_never_answers_is_not_waited_for_forever(monkeypatch) -> None:
    import reviewtui.room.client as client_module

    monkeypatch.setattr(client_module, "CONNECT_TIMEOUT", 0.3)
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # reads nothing, answers nothing, closes nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    statuses: list[tuple[str, str]] = []
    try:
        async with RoomClient(
            f"http://127.0.0.1:{port}/j/{'x' * 24}/", empty_shared(), on_status=lambda *s: statuses.append(s)
        ):
            await until(lambda: len(held) >= 2, timeout=5)  # it gave up on the first and tried again
        assert statuses[0] == ("connecting", "Cannot reach the host yet; trying again")
        assert statuses[-1] == ("closed", "You left the room")
    finally:
        server.close()


async def test_random_edits_from_two_sides_converge_through_the_server_byte_for_byte(room: Room) -> None:
    from reviewtui.room.text_ops import push_edit

    rng = random.Random(14)
    alphabet = "ab é漢🙂\n"
    ana, pat = empty_shared(), empty_shared()
    async with (
        RoomClient(room.server.links["employee"], ana) as a,
        RoomClient(room.server.links["partner-1"], pat) as p,
    ):
        assert await a.synced() and await p.synced()
        for step in range(1000):
            side = ana if step % 2 else pat
            key = rng.choice(("reading", "comments"))
            text = side.text_at(key)
            old = str(text)
            at = rng.randint(0, len(old))
            if old and rng.random() < 0.35:
                new = old[:at] + old[at + rng.randint(1, 3) :]
            else:
                new = old[:at] + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) + old[at:]
            with side.doc.transaction(origin="local"):
                push_edit(text, old, new)
            if step % 9 == 0:
                await asyncio.sleep(0)  # let some frames cross mid-typing, not all

        def same() -> bool:
            return ana.draft_data() == pat.draft_data() == room.shared.draft_data()

        await until(same, timeout=15)
    assert ana.doc.get_update() and text_of(room.shared, "comments")  # something was typed
    assert {key for _, _, fields in room.changes for key in fields} == {"reading", "comments"}


async def test_a_taken_port_fails_start_with_oserror_and_leaves_nothing_running(room: Room) -> None:
    second = Room(port=room.server.port)
    with pytest.raises(OSError):
        await second.server.start()
    assert second.server.closed and second.server._runner is None
    await second.server.stop()  # harmless after a failed start

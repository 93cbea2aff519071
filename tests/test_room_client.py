"""The room between real processes: a host process (tests/room_host.py) and participant processes
(tests/room_peer.py) over real sockets; kill -9 of either side; the client's states and messages."""

from __future__ import annotations

import json
import socket
import time

import pytest

from reviewtui.room.client import DROPPED, LINK_DEAD, crdt_target, crdt_url
from reviewtui.room.links import LinkError
from room_helpers import HOST_SCRIPT, PEER_SCRIPT, Script


def start_host(*args: str) -> tuple[Script, dict]:
    host = Script(HOST_SCRIPT, *args)
    return host, host.expect("links")


def start_peer(link: str, *args: str) -> Script:
    peer = Script(PEER_SCRIPT, link, *args)
    assert peer.expect("synced")["synced"] is True
    return peer


def draft_of(script: Script) -> dict:
    script.send("dump")
    return script.expect("draft")["draft"]


def wait_for_field(script: Script, key: str, wanted, timeout: float = 10.0) -> dict:
    """Dump `script`'s draft until `wanted(value of key)` holds; the last draft."""
    deadline = time.monotonic() + timeout
    while True:
        draft = draft_of(script)
        if wanted(draft.get(key)):
            return draft
        if time.monotonic() > deadline:
            raise AssertionError(f"{script.name}: {key} is {draft.get(key)!r}")
        time.sleep(0.05)


def type_into(script: Script, key: str, text: str) -> None:
    script.send("type", key, json.dumps(text))
    script.expect("typed")


@pytest.fixture
def host():
    process, opened = start_host()
    yield process, opened
    process.kill()


def test_two_participant_processes_edit_the_same_draft_both_ways(host) -> None:
    process, opened = host
    with start_peer(opened["links"]["employee"]) as ana, start_peer(opened["links"]["partner-1"]) as pat:
        type_into(ana, "reading", "Ana's reading ")
        wait_for_field(pat, "reading", lambda v: v == "Ana's reading ")
        type_into(pat, "comments", "Pat: 漢字 🙂")
        wait_for_field(ana, "comments", lambda v: v == "Pat: 漢字 🙂")
        changes = [process.expect("change")["change"] for _ in range(2)]
        assert ["employee", "joined_terminal", ["reading"]] in changes
        assert ["partner-1", "joined_terminal", ["comments"]] in changes
        process.send("dump")
        dumped = process.expect("draft")
        assert dumped["draft"]["comments"] == "Pat: 漢字 🙂"
        assert sorted(dumped["connections"]) == [
            ["employee", "joined_terminal"],
            ["partner-1", "joined_terminal"],
        ]


def test_concurrent_typing_from_two_processes_keeps_every_character(host) -> None:
    _, opened = host
    with start_peer(opened["links"]["employee"]) as ana, start_peer(opened["links"]["partner-1"]) as pat:
        for i in range(100):  # both write without waiting for the other (each command is one keystroke)
            ana.send("type", "comments", json.dumps(f"a{i};"))
            pat.send("type", "comments", json.dumps(f"p{i};"))
        length = sum(len(f"a{i};p{i};") for i in range(100))
        final = wait_for_field(ana, "comments", lambda v: len(v) == length)["comments"]
        assert wait_for_field(pat, "comments", lambda v: len(v) == length)["comments"] == final
        for who in "ap":
            assert [part for part in final.split(";") if part.startswith(who)] == [
                f"{who}{i}" for i in range(100)
            ]


def test_kill_9_of_a_participant_then_rejoin_with_the_same_link_finds_the_draft_as_it_is(host) -> None:
    process, opened = host
    link = opened["links"]["employee"]
    with start_peer(opened["links"]["partner-1"]) as pat:
        ana = start_peer(link)
        type_into(ana, "reading", "typed before the kill")
        wait_for_field(pat, "reading", lambda v: v == "typed before the kill")
        ana.kill()  # SIGKILL
        type_into(pat, "comments", "while Ana was away")
        with start_peer(link) as rejoined:
            draft = draft_of(rejoined)
            assert (draft["reading"], draft["comments"]) == ("typed before the kill", "while Ana was away")
            process.send("dump")
            assert sorted(process.expect("draft")["connections"]) == [
                ["employee", "joined_terminal"],
                ["partner-1", "joined_terminal"],
            ]


def test_a_clean_quit_right_after_typing_loses_nothing(host) -> None:
    process, opened = host
    ana = start_peer(opened["links"]["employee"])
    ana.send("type", "comments", json.dumps("last words"))
    ana.send("quit")
    ana.expect("left")
    assert ana.process.wait(10) == 0
    process.send("dump")
    assert process.expect("draft")["draft"]["comments"] == "last words"


def test_kill_9_of_the_host_drops_the_participants_and_a_new_host_refuses_the_old_link() -> None:
    old_host, opened = start_host()
    port = opened["port"]
    with start_peer(opened["links"]["employee"]) as ana, start_peer(opened["links"]["partner-1"]) as pat:
        type_into(ana, "comments", "kept here")
        old_host.kill()  # SIGKILL: no closing message, no close frame
        for peer in (ana, pat):
            assert peer.expect("status", where=lambda s: s["status"] == "dropped")["message"] == DROPPED
        type_into(ana, "reading", "typed while the host is down")
        assert draft_of(ana)["reading"] == "typed while the host is down"  # kept in the participant
        new_host, reopened = start_host("--port", str(port))  # same address, new tokens
        with new_host:
            assert reopened["links"]["employee"] != opened["links"]["employee"]
            for peer in (ana, pat):
                refused = peer.expect("status", where=lambda s: s["status"] == "refused", timeout=20)
                assert refused["message"] == LINK_DEAD
            new_host.send("dump")
            assert new_host.expect("draft")["draft"]["reading"] == ""  # nothing crossed on a dead link


def test_the_host_closing_the_room_tells_every_participant(host) -> None:
    process, opened = host
    with start_peer(opened["links"]["employee"]) as ana:
        process.send("close")
        process.expect("closed")
        status = ana.expect("status", where=lambda s: s["status"] != "live")
        assert status == {"status": "closed", "message": "The host closed the room"}
        assert process.process.wait(10) == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_participant_started_before_the_host_waits_for_it() -> None:
    port = free_port()
    with Script(PEER_SCRIPT, f"http://127.0.0.1:{port}/j/{'whatever' * 3}/") as early:
        first = early.expect("status")
        assert first["status"] == "connecting" and "Cannot reach the host" in first["message"]
        with Script(HOST_SCRIPT, "--port", str(port)) as host:
            host.expect("links")
            assert early.expect("status", where=lambda s: s["status"] != "connecting", timeout=20) == {
                "status": "refused",
                "message": LINK_DEAD,
            }


KEY = "AbC-_9" * 5


@pytest.mark.parametrize(
    "link",
    [
        f"ftp://h/j/{KEY}/",
        f"http:///j/{KEY}/",
        f"http://h/x/{KEY}/",
        "http://h/j//",
        "http://h/j/short/",
        f"http://h/j/{KEY}/crdt",
        f"http://h/j/{KEY}/?a=1",
        f"http://h:99999/j/{KEY}/",
        "http+unix:///j/x/",
        f"http+unix://%2Ftmp%2Fs/j/{KEY}/crdt",
        f"http+unix://%2Ftmp%2Fs/j/{KEY}/?a=1",
    ],
)
def test_a_link_that_is_not_a_join_link_is_refused_with_a_reason(link: str) -> None:
    with pytest.raises(LinkError) as error:
        crdt_url(link)
    assert "join link" in str(error.value)
    assert KEY not in str(error.value)


def test_the_crdt_url_of_a_join_link() -> None:
    assert crdt_url(f" https://10.0.0.5:8443/j/{KEY}/ ") == f"https://10.0.0.5:8443/j/{KEY}/crdt"
    assert crdt_url(f"http://[::1]:8080/j/{KEY}") == f"http://[::1]:8080/j/{KEY}/crdt"
    assert crdt_target(f"http+unix://%2Ftmp%2Froom.sock/j/{KEY}/") == (
        f"http://localhost/j/{KEY}/crdt",
        "/tmp/room.sock",
    )


def test_the_sync_benchmark_runs_and_meets_the_goal() -> None:
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "room_sync.py"
    run = subprocess.run(
        [sys.executable, str(script), "--repeat", "30", "--gap", "0.02"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "edit -> other participant's doc: median" in run.stdout
    assert "(goal < 200 ms): goal met" in run.stdout, run.stdout


def test_tls_between_processes_with_the_certificate_as_cafile(tmp_path) -> None:
    from test_room_server import self_signed

    cert, key = self_signed(tmp_path)
    host, opened = start_host("--cert", str(cert), "--key", str(key))
    with host:
        link = opened["links"]["employee"]
        assert link.startswith("https://127.0.0.1:")
        with start_peer(link, "--cafile", str(cert)) as ana:
            type_into(ana, "comments", "sealed")
            wait_for_field(host, "comments", lambda value: value == "sealed")
        with Script(PEER_SCRIPT, link) as untrusting:  # without the certificate: told, not hung
            refused = untrusting.expect("status")
            assert refused["status"] == "refused" and "--cafile" in refused["message"]

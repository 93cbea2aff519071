"""Sync latency of a live room: an edit in one participant process to the other's document.

Three processes on this machine: a host running `RoomServer` on a small draft, and two
participants (`RoomClient`), a writer and a reader. The writer appends a stamp
(`time.monotonic_ns()`, a clock all processes share on Linux) to the `comments` field, one edit
per transaction as a keystroke is; the reader's observer of that field notes when each stamp
arrives. The path is writer -> host (guard, YRoom) -> reader, two websocket hops.
The baseline, in the same run and between the same two participant processes: a plain aiohttp
websocket echo round trip (writer -> reader's echo server -> writer, also two hops, no CRDT).
The two alternate, `--repeat` times each, `--gap` seconds apart.

    .venv/bin/python benchmarks/room_sync.py [--repeat 100] [--gap 0.05]

Goal (issue 14): median edit-to-other-screen latency under 200 ms between two processes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time

from _common import Row, median, percentile, verdict

GOAL_MS = 200.0
FIELD = "comments"
DRAFT = {
    "draft_version": 1,
    "id": "2026-h2-bench-reader",
    "created_at": "2026-12-01T10:00:00Z",
    "employee_name": "Writer",
    "manager_name": "Host",
    "partners": [{"name": "Reader", "function": "sales"}],
    FIELD: "",
}


def say(**data: object) -> None:
    print(json.dumps(data), flush=True)


async def next_line() -> str:
    return (await asyncio.to_thread(sys.stdin.readline)).strip()


async def host() -> None:
    from reviewtui.room.people import people_of
    from reviewtui.room.server import RoomServer
    from reviewtui.room.shared_draft import SharedDraft

    shared = SharedDraft()
    shared.load(DRAFT)
    async with RoomServer(shared, people_of(shared.draft_data())) as server:
        say(links=server.links)
        await next_line()  # the parent closes stdin when done


async def reader(link: str, count: int) -> None:
    from aiohttp import WSMsgType, web

    from reviewtui.room.client import RoomClient
    from reviewtui.room.shared_draft import SharedDraft

    async def echo(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await ws.send_str(message.data)
        return ws

    app = web.Application()
    app.router.add_get("/echo", echo)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    shared = SharedDraft()
    latencies: list[float] = []
    seen = [0]
    async with RoomClient(link, shared) as client:
        assert await client.synced(), client.status
        text = shared.text_at(FIELD)

        def arrived(_event) -> None:
            now = time.monotonic_ns()
            stamps = [part for part in str(text).split(";") if part]
            latencies.extend((now - int(stamp)) / 1e6 for stamp in stamps[seen[0] :])
            seen[0] = len(stamps)

        subscription = text.observe(arrived)  # kept: a dropped Subscription stops the observer
        say(ready=True, echo_port=runner.addresses[0][1])
        deadline = time.monotonic() + 60
        while len(latencies) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        text.unobserve(subscription)
    await runner.cleanup()
    say(latencies_ms=latencies)


async def writer(link: str, echo_port: int, count: int, gap: float) -> None:
    from aiohttp import ClientSession

    from reviewtui.room.client import RoomClient
    from reviewtui.room.shared_draft import SharedDraft

    shared = SharedDraft()
    echoes: list[float] = []
    async with RoomClient(link, shared) as client, ClientSession() as session:
        assert await client.synced(), client.status
        text = shared.text_at(FIELD)
        async with session.ws_connect(f"http://127.0.0.1:{echo_port}/echo") as ws:
            for _ in range(3):  # warm up both paths, unmeasured
                await ws.send_str("warm")
                await ws.receive()
            say(ready=True)
            await next_line()
            for _ in range(count):
                start = time.monotonic_ns()
                await ws.send_str(str(start))
                await ws.receive()
                echoes.append((time.monotonic_ns() - start) / 1e6)
                await asyncio.sleep(gap / 2)
                with shared.doc.transaction(origin="local"):
                    text.insert(len(text), f"{time.monotonic_ns()};")  # ASCII: bytes == characters
                await asyncio.sleep(gap / 2)
    say(echo_ms=echoes)


class Process:
    def __init__(self, *args: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, __file__, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def line(self) -> dict:
        line = self.popen.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.popen.args[2]} process ended (exit {self.popen.wait()})")
        return json.loads(line)

    def tell(self, text: str = "go") -> None:
        self.popen.stdin.write(text + "\n")
        self.popen.stdin.flush()

    def end(self) -> None:
        self.popen.stdin.close()
        try:
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            self.popen.kill()


def measure(repeat: int = 100, gap: float = 0.05) -> list[Row]:
    room_host = Process("--role", "host")
    try:
        links = room_host.line()["links"]
        room_reader = Process("--role", "reader", "--link", links["partner-1"], "--repeat", str(repeat))
        echo_port = room_reader.line()["echo_port"]
        room_writer = Process(
            "--role", "writer", "--link", links["employee"], "--echo-port", str(echo_port),
            "--repeat", str(repeat), "--gap", str(gap),
        )  # fmt: skip
        room_writer.line()
        room_writer.tell()
        echo = room_writer.line()["echo_ms"]
        edits = room_reader.line()["latencies_ms"]
        room_writer.end(), room_reader.end()
    finally:
        room_host.end()
    if len(edits) < repeat:
        raise RuntimeError(f"only {len(edits)} of {repeat} edits reached the reader")
    ours, base = median(edits), median(echo)
    print(
        f"room sync between two participant processes through the host, {repeat} edits {gap * 1000:.0f} ms apart"
    )
    print(f"  plain websocket echo round trip: median {base:6.2f} ms, p95 {percentile(echo, 0.95):6.2f} ms")
    print(
        f"  edit -> other participant's doc: median {ours:6.2f} ms, p95 {percentile(edits, 0.95):6.2f} ms, "
        f"max {max(edits):6.2f} ms"
    )
    print(
        f"  ratio {ours / base:.2f}x; median {ours:.2f} ms (goal < {GOAL_MS:.0f} ms): {verdict(ours < GOAL_MS)}"
    )
    return [
        Row(
            "room edit -> other participant (2 processes)",
            f"{ours:.1f} ms",
            f"{base:.1f} ms",
            ours / base,
            f"< {GOAL_MS:.0f} ms",
            ours < GOAL_MS,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="edits and echoes, each (default 100)")
    parser.add_argument("--gap", type=float, default=0.05, help="seconds between edits (default 0.05)")
    parser.add_argument("--role", choices=("host", "reader", "writer"), help=argparse.SUPPRESS)
    parser.add_argument("--link", help=argparse.SUPPRESS)
    parser.add_argument("--echo-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "host":
        asyncio.run(host())
    elif args.role == "reader":
        asyncio.run(reader(args.link, args.repeat))
    elif args.role == "writer":
        asyncio.run(writer(args.link, args.echo_port, args.repeat, args.gap))
    else:
        measure(args.repeat, args.gap)


if __name__ == "__main__":
    main()

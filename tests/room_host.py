"""A room host in its own process, for the tests: a RoomServer on the sample draft.

    python tests/room_host.py [--port N] [--cert FILE --key FILE]

Prints `{"port", "links", "internal"}` once listening, `{"change": [...]}` for each participant
edit, `{"ask": [...]}` for each ask; reads commands: `dump` (prints the draft and the room),
`close` (closes the room, prints `{"closed": true}` and exits).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import sys

from room_helpers import loaded_shared


def say(**data: object) -> None:
    print(json.dumps(data), flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    shared = loaded_shared()
    from reviewtui.room.people import people_of
    from reviewtui.room.server import RoomServer

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    people = people_of(shared.draft_data())
    server = RoomServer(
        shared,
        people,
        port=args.port,
        ssl_context=context,
        on_ask=lambda person, via, data: say(ask=[person.key, via, data]),
        on_change=lambda person, via, fields: say(change=[person.key, via, sorted(fields)]),
    )
    await server.start()
    say(port=server.port, links=server.links, internal=server.mint_internal_link(people[1]))
    while True:
        command = (await asyncio.to_thread(sys.stdin.readline)).strip()
        if command == "dump":
            connections = [[p.key, via] for p, via in server.connections()]
            say(
                draft=shared.draft_data(),
                room=shared.doc.get("room", type=__import__("pycrdt").Map).to_py(),
                connections=connections,
            )
        elif command in ("close", ""):
            await server.close("The host closed the room")
            say(closed=True)
            await server.stop()
            return


if __name__ == "__main__":
    asyncio.run(main())

"""A participant in its own process, for the tests: a RoomClient on an empty shared draft.

    python tests/room_peer.py LINK [--cafile FILE]

Prints `{"status": state, "message": ...}` on every change and `{"synced": bool}` after the first
sync; reads commands: `type KEY JSON-STRING` (appends to that field), `dump`, `presence STEP FIELD`,
`ask JSON-BOOL`, `quit` (leaves cleanly, prints `{"left": true}`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from room_helpers import append, empty_shared


def say(**data: object) -> None:
    print(json.dumps(data), flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("link")
    parser.add_argument("--cafile")
    args = parser.parse_args()
    shared = empty_shared()
    from reviewtui.room.client import RoomClient

    on_status = lambda state, message: say(status=state, message=message)  # noqa: E731
    async with RoomClient(args.link, shared, cafile=args.cafile, on_status=on_status) as client:
        say(synced=await client.synced())
        while True:
            line = (await asyncio.to_thread(sys.stdin.readline)).rstrip("\n")
            verb, _, rest = line.partition(" ")
            if verb == "type":
                key, _, suffix = rest.partition(" ")
                append(shared, key, json.loads(suffix))
                say(typed=key)
            elif verb == "dump":
                say(draft=shared.draft_data(), state=client.state)
            elif verb == "presence":
                step, _, field = rest.partition(" ")
                client.send_presence(int(step), field, False)
                say(presence=True)
            elif verb == "ask":
                say(asked=client.ask("confirm", value=json.loads(rest)))
            elif verb in ("quit", ""):
                break
    say(left=True)


if __name__ == "__main__":
    asyncio.run(main())

"""The live shared session: the draft as a CRDT document everyone in the room edits at once, the
guard on what a participant may change, and the links, sockets and browser page that join them."""

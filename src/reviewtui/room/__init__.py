"""The live shared session: the draft as a CRDT document shared by everyone in the room, the
guard on what a participant may change, and (in later modules) the room's transport."""

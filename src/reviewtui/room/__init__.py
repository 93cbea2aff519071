"""The live shared session: the room's shared draft, its server and its participants' ways in."""

"""`reviewtui prepare fill`: the person's side of a preparation file, in a small app of its own."""

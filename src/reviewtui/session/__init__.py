"""A draft's life outside the UI: the session driver, confirmations, undo and redo of typed text."""

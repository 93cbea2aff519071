"""The shared agenda: open topics before a meeting, covered or carried over after it."""

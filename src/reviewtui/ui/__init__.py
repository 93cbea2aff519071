"""The Textual user interface. Only this package imports Textual."""

"""The Textual application: built from its folders and rubrics, so tests build it the same way."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from ..storage import RubricCatalog
from .home import HomeScreen


class ReviewApp(App[None]):
    """reviewtui's app: a home screen over the sessions folder and the rubrics."""

    TITLE = "reviewtui"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave reviewtui", show=False)]

    def __init__(self, sessions_dir: Path, catalog: RubricCatalog):
        super().__init__()
        self.sessions_dir = sessions_dir
        self.catalog = catalog

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.sessions_dir, self.catalog))


def run_app(sessions_dir: Path, catalog: RubricCatalog) -> int:
    """Run the app in the terminal and return its exit code."""
    app = ReviewApp(sessions_dir, catalog)
    app.run()
    return app.return_code or 0

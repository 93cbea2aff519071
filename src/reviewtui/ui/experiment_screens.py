"""The App's side of the experiment log: the log screen from home, and the picker for a review.

The session driver reads and writes; this mixin pushes the screens and turns errors into toasts,
as FolderScreens does for the evidence log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import ReviewtuiError
from .notices import toast_path
from .shown_markup import markup_message

if TYPE_CHECKING:
    from ..models.experiments import Experiment, ExperimentLog
    from ..session.driver import SessionDriver


class ExperimentScreens:
    """Mixed into ReviewApp: the experiment log of the employee behind a home row, and pulling one."""

    if TYPE_CHECKING:
        session_driver: SessionDriver

        def notify(self, message: str, **options: object) -> None: ...
        def push_screen(self, screen: object, callback: object = None) -> object: ...
        def _employee_of(self, key: str, *, is_draft: bool) -> str: ...

    def _experiments_for(self, employee: str) -> tuple[ExperimentLog, dict[str, str]] | None:
        """The employee's experiment log and plan metrics, or None (said on screen) if unreadable."""
        try:
            return self.session_driver.experiments_for(employee)
        except ReviewtuiError as error:
            self.notify(
                markup_message(error), title="The experiment log cannot be read", severity="error", timeout=8
            )
            return None

    def open_employee_experiments(self, key: str, *, is_draft: bool) -> None:
        """The experiment log of the employee behind a home-screen row (a record path or a draft id)."""
        from .experiments import ExperimentsScreen

        employee = self._employee_of(key, is_draft=is_draft)
        found = self._experiments_for(employee) if employee else None
        if found is not None:
            self.push_screen(
                ExperimentsScreen(
                    *found,
                    save=lambda e: self._write_experiment(employee, e, new=False),
                    add=lambda e: self._write_experiment(employee, e, new=True),
                )
            )

    def _write_experiment(self, employee: str, experiment: Experiment, *, new: bool) -> ExperimentLog | None:
        try:
            path, log = self.session_driver.write_experiment(employee, experiment, new=new)
        except ReviewtuiError as error:
            self.notify(f"Not saved: {markup_message(error)}", severity="error", timeout=8)
            return None
        self.notify(f"{'Logged' if new else 'Saved'} in\n{toast_path(self, path)}", timeout=4)  # type: ignore[arg-type]
        return log

    def pick_experiment(
        self, employee: str, pulled: set[str], chosen: Callable[[Experiment | None], None]
    ) -> None:
        """Let the pair choose a logged experiment; `chosen` receives it (or None)."""
        from .experiments import ExperimentPickerScreen

        found = self._experiments_for(employee)
        if found is not None:
            self.push_screen(ExperimentPickerScreen(*found, pulled), chosen)

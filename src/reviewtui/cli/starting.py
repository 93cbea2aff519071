"""What starting an app needs from the command line (`reviewtui`, `demo`, `serve`): a clean
environment before Textual is imported, and the rubric catalog read only when the app needs it.
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .options import rubric_dirs

if TYPE_CHECKING:  # the catalog's modules load pydantic; the start path must not
    from ..storage.rubrics import RubricCatalog


def confidential_environment(args: argparse.Namespace) -> str | None:
    """Before Textual is imported: no log file or screenshot unless asked for on this command line."""
    for name in (
        "TEXTUAL_LOG",
        "TEXTUAL_SCREENSHOT",
        "TEXTUAL_SCREENSHOT_LOCATION",
        "TEXTUAL_SCREENSHOT_FILENAME",
    ):
        os.environ.pop(name, None)
    if args.debug_log is not None:
        from ..storage.output import Managed, OutputRefusedError, open_debug_log

        try:
            fd = open_debug_log(args.debug_log, Managed([args.sessions], rubric_dirs(args)))
        except OutputRefusedError as error:
            return str(error)
        os.environ["TEXTUAL_LOG"] = f"/dev/fd/{fd}"  # the very file checked, whatever the path becomes
    return None


def read_catalog(folders: list[Path]) -> RubricCatalog:
    """The bundled rubrics and those in `folders`; storage (and pydantic) imported only when called."""
    from ..storage.rubrics import discover_rubrics

    return discover_rubrics(folders)


def catalog_reader(args: argparse.Namespace) -> Callable[[], RubricCatalog]:
    """What reads the catalog when the app first needs it; a bad --rubrics is refused now, before the app."""
    return functools.partial(read_catalog, rubric_dirs(args))

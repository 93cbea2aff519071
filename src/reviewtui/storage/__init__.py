"""Storage: the only code that touches files (rubrics, records, atomic saves).

The names below are imported on first use (PEP 562), not with the package: a light module
such as `storage.reading` must not pull pydantic and the models in before the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .atomic import atomic_write, ensure_private_dir
    from .record_names import RecordName, list_record_names
    from .records import (
        load_session,
        record_filename,
        save_session,
        session_to_toml,
        slug,
    )
    from .rubrics import RubricCatalog, RubricSource, bundled_rubrics_dir, discover_rubrics, load_rubric
    from .validate import FileReport, validate_path

_HOMES = {
    "atomic_write": "atomic",
    "ensure_private_dir": "atomic",
    "RecordName": "record_names",
    "list_record_names": "record_names",
    "load_session": "records",
    "record_filename": "records",
    "save_session": "records",
    "session_to_toml": "records",
    "slug": "records",
    "RubricCatalog": "rubrics",
    "RubricSource": "rubrics",
    "bundled_rubrics_dir": "rubrics",
    "discover_rubrics": "rubrics",
    "load_rubric": "rubrics",
    "FileReport": "validate",
    "validate_path": "validate",
}

__all__ = [
    "FileReport",
    "RecordName",
    "RubricCatalog",
    "RubricSource",
    "atomic_write",
    "bundled_rubrics_dir",
    "discover_rubrics",
    "ensure_private_dir",
    "list_record_names",
    "load_rubric",
    "load_session",
    "record_filename",
    "save_session",
    "session_to_toml",
    "slug",
    "validate_path",
]

__getattr__ = lazy_exports(__name__, _HOMES, globals())

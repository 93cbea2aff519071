"""Storage: the only code that touches files (rubrics, records, atomic saves)."""

from .atomic import atomic_write, ensure_private_dir
from .records import (
    RecordName,
    list_record_names,
    load_session,
    record_filename,
    save_session,
    session_to_toml,
    slug,
)
from .rubrics import RubricCatalog, RubricSource, bundled_rubrics_dir, discover_rubrics, load_rubric
from .validate import FileReport, validate_path

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

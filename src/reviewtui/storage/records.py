"""Session records on disk: names, loading, atomic deterministic saving, listing."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError
from slugify import slugify

from ..errors import LoadError, SaveError, UnsafePathError
from ..models import SCHEMA_VERSION, Session
from ..names import person_key
from .atomic import atomic_write
from .messages import validated
from .record_names import MAX_RECORD_BYTES, RECORD_NAME, RecordName, list_record_names  # noqa: F401 (their old home)
from .tomlfile import TomlDocument, dumps_toml, read_toml, size_text

SLUG_CHARS = 40
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug(name: str) -> str:
    """A readable, ASCII, file-safe form of a name in any script (`王芳` → `wang-fang`); never empty.

    Cosmetic: files are matched to people by the name they hold, never by their slug. It is only
    lower-case letters, digits and single hyphens, at most 40 characters, so it cannot leave a folder.
    """
    text = slugify(name, max_length=SLUG_CHARS, word_boundary=True, save_order=True)
    # Checked again rather than trusted: a file name is built from it.
    return text if _SLUG.fullmatch(text) and len(text) <= SLUG_CHARS else "employee"


def legacy_slug(name: str) -> str:
    """The slug reviewtui gave names before it transliterated (non-Latin names became `employee`).

    Only to find files named that way: evidence logs and feedback files saved by older versions.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text[:SLUG_CHARS].strip("-") or "employee"


def record_filename(session: Session) -> str:
    """`2026-07-01_alignment_ana-ruiz_1a2b3c4d.toml`: date, kind, name slug, id."""
    day = session.created_at.date().isoformat()
    return f"{day}_{session.kind}_{slug(session.participants.employee.name)}_{session.id[:8]}.toml"


def inside(folder: Path, name: str) -> Path:
    """`folder/name`, refusing any name that would resolve outside the folder.

    Neither the folder nor the name is resolved (the path is only made absolute): a link stays
    a link, which a writer then refuses, where its target (another draft, a record beside it, the
    folder a linked `.drafts` points to) would have been written.
    """
    if "\x00" in name:  # the OS cannot hold it, and resolve() would raise ValueError
        raise UnsafePathError(f"refusing to use a file name with a NUL character in the folder {folder}")
    base = folder.resolve()
    candidate = (base / name).resolve()
    if candidate.parent != base:
        if Path(name).name == name and (base / name).is_symlink():  # a plain name: a link put there
            raise UnsafePathError(
                f"refusing to use {name!r} in the folder {folder}: it is a symbolic link leading out of it, "
                "and reviewtui never reads or writes through one: remove the link (it may have come with "
                "the repository)"
            )
        raise UnsafePathError(f"refusing to use {name!r}: it would leave the folder {folder}")
    return Path(os.path.abspath(folder)) / Path(name).name


def session_to_toml(session: Session) -> str:
    """The record's TOML text: minimal, in field order, identical for identical records."""
    data = session.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    data.pop("schema_version", None)
    return dumps_toml({"schema_version": SCHEMA_VERSION, **data})


def session_from_document(document: TomlDocument) -> Session:
    """Validate a parsed document as a record, or raise a LoadError with lines."""
    return validated(Session, document)


def load_session(path: Path) -> Session:
    """Load one record file."""
    return session_from_document(
        read_toml(path, max_bytes=MAX_RECORD_BYTES, what="record", follow_symlinks=False)
    )


def serialize_checked(session: Session) -> bytes:
    """Bytes to write, after proving they read back as the same record."""
    text = session_to_toml(session)
    data = text.encode("utf-8")
    if len(data) > MAX_RECORD_BYTES:
        raise SaveError(
            f"this record is larger than {size_text(MAX_RECORD_BYTES)} and would not load again; "
            "shorten the longest texts"
        )
    try:
        again = Session.model_validate(tomllib.loads(text, parse_float=Decimal))
    except (tomllib.TOMLDecodeError, ValidationError):
        raise SaveError("the record would not read back correctly, so nothing was written") from None
    if again.model_dump() != session.model_dump():
        raise SaveError("the record would read back differently, so nothing was written")
    return data


def save_session(session: Session, folder: Path, path: Path | None = None) -> Path:
    """Save a record atomically into `folder` (under its usual name unless `path` is given)."""
    target = inside(folder, path.name if path else record_filename(session))
    atomic_write(target, serialize_checked(session))
    return target


def records_of(folder: Path, employee: str) -> list[tuple[Path, Session]]:
    """Every readable record in the folder about this person (matched by name, not slug), newest first."""
    found = []
    for name in list_record_names(folder):
        try:
            session = load_session(name.path)
        except LoadError:
            continue
        if person_key(session.participants.employee.name) == person_key(employee):
            found.append((name.path, session))
    return found

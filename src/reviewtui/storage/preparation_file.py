"""One preparation file at a path the person chose: read it, and save their answers back into it.

The file came by mail or a shared folder, so it is read as anything from outside: capped, never
through a symbolic link, never from a FIFO or a device, every problem named by key and line and
none of its values shown. Saving replaces it atomically (`atomic_write`: the old file or the new
one, never a mix) and only if it is still the file that was read or last written: a file changed
meanwhile (a second `prepare fill`, an editor) is never overwritten; the answers go to a new file
beside it instead, which the caller names to the person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..errors import LoadError, Problem, SaveError
from ..models.preparation import Preparation
from ..shown import shown_path
from .atomic import atomic_write
from .keylines import key_lines, line_for
from .messages import validated
from .reading import read_capped
from .safe_files import refuse_unless_regular
from .tomlfile import TomlDocument, dumps_toml, read_toml, size_text

MAX_PREPARATION_BYTES = 512 * 1024
"""A filled preparation is a few pages of text; anything much larger is not one."""
WHAT = "preparation file"


class PreparationChangedError(SaveError):
    """The file on disk is not the one last read or written: it was not overwritten."""


@dataclass(frozen=True)
class OpenedPreparation:
    """A preparation file as read: what it holds, and the hash of its bytes (to notice a change)."""

    path: Path
    preparation: Preparation
    sha256: str


def _not_a_preparation(document: TomlDocument) -> LoadError | None:
    kind = document.data.get("kind")
    if kind == "preparation":
        return None
    lines = key_lines(document.text)
    if kind is None:
        where = 1
        message = (
            'this is not a preparation file (it has no `kind = "preparation"`); '
            "open the file your manager sent with `reviewtui prepare ask`"
        )
    else:
        where = line_for(lines, ("kind",)) or 1
        message = "this is not a preparation file (its `kind` is another); open the file your manager sent"
    return LoadError(document.path, [Problem(message, where, "kind" if kind is not None else None)])


def _levels_outside_the_scale(document: TomlDocument, preparation: Preparation) -> LoadError | None:
    if not preparation.scale:
        return None
    values = {level.value for level in preparation.scale}
    lines = key_lines(document.text)
    problems = [
        Problem(
            f"must be one of the file's scale values ({', '.join(str(v) for v in sorted(values))})",
            line_for(lines, ("ratings", index, "level")) or 1,
            f"ratings[{index}].level",
        )
        for index, rating in enumerate(preparation.ratings)
        if rating.level not in values
    ]
    return LoadError(document.path, problems) if problems else None


def preparation_from_document(document: TomlDocument) -> Preparation:
    """A parsed document as a preparation; a LoadError naming file, line and key otherwise."""
    refused = _not_a_preparation(document)
    if refused is not None:
        raise refused
    preparation = validated(Preparation, document)
    refused = _levels_outside_the_scale(document, preparation)
    if refused is not None:
        raise refused
    return preparation


def open_preparation(path: Path) -> OpenedPreparation:
    """Read and check the preparation file at `path` (LoadError: one problem per line, no values)."""
    document = read_toml(path, max_bytes=MAX_PREPARATION_BYTES, what=WHAT, follow_symlinks=False)
    return OpenedPreparation(path, preparation_from_document(document), _sha(document.raw))


def preparation_bytes(preparation: Preparation) -> bytes:
    """The file's TOML (its kind and version first), checked to read back as the same preparation."""
    data = preparation.model_dump(mode="python", exclude_defaults=True)
    text = dumps_toml({"schema_version": 1, "kind": "preparation", **data})
    try:
        again = Preparation.model_validate(tomllib.loads(text, parse_float=Decimal))
    except (tomllib.TOMLDecodeError, ValidationError):
        again = None
    if again is None or again.model_dump() != preparation.model_dump():
        raise SaveError("the answers would not read back the same, so nothing was written")
    return text.encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _on_disk_sha(path: Path) -> str | None:
    """The hash of the file as it is now; None when there is none."""
    if not refuse_unless_regular(path):  # a link, FIFO or device raises UnsafeFileError
        return None
    try:
        return _sha(read_capped(path, max_bytes=MAX_PREPARATION_BYTES, what=WHAT, follow_symlinks=False))
    except LoadError:
        return "unreadable"  # over the cap or gone unreadable: not the file that was read


def save_preparation(path: Path, preparation: Preparation, expected_sha256: str | None) -> str:
    """Write `preparation` to `path` atomically, if the file there is still `expected_sha256`.

    Returns the hash of what was written. PreparationChangedError when the file changed since
    (nothing written); SaveError when it cannot be written or would be over the cap (the old
    file stays whole). `expected_sha256=None`: a new file, which must not exist yet.
    """
    data = preparation_bytes(preparation)
    if len(data) > MAX_PREPARATION_BYTES:
        raise SaveError(
            f"the answers would make {shown_path(path)} larger than {size_text(MAX_PREPARATION_BYTES)}, "
            "the most a preparation file may hold, so it was not saved; shorten the longest texts"
        )
    if _on_disk_sha(path) != expected_sha256:
        raise PreparationChangedError(
            f"{shown_path(path)} was changed by someone else since it was opened; it was not overwritten"
        )
    atomic_write(path, data)
    return _sha(data)


def beside(path: Path, now: dt.datetime) -> Path:
    """A new file name next to `path` for answers that must not overwrite it: `NAME-saved-20261201-2231.toml`."""
    stem = f"{path.stem}-saved-{now:%Y%m%d-%H%M%S}"
    candidate = path.with_name(f"{stem}{path.suffix or '.toml'}")
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{stem}-{number}{path.suffix or '.toml'}")
        number += 1
    return candidate

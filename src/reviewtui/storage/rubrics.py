"""Finding and loading rubrics: the bundled ones, overridden by a user's folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from ..errors import LoadError, Problem
from ..models import Rubric
from ..shown import shown_path
from .messages import validated
from .tomlfile import TomlDocument, read_toml

MAX_RUBRIC_BYTES = 256 * 1024


@dataclass(frozen=True)
class RubricSource:
    """A loaded rubric with where it came from and the hash records pin."""

    rubric: Rubric
    path: Path
    sha256: str
    origin: Literal["bundled", "user"]


@dataclass
class RubricCatalog:
    """Every rubric found, by id, and the files that could not be loaded."""

    by_id: dict[str, RubricSource] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    searched: list[Path] = field(default_factory=list)
    """The folders looked in, bundled first, so "no rubric found" can say where it looked."""

    def get(self, rubric_id: str) -> RubricSource | None:
        return self.by_id.get(rubric_id)

    def sorted(self) -> list[RubricSource]:
        return sorted(self.by_id.values(), key=lambda source: source.rubric.title.lower())


def bundled_rubrics_dir() -> Path:
    """The folder of rubrics shipped inside the installed package."""
    return Path(str(resources.files("reviewtui") / "rubrics"))


def rubric_from_document(document: TomlDocument) -> Rubric:
    """Validate a parsed document as a rubric, or raise a LoadError with lines."""
    return validated(Rubric, document)


def load_rubric(path: Path, origin: Literal["bundled", "user"] = "user") -> RubricSource:
    """Load one rubric file."""
    document = read_toml(path, max_bytes=MAX_RUBRIC_BYTES, what="rubric")
    rubric = rubric_from_document(document)
    return RubricSource(rubric, path, hashlib.sha256(document.raw).hexdigest(), origin)


def _toml_files(folder: Path) -> list[Path]:
    try:
        # Not only regular files: a FIFO or device named *.toml is refused by name when read, not passed over.
        return sorted(path for path in folder.iterdir() if path.suffix == ".toml" and not path.is_dir())
    except OSError:
        return []


def discover_rubrics(user_dirs: Iterable[Path] = ()) -> RubricCatalog:
    """Bundled rubrics, then each user folder in turn adding or overriding by id."""
    catalog = RubricCatalog()
    bundled_dir = bundled_rubrics_dir()
    bundled_files = {path.resolve() for path in _toml_files(bundled_dir)}
    folders: list[tuple[Path, Literal["bundled", "user"]]] = [(bundled_dir, "bundled")]
    folders += [(Path(folder), "user") for folder in user_dirs]
    catalog.searched = [folder for folder, _ in folders]
    for folder, origin in folders:
        seen_here: dict[str, Path] = {}
        for path in _toml_files(folder):
            # The repository's rubrics/ folder shows the bundled files themselves.
            if origin == "user" and path.resolve() in bundled_files:
                continue
            try:
                source = load_rubric(path, origin)
            except LoadError as error:
                catalog.errors.append(error)
                continue
            rubric_id = source.rubric.id
            if rubric_id in seen_here:
                message = f"rubric id `{rubric_id}` is also used by {seen_here[rubric_id]}; give each rubric its own id"
                catalog.errors.append(LoadError(path, [Problem(message, key="id")]))
                continue
            seen_here[rubric_id] = path
            catalog.by_id[rubric_id] = source
    return catalog


def no_rubrics_message(catalog: RubricCatalog) -> str:
    """What to say when no rubric was found at all: every folder looked in, and what that means."""
    folders = "; ".join(shown_path(folder) for folder in catalog.searched)
    if len(catalog.searched) == 1:
        folders += " (and no --rubrics folder was given, nor is there a ./rubrics folder here)"
    return (
        f"no rubric found; looked in: {folders}. The bundled rubrics are missing from this install: "
        "reinstall reviewtui, or name a folder of rubrics with --rubrics DIR."
    )

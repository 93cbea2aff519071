"""Where `report --output` and `export --output` write.

- `-` is the standard output.
- A FIFO or a character device (a terminal, `/dev/null`) is written to as a stream, as the shell's
  `> FILE` does: it is never replaced by a regular file. A symbolic link is followed only to one of
  those (`/dev/stdout` is a link); a link to anything else is refused, as reviewtui never writes
  through links. A link to the standard output or error is written to that stream.
- Any other name is a regular file, replaced atomically, except one of the files reviewtui manages:
  the records, evidence logs and feedback files of the sessions folder (and anything in its private
  folders: drafts, locks, the report cache), the rubrics, the settings file. Those are refused
  before anything is read or written.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReviewtuiError, SaveError
from .atomic import atomic_write
from .safe_files import open_for_writing, open_stream, shown_path, write_all
from .settings import settings_path
from .tomlfile import os_reason

STANDARD_OUTPUT = "-"
_MANAGED_SUFFIXES = {".toml", ".lock", ".tmp"}


class OutputRefusedError(ReviewtuiError):
    """An `--output` that would replace a file reviewtui manages or a link; nothing was written."""


@dataclass(frozen=True)
class Managed:
    """The files an output must never replace: sessions folders, rubric folders, named files."""

    sessions_dirs: list[Path] = field(default_factory=list)
    rubric_dirs: list[Path] = field(default_factory=list)
    files: dict[Path, str] = field(default_factory=dict)
    """Files named by what they are (`{record: "the record"}`), shown as the user gave them."""


def _inside(path: Path, folder: Path) -> tuple[str, ...] | None:
    try:
        return path.relative_to(folder.resolve()).parts
    except ValueError:
        return None


def managed_kind(path: Path, managed: Managed) -> str | None:
    """What `path` is to reviewtui (`an evidence log`, `a rubric`), or None when it manages no such file."""
    resolved = path.resolve()
    if resolved == settings_path().resolve():
        return "the settings file"
    for folder in managed.sessions_dirs:
        parts = _inside(resolved, folder)
        if not parts:
            continue
        name = parts[-1]
        if parts[0] in (".drafts", ".cache"):
            return "a private file of the sessions folder (drafts, locks, the report cache)"
        if ".git" in parts:
            return "a file of git's own folder"
        if Path(name).suffix in _MANAGED_SUFFIXES and parts[0] != "exports":
            if name.startswith("evidence_"):
                return "an evidence log"
            if name.startswith("feedback_"):
                return "a feedback file"
            if name.startswith("preparation_"):
                return "an imported preparation file"
            return "a record" if name.endswith(".toml") else "a lock or temp file"
    from .rubrics import bundled_rubrics_dir

    # The rubrics beside a sessions folder are those `archive` and a review repository use.
    beside = [folder.parent / "rubrics" for folder in managed.sessions_dirs]
    for folder in [*managed.rubric_dirs, *beside, bundled_rubrics_dir()]:
        parts = _inside(resolved, folder)
        if parts and resolved.suffix == ".toml":
            return "a rubric"
    return None


@dataclass(frozen=True)
class OutputTarget:
    """Where the text goes, once checked: the standard output or error, a stream, or a file."""

    path: Path
    how: str  # "stdout", "stderr", "stream" or "file"

    @property
    def named(self) -> str | None:
        """The name to say it was written to; None for the standard streams."""
        return shown_path(self.path) if self.how in ("stream", "file") else None

    def write(self, text: str) -> None:
        """Write the whole text; a file is replaced atomically, a stream written as it is."""
        data = text.encode("utf-8")
        if self.how in ("stdout", "stderr"):
            stream = sys.stdout if self.how == "stdout" else sys.stderr
            stream.write(text)
            stream.flush()
        elif self.how == "stream":
            try:
                fd = open_stream(self.path)
            except OSError as error:
                raise SaveError(f"cannot write to {shown_path(self.path)}: {os_reason(error)}") from None
            try:
                write_all(fd, data)
            finally:
                os.close(fd)
        else:
            atomic_write(self.path, data)


def _same_file(info: os.stat_result, fd: int) -> bool:
    try:
        other = os.fstat(fd)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == (other.st_dev, other.st_ino)


def output_target(path: Path, what: str, managed: Managed) -> OutputTarget:
    """Check an `--output` before the text is made; OutputRefusedError says why it is refused.

    `what` names the text in messages: `report`, `export`.
    """
    if str(path) == STANDARD_OUTPUT:
        return OutputTarget(path, "stdout")
    for protected, kind in managed.files.items():
        if path.resolve() == protected.resolve():
            raise OutputRefusedError(f"refusing to write the {what} over {kind} {shown_path(protected)}")
    try:
        info = os.lstat(path)
    except OSError:
        info = None  # a new file, or one atomic_write will say it cannot make
    if info is not None and stat.S_ISLNK(info.st_mode):
        return _through_link(path, what)
    if info is not None and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        return OutputTarget(path, "stream")
    kind = managed_kind(path, managed)
    if kind:
        raise OutputRefusedError(
            f"refusing to write the {what} over {kind}, {shown_path(path)}, which reviewtui reads; "
            "write it outside the sessions folder, or into its exports/ folder"
        )
    return OutputTarget(path, "file")


def _through_link(path: Path, what: str) -> OutputTarget:
    try:
        info = os.stat(path)
    except OSError as error:
        raise OutputRefusedError(
            f"cannot write the {what} to {shown_path(path)}: it is a symbolic link to "
            f"{shown_path(os.readlink(path))}, which cannot be opened ({os_reason(error)})"
        ) from None
    for fd, how in ((1, "stdout"), (2, "stderr")):
        if _same_file(info, fd):
            return OutputTarget(path, how)
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        return OutputTarget(path, "stream")
    raise OutputRefusedError(
        f"refusing to write the {what} to {shown_path(path)}: it is a symbolic link (to "
        f"{shown_path(os.readlink(path))}), and reviewtui replaces an output file but never writes "
        "through a link: name the file itself, or remove the link"
    )


def open_debug_log(path: Path, managed: Managed) -> int:
    """Open Textual's debug log for appending, 0600, as its own descriptor; OutputRefusedError says why not.

    The log holds what is on screen, so it gets every rule an output gets and more: never a file
    reviewtui manages, never through a link, never a FIFO or device (Textual would wait on a FIFO
    with the screen blank). The caller hands Textual `/dev/fd/N`, so the file checked is the one written.
    """
    kind = managed_kind(path, managed)
    if kind:
        raise OutputRefusedError(
            f"refusing to write the debug log into {kind}, {shown_path(path)}: name a file outside the sessions folder"
        )
    try:
        return open_for_writing(
            path,
            os.O_WRONLY | os.O_CREAT | os.O_APPEND,
            mode=0o600,
            what="cannot write the debug log",
            in_place=True,
        )
    except SaveError as error:
        raise OutputRefusedError(str(error)) from None
    except OSError as error:
        raise OutputRefusedError(
            f"cannot write the debug log {shown_path(path)}: {os_reason(error)}"
        ) from None

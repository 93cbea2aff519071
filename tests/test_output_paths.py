"""`report --output` and `export --output`: `-` is the standard output, a FIFO or a device is written
to as a stream, a link only to one of those, and no file reviewtui manages is ever replaced.

Real processes (`python -m reviewtui`), real FIFOs, device nodes and links; every FIFO is read
without blocking and every process has a timeout, so no case can hang the suite.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from factories import copy_example_team

ROOT = Path(__file__).parent.parent
SIGNED = "2027-01-12_review_ana-ruiz_a1b2c3d4.toml"
TIMEOUT = 120


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return copy_example_team(tmp_path / "repo" / "sessions")


def command(kind: str, team: Path, output: Path | str) -> list[str]:
    """The report of the team, or the export of its signed review, written to `output`."""
    if kind == "report":
        return ["report", "--sessions", str(team), "--output", str(output)]
    return ["--sessions", str(team), "export", str(team / SIGNED), "--output", str(output)]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewtui", *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )


def expected_start(kind: str) -> str:
    return "Calibration report\n" if kind == "report" else "# Review: Ana Ruiz"


# Files reviewtui manages are never replaced -------------------------------------------------


def _managed(team: Path, which: str) -> Path:
    if which == "signed record":  # another one than the export's own (refused as "the record")
        return team / "2027-01-13_review_dev-patel_b2c3d4e5.toml"
    if which == "evidence log":
        return team / "evidence_ana-ruiz.toml"
    if which == "draft":
        (team / ".drafts").mkdir()
        path = team / ".drafts" / "0123.toml"
        path.write_text("draft_version = 1\n")
        return path
    if which == "report cache":
        (team / ".cache").mkdir()
        path = team / ".cache" / "report.json"
        path.write_text("{}\n")
        return path
    if which == "record in a sub-folder":
        (team / "2026").mkdir()
        return Path(shutil.copy(team / SIGNED, team / "2026" / "old.toml"))
    raise AssertionError(which)


@pytest.mark.parametrize("kind", ["report", "export"])
@pytest.mark.parametrize(
    "which", ["signed record", "evidence log", "draft", "report cache", "record in a sub-folder"]
)
def test_an_output_over_a_file_of_the_sessions_folder_is_refused(team: Path, kind: str, which: str) -> None:
    target = _managed(team, which)
    before = target.read_bytes()
    result = run(command(kind, team, target), cwd=team.parent)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert f"reviewtui: refusing to write the {kind} over " in result.stderr
    assert f"{target}, which reviewtui reads; write it outside the sessions folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize("kind", ["report", "export"])
def test_an_output_over_a_rubric_or_the_settings_file_is_refused(
    team: Path, tmp_path: Path, kind: str
) -> None:
    rubrics = team.parent / "rubrics"
    rubrics.mkdir()
    rubric = Path(
        shutil.copy(ROOT / "src" / "reviewtui" / "rubrics" / "customer-success-manager.toml", rubrics)
    )
    settings = tmp_path / "user-config" / "reviewtui" / "settings.toml"  # XDG_CONFIG_HOME of conftest
    settings.parent.mkdir(parents=True)
    settings.write_text('archive_after_save = "never"  # I archive by hand\n')
    cases = [(rubric, "a rubric", True), (rubric, "a rubric", False), (settings, "the settings file", True)]
    for target, what, named in cases:  # the rubrics beside the sessions folder, named or not
        before = target.read_bytes()
        flag = ["--rubrics", str(rubrics)] if named else []
        result = run([*flag, *command(kind, team, target)], cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert f"refusing to write the {kind} over {what}, {target}" in result.stderr
        assert target.read_bytes() == before


def test_an_output_in_the_exports_folder_or_beside_the_sessions_is_written(team: Path) -> None:
    for target in (team / "exports" / "team.md", team.parent / "team-report.txt"):
        result = run(command("report", team, target), cwd=team.parent)
        assert result.returncode == 0, result.stderr
        assert target.read_text().startswith("Calibration report\n")


# Standard output, FIFOs, devices and links --------------------------------------------------


@pytest.mark.parametrize("kind", ["report", "export"])
def test_a_dash_is_the_standard_output(team: Path, kind: str) -> None:
    result = run(command(kind, team, "-"), cwd=team.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected_start(kind))
    assert not (team.parent / "-").exists()


class FifoReader:
    """Reads a FIFO in a thread without ever blocking: opened non-blocking, polled until done."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.data = bytearray()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                chunk = None
            if chunk:
                self.data += chunk
            elif self.done.is_set():
                return  # the writer has finished and everything it wrote is read
            else:
                time.sleep(0.01)

    def finish(self) -> bytes:
        self.done.set()
        self.thread.join(10)
        os.close(self.fd)
        return bytes(self.data)


@pytest.mark.parametrize("kind", ["report", "export"])
def test_a_fifo_is_written_to_as_a_stream_and_stays_a_fifo(team: Path, tmp_path: Path, kind: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    result = run(command(kind, team, fifo), cwd=team.parent)
    received = reader.finish()
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert received.decode().startswith(expected_start(kind))
    assert result.stdout == ""


def test_a_character_device_is_written_to_and_stays_a_device(team: Path, tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:  # a twin of /dev/null (as root); a folder on a `nodev` mount cannot open it
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.close(os.open(null, os.O_WRONLY))
    except (PermissionError, OSError):
        pytest.skip("no character device can be made and opened here")
    result = run(command("report", team, null), cwd=team.parent)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)


@pytest.mark.parametrize("kind", ["report", "export"])
def test_a_link_to_dev_null_or_the_standard_output_is_written_through_and_kept(
    team: Path, tmp_path: Path, kind: str
) -> None:
    to_null, to_stdout = tmp_path / "quiet", tmp_path / "screen"
    to_null.symlink_to("/dev/null")
    to_stdout.symlink_to("/dev/stdout")  # as `--output /dev/stdout` in a pipeline
    quiet = run(command(kind, team, to_null), cwd=team.parent)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ""
    shown = run(command(kind, team, to_stdout), cwd=team.parent)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(expected_start(kind))
    assert os.readlink(to_null) == "/dev/null" and os.readlink(to_stdout) == "/dev/stdout"


def test_dev_stdout_redirected_to_a_file_writes_into_that_file(team: Path, tmp_path: Path) -> None:
    screen = tmp_path / "screen"
    screen.symlink_to("/dev/stdout")
    captured = tmp_path / "captured.txt"
    with captured.open("wb") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "reviewtui", *command("report", team, screen)],
            cwd=team.parent,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=TIMEOUT,
        )
    assert result.returncode == 0, result.stderr
    assert captured.read_text().startswith("Calibration report\n")
    assert os.readlink(screen) == "/dev/stdout"


@pytest.mark.parametrize("kind", ["report", "export"])
def test_a_link_to_a_regular_file_is_refused_and_both_are_kept(team: Path, tmp_path: Path, kind: str) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("my notes\n")
    link = tmp_path / "out.md"
    link.symlink_to(notes)
    result = run(command(kind, team, link), cwd=team.parent)
    assert result.returncode == 2
    assert result.stderr == (
        f"reviewtui: refusing to write the {kind} to {link}: it is a symbolic link (to {notes}), and "
        "reviewtui replaces an output file but never writes through a link: name the file itself, or "
        "remove the link\n"
    )
    assert notes.read_text() == "my notes\n" and os.readlink(link) == str(notes)

"""Files that are not regular files, met by the commands that read them, in real subprocesses.

A FIFO (reading it waits for ever for a writer), `/dev/zero` (an endless stream) and symlinks to
them, given to `validate`, `export` and `feedback import`, or put where the report cache or a record
lives: each command ends at once, with one line naming the file and saying what it is, and no
traceback. Every run has a timeout (a regression fails instead of hanging the suite) and a memory
limit (an endless read fails quickly instead of filling the machine's memory).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from factories import copy_example_team

ROOT = Path(__file__).parent.parent
MEMORY_LIMIT = 2 * 2**30
FIFO_REASON = "it is a named pipe (FIFO), not a regular file; give the path of a saved file"
DEVICE_REASON = "it is a device, not a regular file; give the path of a saved file"
KINDS = ["fifo", "link-to-fifo", "dev-zero", "link-to-dev-zero"]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def reviewtui(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m reviewtui ARGS`, ended by the timeout if it hangs."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(cwd / "config")}
    return subprocess.run(
        [sys.executable, "-m", "reviewtui", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


def hostile(folder: Path, kind: str, name: str) -> tuple[Path, str]:
    """A FIFO, /dev/zero, or a symlink to either, under `name`; and the reason reviewtui must give."""
    path = folder / name
    if kind == "dev-zero":
        return Path("/dev/zero"), DEVICE_REASON
    if kind == "fifo":
        os.mkfifo(path)
        return path, FIFO_REASON
    target = folder / f"{name}.target"
    if kind == "link-to-fifo":
        os.mkfifo(target)
        reason = FIFO_REASON
    else:
        target, reason = Path("/dev/zero"), DEVICE_REASON
    path.symlink_to(target)
    return path, reason


# Records, drafts, evidence logs and feedback files are read as the files themselves, never through
# a link (which may have come with a clone and point anywhere): a link is refused as a link.
LINK_REFUSED = "it is a symbolic link; reviewtui reads the file itself, not a link"


def own_file_reason(kind: str, reason: str) -> str:
    return LINK_REFUSED if kind.startswith("link") else reason


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return copy_example_team(tmp_path / "sessions", "feedback_*")


@pytest.mark.parametrize("kind", KINDS)
def test_validate_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path, reason = hostile(tmp_path, kind, "record.toml")
    result = reviewtui("validate", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == f"{path}: cannot read this rubric or record: {own_file_reason(kind, reason)}\n"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_export_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path, reason = hostile(tmp_path, kind, "2026-07-01_alignment_ana-ruiz_1a2b3c4d.toml")
    result = reviewtui("export", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"reviewtui: {path}: cannot read this record: {own_file_reason(kind, reason)}\n"
    assert result.stdout == ""


@pytest.mark.parametrize("kind", KINDS)
def test_feedback_import_refuses_what_is_not_a_regular_file(team: Path, tmp_path: Path, kind: str) -> None:
    path, reason = hostile(tmp_path, kind, "survey.csv")
    args = ("--sessions", str(team), "feedback", "import", str(path), "--employee", "Ana Ruiz")
    result = reviewtui(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"reviewtui: {path}: cannot read this file: {reason}\n"
    assert not list(team.glob("feedback_*"))


def test_feedback_import_follows_a_link_the_user_typed_to_a_saved_export(team: Path, tmp_path: Path) -> None:
    export = tmp_path / "exports" / "survey.csv"
    export.parent.mkdir()
    export.write_text("date,account,score,comment\n2026-09-01,Acme,9,Quick answers\n")
    (tmp_path / "latest.csv").symlink_to(export)
    args = ("--sessions", str(team), "feedback", "import", "latest.csv", "--employee", "Ana Ruiz")
    result = reviewtui(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "imported 1 response(s) for Ana Ruiz" in result.stdout


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "link-to-dev-zero"])
def test_a_report_cache_that_is_not_a_regular_file_is_read_past_and_left_alone(team: Path, kind: str) -> None:
    cache = team / ".cache"
    cache.mkdir(mode=0o700)
    path, _ = hostile(cache, kind, "report.json")
    before = os.lstat(path)
    result = reviewtui("report", "--sessions", str(team), cwd=team.parent)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "12 record file(s)" in result.stderr and "the report cache was not updated" in result.stderr
    # Never written through, never replaced: what is there is left for the user to look at.
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "link-to-dev-zero"])
def test_a_record_that_is_not_a_regular_file_is_reported_as_unreadable(team: Path, kind: str) -> None:
    name = "2026-12-01_review_zoe-hostile_0badf00d.toml"
    _, reason = hostile(team, kind, name)
    result = reviewtui("report", "--sessions", str(team), "--no-cache", cwd=team.parent)
    assert result.returncode == 1
    if kind.startswith("link"):  # no record is read through a link, whatever it points at
        reason = "not read: a symbolic link, which may point outside the folder"
    else:
        reason = f"cannot read this record: {reason}"
    assert f"{name}: {reason}" in " ".join(result.stdout.split())  # unwrapped
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "link-to-dev-zero"])
def test_a_rubric_that_is_not_a_regular_file_is_reported(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "rubrics"
    folder.mkdir()
    path, reason = hostile(folder, kind, "sales.toml")
    result = reviewtui("--rubrics", str(folder), "rubrics", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"{path}: cannot read this rubric: {reason}\n"
    assert "cs-operations" in result.stdout  # the bundled rubrics are still listed


READERS = """
import sys
from pathlib import Path
from reviewtui.errors import ReviewtuiError
from reviewtui.storage.drafts import current_sha256, load_draft
from reviewtui.storage.evidence import load_evidence
from reviewtui.storage.experiments import load_experiments
from reviewtui.storage.fast_records import read_fast
from reviewtui.storage.feedback_import import load_feedback
from reviewtui.storage.locks import holder
from reviewtui.storage.preparations import load_preparation
from reviewtui.storage.rubrics import load_rubric
from reviewtui.storage.settings import load_settings

path = Path(sys.argv[1])
readers = {
    "settings": load_settings, "rubric": load_rubric, "evidence": load_evidence,
    "experiments": load_experiments,
    "feedback": load_feedback, "draft": load_draft, "draft hash": current_sha256,
    "lock holder": holder, "fast record": lambda p: read_fast(p, 2**21), "preparation": load_preparation,
}
for name, reader in readers.items():
    try:
        print(f"{name}: returned {reader(path)!r}")
    except ReviewtuiError as error:
        print(f"{name}: refused: {error}")
"""


@pytest.mark.parametrize("kind", KINDS)
def test_every_reader_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path, reason = hostile(tmp_path, kind, "file.toml")
    result = subprocess.run(
        [sys.executable, "-c", READERS, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert result.stderr == ""
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    for name, what in [("settings", "settings file"), ("rubric", "rubric")]:
        assert lines[name] == f"refused: {path}: cannot read this {what}: {reason}"
    own = [("evidence", "evidence log"), ("experiments", "experiment log"), ("feedback", "feedback file")]
    for name, what in [*own, ("draft", "draft"), ("preparation", "preparation file")]:
        assert lines[name] == f"refused: {path}: cannot read this {what}: {own_file_reason(kind, reason)}"
    assert (
        lines["draft hash"]
        == f"refused: cannot check the draft before saving it: {path}: cannot read this draft: {reason}"
    )
    assert lines["lock holder"] == "returned 'another process'"
    assert lines["fast record"] == "returned None"  # read_toml then gives the reason


def test_validate_refuses_a_record_that_is_a_link_to_a_valid_one(tmp_path: Path) -> None:
    # As report, archive, export and the app: a link committed into a repository may point anywhere.
    record = ROOT / "src" / "reviewtui" / "examples" / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    link = tmp_path / "2026-08-03_alignment_ana-ruiz_cccccccc.toml"
    link.symlink_to(record)
    result = reviewtui("validate", str(link), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == f"{link}: cannot read this rubric or record: {LINK_REFUSED}\n"

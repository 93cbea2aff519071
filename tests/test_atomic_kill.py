"""A writer killed at any moment leaves either the old or the new complete file."""

from __future__ import annotations

import errno
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewtui.errors import SaveError
from reviewtui.storage import atomic_write

WRITER = r"""
import sys
from pathlib import Path
from reviewtui.storage import atomic_write

target = Path(sys.argv[1])
versions = [Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()]
atomic_write(target, versions[0])
print("ready", flush=True)
turn = 1
while True:
    atomic_write(target, versions[turn])
    turn ^= 1
"""


def test_sigkill_during_saves_never_leaves_a_damaged_file(tmp_path: Path) -> None:
    # Two versions large enough that a write takes a while, differing everywhere.
    old = ("# old\n" + "a = 1\n" * 150_000).encode()
    new = ("# new\n" + "b = 22\n" * 160_000).encode()
    (tmp_path / "old.bin").write_bytes(old)
    (tmp_path / "new.bin").write_bytes(new)
    target = tmp_path / "records" / "record.toml"
    rng = random.Random(20261123)
    for _ in range(25):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(tmp_path / "old.bin"), str(tmp_path / "new.bin")],
            stdout=subprocess.PIPE,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.08))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert writer.returncode == -signal.SIGKILL
        content = target.read_bytes()
        assert content in (old, new), "a killed writer left a partial file"
    # Every file left beside the record is the record itself or a hidden temp file.
    leftovers = [path.name for path in target.parent.iterdir() if path != target]
    assert all(name.startswith(".record.toml.") and name.endswith(".tmp") for name in leftovers)


def test_saved_files_and_new_folders_are_private(tmp_path: Path) -> None:
    target = tmp_path / "new-folder" / "record.toml"
    atomic_write(target, b"a = 1\n")
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "record.toml"
    atomic_write(target, b"a = 1\n")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        def fdopen_on_full_disk(fd: int, mode: str) -> io.BufferedWriter:
            handle = real_fdopen(fd, mode)
            monkeypatch.setattr(handle, "write", disk_full, raising=False)
            return handle

        monkeypatch.setattr(os, "fdopen", fdopen_on_full_disk)
    else:
        monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(SaveError, match="the disk is full; the previous version is unchanged"):
        atomic_write(target, b"a = 2\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"a = 1\n"
    assert [path.name for path in tmp_path.iterdir()] == ["record.toml"], "the temp file was not removed"


def test_missing_parent_folders_are_made_private_too(tmp_path: Path) -> None:
    target = tmp_path / "team" / "sessions" / ".drafts" / "d.toml"
    atomic_write(target, b"a = 1\n")
    for folder in (tmp_path / "team", tmp_path / "team" / "sessions", target.parent):
        assert folder.stat().st_mode & 0o777 == 0o700, folder

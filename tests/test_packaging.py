"""What a user installing reviewtui meets: the platforms it runs on, its pre-commit hook, its metadata."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reviewtui.cli import main

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(("os_name", "platform"), [("nt", "win32"), ("posix", "win32"), ("nt", "linux")])
@pytest.mark.parametrize(
    "argv", [[], ["demo"], ["init", "reviews"], ["log", "Renewed", "--employee", "Ana Ruiz"], ["rubrics"]]
)
def test_a_non_posix_platform_is_refused_before_anything_is_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    os_name: str,
    platform: str,
    argv: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    with monkeypatch.context() as windows:
        windows.setattr(os, "name", os_name)
        windows.setattr(sys, "platform", platform)
        code = main(argv)
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "reviewtui: reviewtui runs on Linux, macOS and other POSIX systems only (on Windows, use it "
        "inside WSL): it needs POSIX file locks and permissions to keep confidential records whole and "
        "private. Nothing was read or written."
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_package_metadata_declares_posix_only_and_its_license() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    systems = {c for c in project["classifiers"] if c.startswith("Operating System ::")}
    assert systems == {
        "Operating System :: POSIX",
        "Operating System :: POSIX :: Linux",
        "Operating System :: MacOS",
    }
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (
        (ROOT / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) 2026 the reviewtui authors\n")
    )


def _hooks() -> list[dict[str, str]]:
    """`.pre-commit-hooks.yaml` read as what it is: a list of flat mappings of plain scalars.

    PyYAML is not a dependency; this reads the one shape the file has and fails on anything else.
    """
    hooks: list[dict[str, str]] = []
    for number, line in enumerate((ROOT / ".pre-commit-hooks.yaml").read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("- "):
            hooks.append({})
            line = "  " + line[2:]
        assert hooks and line.startswith("  ") and not line.startswith("   "), f"line {number}: {line!r}"
        key, separator, value = line.strip().partition(": ")
        assert separator and key not in hooks[-1], f"line {number}: {line!r}"
        if value.startswith("'"):
            assert value.endswith("'") and len(value) > 1, f"line {number}: {line!r}"
            value = value[1:-1].replace("''", "'")
        hooks[-1][key] = value
    return hooks


def test_the_pre_commit_hook_is_declared_for_rubrics_and_records() -> None:
    [hook] = _hooks()
    assert hook["id"] == "reviewtui-validate"
    assert hook["language"] == "python" and hook["pass_filenames"] == "true"
    assert hook["entry"] == "reviewtui validate --"
    files = re.compile(hook["files"])
    for staged in [
        "sessions/2027-01-12_review_ana-ruiz_a1b2c3d4.toml",
        "rubrics/mine.toml",
        "team/sessions/x.toml",
    ]:
        assert files.search(staged), staged
    for ignored in [
        "sessions/.drafts/d.toml",
        "sessions/exports/ana.md",
        "pyproject.toml",
        "rubrics/notes.md",
    ]:
        assert not files.search(ignored), ignored


def test_the_pre_commit_entry_validates_the_files_pre_commit_passes(tmp_path: Path) -> None:
    [hook] = _hooks()
    examples = ROOT / "src" / "reviewtui" / "examples"
    (tmp_path / "sessions").mkdir()
    (tmp_path / "rubrics").mkdir()
    staged = []
    for path in sorted(examples.glob("*ana-ruiz*.toml")):
        shutil.copy(path, tmp_path / "sessions" / path.name)
        staged.append(f"sessions/{path.name}")
    rubric = (ROOT / "src" / "reviewtui" / "rubrics" / "support-engineer.toml").read_text()
    (tmp_path / "rubrics" / "-ours.toml").write_text(rubric)  # a name that looks like an option
    staged.append("rubrics/-ours.toml")
    [program, *rest] = shlex.split(hook["entry"])
    command = [sys.executable, "-m", program, *rest]  # the hook's console script, in this venv
    ran = subprocess.run([*command, *staged], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stderr.splitlines()[-1] == f"{len(staged)} of {len(staged)} files valid"

    (tmp_path / "rubrics" / "broken.toml").write_text(rubric.replace("version = 1", 'version = "one"', 1))
    ran = subprocess.run(
        [*command, *staged, "rubrics/broken.toml"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 1
    assert ran.stdout.startswith("rubrics/broken.toml:") and "version: must be a whole number" in ran.stdout

"""The command line: validate, rubrics, schema, help and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reviewtui.cli import main

ROOT = Path(__file__).parent.parent


def test_bundled_rubrics_and_example_sessions_validate(capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted((ROOT / "src" / "reviewtui" / "rubrics").glob("*.toml")) + sorted(
        (ROOT / "src" / "reviewtui" / "examples").glob("*.toml")
    )
    assert len(paths) >= 12
    assert main(["validate", *map(str, paths)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{len(paths)} of {len(paths)} files valid" in captured.err


def test_validate_reports_each_problem_and_exits_1(
    tmp_path: Path, minimal_rubric: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(minimal_rubric.read_text().replace('unit = "%"', 'unitt = "%"', 1))
    assert main(["validate", str(minimal_rubric), str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{broken}:23: metrics[0].unitt: unknown key `unitt`; did you mean `unit`?"]


def test_rubrics_lists_the_bundled_rubrics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubrics"]) == 0
    out = capsys.readouterr().out
    for rubric_id in (
        "customer-success-manager",
        "onboarding-specialist",
        "cs-operations",
        "customer-education",
        "support-engineer",
        "product-manager",
    ):
        assert rubric_id in out


def test_a_user_folder_overrides_a_bundled_rubric_by_id(
    tmp_path: Path, minimal_rubric: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled = (ROOT / "src" / "reviewtui" / "rubrics" / "support-engineer.toml").read_text()
    (tmp_path / "mine.toml").write_text(bundled.replace("version = 1", "version = 7", 1))
    (tmp_path / "extra.toml").write_text(minimal_rubric.read_text())
    assert main(["--rubrics", str(tmp_path), "rubrics"]) == 0
    lines = capsys.readouterr().out.splitlines()
    support = next(line for line in lines if line.startswith("support-engineer "))
    assert " 7 " in support and str(tmp_path / "mine.toml") in support
    assert any(line.startswith("test-role ") for line in lines)


def test_rubrics_reports_a_broken_user_rubric(
    tmp_path: Path, minimal_rubric: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.toml").write_text(minimal_rubric.read_text().replace("version = 1", 'version = "one"'))
    assert main(["--rubrics", str(tmp_path), "rubrics"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'bad.toml'}:5: version: must be a whole number" in err


@pytest.mark.parametrize("fmt", ["rubric", "session"])
def test_schema_is_json_schema_with_field_docs(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", fmt]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False
    assert schema["properties"]["id"]["description"]
    # Every field of every table is documented, nested ones included.
    tables = [("(top)", schema), *schema["$defs"].items()]
    undocumented = [
        f"{table}.{field}"
        for table, definition in tables
        for field, prop in definition.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert undocumented == [] and len(tables) > 10


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["schema", "nonsense"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["validate"])
    assert exit_info.value.code == 2


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["validate"], ["rubrics"], ["schema"]):
        with pytest.raises(SystemExit) as exit_info:
            main([*argv, "--help"])
        assert exit_info.value.code == 0
        assert "usage: reviewtui" in capsys.readouterr().out


def test_console_script_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reviewtui", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("reviewtui ")


def test_missing_file_is_a_clear_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.toml")]) == 1
    assert (
        capsys.readouterr().out
        == f"{tmp_path / 'nope.toml'}: cannot read this rubric or record: no such file or folder\n"
    )


def test_a_reader_that_leaves_early_gets_no_traceback() -> None:
    import subprocess
    import sys

    # `reviewtui schema session | head -1`: the pipe closes before reviewtui writes.
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewtui", "schema", "session"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert err == b""


def test_rubrics_with_none_found_says_where_it_looked_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A broken install: the package's rubrics folder is there but empty (as in a wheel built through
    # the old root symlinks), and no ./rubrics where it runs.
    empty = tmp_path / "site-packages" / "reviewtui" / "rubrics"
    empty.mkdir(parents=True)
    monkeypatch.setattr("reviewtui.storage.rubrics.bundled_rubrics_dir", lambda: empty)
    monkeypatch.chdir(tmp_path)
    assert main(["rubrics"]) == 1
    err = capsys.readouterr().err
    assert f"no rubric found; looked in: {empty} (and no --rubrics folder" in err
    user = tmp_path / "mine"
    user.mkdir()
    assert main(["--rubrics", str(user), "rubrics"]) == 1
    assert f"looked in: {empty}; {user}. The bundled rubrics are missing" in capsys.readouterr().err


def test_the_repository_holds_no_symbolic_links() -> None:
    # A build follows links: the root `rubrics` and `sessions` links once put the files at the root of
    # the sdist and left them out of the wheel built from it. .ci/package checks the wheel itself.
    tracked = [ROOT / name for name in ("src", "tests", "benchmarks", ".ci")]
    links = [path for path in ROOT.iterdir() if path.is_symlink()]
    links += [path for folder in tracked for path in folder.rglob("*") if path.is_symlink()]
    assert links == []


@pytest.mark.parametrize("case", ["missing", "device", "dangling default"])
def test_a_rubrics_folder_that_is_not_one_is_an_error_not_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    # Passed over, the team's rubrics would silently give way to the bundled ones.
    monkeypatch.chdir(tmp_path)
    if case == "missing":
        args = ["--rubrics", str(tmp_path / "nowhere"), "rubrics"]
    elif case == "device":
        args = ["--rubrics", "/dev/null", "rubrics"]
    else:
        (tmp_path / "rubrics").symlink_to(tmp_path / "gone")
        args = ["rubrics"]
    assert main(args) == 1
    assert "the rubrics folder" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["log", "feedback"])
def test_log_and_feedback_say_the_sessions_folder_is_missing_not_that_no_record_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    sessions = tmp_path / "sessions"
    sessions.symlink_to(tmp_path / "gone")
    csv_file = tmp_path / "survey.csv"
    csv_file.write_text("date,account,score,comment\n2026-09-01,Acme,9,Quick\n")
    rest = ["log", "Acme renewed"] if command == "log" else ["feedback", "import", str(csv_file)]
    assert main(["--sessions", str(sessions), *rest, "--employee", "Ana Ruiz"]) == 1
    err = capsys.readouterr().err
    assert "is a symbolic link to" in err and "which does not exist" in err and "no record" not in err

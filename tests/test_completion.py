"""`reviewtui completion`: the scripts complete the real commands and options in a real shell."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewtui.cli import main


@pytest.fixture
def bash_script(tmp_path: Path) -> Path:
    script = tmp_path / "reviewtui.bash"
    made = subprocess.run(
        [sys.executable, "-m", "reviewtui", "completion", "bash"], capture_output=True, text=True, check=True
    )
    script.write_text(made.stdout)
    return script


def _complete(script: Path, line: str, cwd: Path) -> list[str]:
    """What bash offers at the end of `line`, as Tab would: the script's function on COMP_WORDS."""
    words = line.split(" ")
    program = (
        f'source "{script}"\n'
        "complete -p reviewtui >/dev/null || exit 3\n"
        f"COMP_WORDS=({' '.join(repr(word) for word in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        'function=$(complete -p reviewtui | sed -E "s/.* -F ([^ ]+) .*/\\1/")\n'
        '"$function"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    ran = subprocess.run(["bash", "-c", program], cwd=cwd, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    return sorted(line for line in ran.stdout.splitlines() if line)


def test_bash_registers_the_completion_and_completes_commands(bash_script: Path, tmp_path: Path) -> None:
    shown = subprocess.run(
        ["bash", "-c", f'source "{bash_script}"; complete -p reviewtui'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "complete -o filenames -F _reviewtui_complete reviewtui"
    commands = _complete(bash_script, "reviewtui ", tmp_path)
    assert {
        "validate",
        "rubrics",
        "log",
        "feedback",
        "export",
        "init",
        "archive",
        "history",
        "report",
    } <= set(commands)
    assert {"completion", "demo", "schema"} <= set(commands)
    assert _complete(bash_script, "reviewtui feedback i", tmp_path) == ["import"]
    assert _complete(bash_script, "reviewtui completion ", tmp_path) == ["bash", "fish", "zsh"]
    assert _complete(bash_script, "reviewtui schema s", tmp_path) == ["session"]


def test_bash_completes_options_their_choices_and_paths(bash_script: Path, tmp_path: Path) -> None:
    assert _complete(bash_script, "reviewtui export --format ", tmp_path) == ["json", "md"]
    assert _complete(bash_script, "reviewtui report --f", tmp_path) == ["--format"]
    assert "--scale" in _complete(bash_script, "reviewtui feedback import --", tmp_path)
    assert _complete(bash_script, "reviewtui feedback import --scale c", tmp_path) == ["csat"]
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions.toml").write_text("")
    assert _complete(bash_script, "reviewtui --sessions se", tmp_path) == ["sessions"]  # folders only
    assert _complete(bash_script, "reviewtui validate se", tmp_path) == ["sessions", "sessions.toml"]
    assert _complete(bash_script, "reviewtui log --employee A", tmp_path) == []  # free text


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_name_every_command(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    for command in ("validate", "rubrics", "feedback", "import", "report", "completion"):
        assert command in script
    if shell == "zsh":
        assert "bashcompinit" in script and "complete -o filenames -F _reviewtui_complete reviewtui" in script
    else:
        assert (
            "complete -c reviewtui -n '__fish_seen_subcommand_from export' -l format -x -a 'md json'"
            in script
        )
    program = shutil.which(shell)
    if program:  # where the shell is installed, the script must at least parse in it
        checked = subprocess.run([program, "-n", "-c", script], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["completion", "powershell"])
    assert stopped.value.code == 2
    assert "invalid choice: 'powershell'" in capsys.readouterr().err

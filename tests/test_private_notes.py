"""Private notes on disk: the user's data folder, 0700 and 0600 whatever the umask, found by the name inside."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewtui.errors import LoadError, ReviewtuiError, SaveError
from reviewtui.models.private_notes import PrivateNote, PrivateNotes
from reviewtui.storage import private_notes as store

NOW = dt.datetime(2026, 11, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SECRET = "thinking of a PIP: do not share"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_the_folder_is_the_users_data_folder_and_a_relative_value_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.private_notes_dir() == tmp_path / "user-data" / "reviewtui" / "private-notes"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for value in ("", "relative/data"):
        monkeypatch.setenv("XDG_DATA_HOME", value)
        assert (
            store.private_notes_dir()
            == tmp_path / "home" / ".local" / "share" / "reviewtui" / "private-notes"
        )


def test_a_note_is_kept_0600_in_a_0700_folder_even_under_a_permissive_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        path, notes = store.add_private_note("Ana Ruiz", SECRET, NOW)
    finally:
        os.umask(previous)
    folder = tmp_path / "user-data" / "reviewtui" / "private-notes"
    assert path == folder / "ana-ruiz.toml"
    assert mode(path) == 0o600
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    assert sorted(entry.name for entry in folder.iterdir()) == [".private-notes.lock", "ana-ruiz.toml"]
    assert mode(folder / ".private-notes.lock") == 0o600
    assert store.read_private_notes("ana ruiz") == (path, notes)
    assert notes.notes[0].text == SECRET and notes.notes[0].written_at == NOW


def test_a_folder_left_open_to_others_is_made_private_again(tmp_path: Path) -> None:
    folder = tmp_path / "user-data" / "reviewtui" / "private-notes"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    path, _ = store.add_private_note("Ana Ruiz", SECRET, NOW)
    assert mode(folder) == 0o700 and mode(path) == 0o600


def test_notes_are_edited_and_removed_and_each_person_keeps_their_own_file(tmp_path: Path) -> None:
    path, notes = store.add_private_note("Zoë Smith", "first", NOW)
    other, _ = store.add_private_note("Zoe Smith", "someone else", NOW)
    assert (path.name, other.name) == ("zoe-smith.toml", "zoe-smith_2.toml")
    later = NOW + dt.timedelta(hours=1)
    _, notes = store.add_private_note("Zoë Smith", "second", NOW)
    _, notes = store.edit_private_note("Zoë Smith", notes.notes[0].id, "first, rewritten", later)
    assert [(n.text, n.written_at) for n in notes.notes] == [("first, rewritten", later), ("second", NOW)]
    _, notes = store.remove_private_note("Zoë Smith", notes.notes[1].id)
    assert [n.text for n in notes.notes] == ["first, rewritten"]
    assert [n.text for n in store.read_private_notes("Zoe Smith")[1].notes] == ["someone else"]
    with pytest.raises(SaveError, match="no longer in"):
        store.remove_private_note("Zoë Smith", "0123456789ab")
    assert mode(path) == 0o600


@pytest.mark.parametrize("text", ["", " \u200b\n", "fine\n=======\nmore", "x" * 20_001])
def test_a_note_that_cannot_be_kept_is_refused_and_nothing_is_written(tmp_path: Path, text: str) -> None:
    with pytest.raises(SaveError):
        store.add_private_note("Ana Ruiz", text, NOW)
    assert not (tmp_path / "user-data" / "reviewtui" / "private-notes" / "ana-ruiz.toml").exists()


def _notes_file(tmp_path: Path) -> Path:
    folder = tmp_path / "user-data" / "reviewtui" / "private-notes"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "ana-ruiz.toml"


def test_a_link_in_place_of_the_file_is_refused_and_its_target_is_untouched(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text('schema_version = 1\nkind = "private-notes"\nemployee = "Ana Ruiz"\n')
    _notes_file(tmp_path).symlink_to(target)
    with pytest.raises(ReviewtuiError, match="symbolic link"):
        store.read_private_notes("Ana Ruiz")
    with pytest.raises(ReviewtuiError, match="symbolic link"):
        store.add_private_note("Ana Ruiz", SECRET, NOW)
    assert SECRET not in target.read_text()


def test_a_link_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "user-data" / "reviewtui").mkdir(parents=True)
    (tmp_path / "user-data" / "reviewtui" / "private-notes").symlink_to(tmp_path / "shared")
    with pytest.raises(SaveError, match="symbolic link"):
        store.add_private_note("Ana Ruiz", SECRET, NOW)
    assert list((tmp_path / "shared").iterdir()) == []


def test_a_fifo_in_place_of_the_file_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(_notes_file(tmp_path))
    with pytest.raises(LoadError, match="FIFO"):
        store.read_private_notes("Ana Ruiz")


def test_a_broken_file_is_named_with_its_line_and_never_echoes_a_note(tmp_path: Path) -> None:
    path = _notes_file(tmp_path)
    path.write_text(
        'schema_version = 1\nkind = "private-notes"\nemployee = "Ana Ruiz"\n\n[[notes]]\n'
        f'id = "0123456789ab"\nwritten_at = 2026-11-05T10:30:00Z\ntext = "{SECRET}"\nmood = "{SECRET}"\n'
    )
    with pytest.raises(LoadError) as refused:
        store.read_private_notes("Ana Ruiz")
    message = str(refused.value)
    assert "ana-ruiz.toml:9" in message and "mood" in message and SECRET not in message
    path.write_text(f'employee = "Ana Ruiz"\ntext = "{SECRET}\n')
    with pytest.raises(LoadError) as refused:
        store.read_private_notes("Ana Ruiz")
    assert "ana-ruiz.toml:2" in str(refused.value) and SECRET not in str(refused.value)


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    _notes_file(tmp_path).write_text("# " + "x" * store.MAX_PRIVATE_NOTES_BYTES + "\n")
    with pytest.raises(LoadError, match="larger than"):
        store.read_private_notes("Ana Ruiz")


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200).filter(
    lambda text: store.note_problem(text) is None
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=1, max_size=4))
def test_notes_read_back_as_written(tmp_path: Path, written: list[str]) -> None:
    folder = tmp_path / "round-trip"
    for index, text in enumerate(written):
        path, kept = store.add_private_note("Ana Ruiz", text, NOW + dt.timedelta(minutes=index), folder)
    assert store.read_private_notes("Ana Ruiz", folder) == (path, kept)
    assert PrivateNotes.model_validate(kept.model_dump()) == kept
    assert all(isinstance(note, PrivateNote) for note in kept.notes)
    for child in folder.iterdir():
        child.unlink()


def test_validate_knows_a_private_notes_file_and_never_shows_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewtui.cli import main

    path, _ = store.add_private_note("Ana Ruiz", SECRET, NOW)
    assert main(["validate", str(path)]) == 0
    path.write_text(path.read_text().replace('id = "', 'idd = "'))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    assert "ana-ruiz.toml:6: notes[0].idd" in out.out + out.err and SECRET not in out.out + out.err

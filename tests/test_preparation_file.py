"""A preparation file at a path the person chose: read capped and checked, saved back atomically."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prep_factories import employee_preparation, partner_preparation, write_preparation
from reviewtui.cli import main
from reviewtui.errors import SaveError
from reviewtui.models.preparation import Preparation
from reviewtui.storage.preparation_file import (
    MAX_PREPARATION_BYTES,
    PreparationChangedError,
    beside,
    open_preparation,
    preparation_bytes,
    save_preparation,
)
from reviewtui.storage.safe_files import UnsafeFileError
from reviewtui.ui.prepare.answers import (
    Answers,
    ObjectiveRow,
    ObservationRow,
    RatingRow,
    answers_of,
    with_answers,
)
from strategies import names, texts, timestamps

SECRET = "Confidential-Reading-7f3a"
EMPLOYEE = employee_preparation()
PARTNER = partner_preparation()
COMPETENCIES = [competency.id for competency in EMPLOYEE.competencies]
LEVELS = [level.value for level in EMPLOYEE.scale]


# Round trips -------------------------------------------------------------------------------

rating_rows = st.builds(RatingRow, st.sampled_from(COMPETENCIES), st.none() | st.sampled_from(LEVELS), texts)
objective_rows = st.builds(ObjectiveRow, st.one_of(st.just(""), names), texts)
observation_rows = st.builds(
    ObservationRow,
    st.none() | st.sampled_from(["strength", "gap"]),
    texts,
    texts,
    st.one_of(st.just(""), names),
)
employee_answers = st.builds(
    Answers,
    reading=texts,
    # The screen shows one row per competency, in the file's order.
    ratings=st.lists(rating_rows, max_size=6, unique_by=lambda row: row.competency).map(
        lambda rows: tuple(sorted(rows, key=lambda row: COMPETENCIES.index(row.competency)))
    ),
    objectives=st.lists(objective_rows, max_size=4).map(tuple),
    topics=st.lists(st.one_of(st.just(""), names), max_size=4).map(tuple),
)
partner_answers = st.builds(Answers, observations=st.lists(observation_rows, max_size=4).map(tuple))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    answers=st.one_of(
        employee_answers.map(lambda a: (EMPLOYEE, a)), partner_answers.map(lambda a: (PARTNER, a))
    ),
    at=timestamps,
)
def test_what_is_typed_saves_and_reads_back_the_same(tmp_path: Path, answers, at: dt.datetime) -> None:
    base, typed = answers
    path = tmp_path / "prep.toml"
    path.unlink(missing_ok=True)
    filled = with_answers(base, typed).model_copy(update={"written_at": at})
    filled = Preparation.model_validate(filled.model_dump())  # written_at as the model keeps it
    save_preparation(path, filled, None)
    opened = open_preparation(path)
    assert opened.preparation == filled
    # Shown again and saved again, nothing moves: the same bytes, begun entries included.
    again = with_answers(opened.preparation, answers_of(opened.preparation))
    assert again == opened.preparation
    assert preparation_bytes(again) == path.read_bytes()


def test_every_row_typed_in_is_kept_complete_or_begun() -> None:
    typed = Answers(
        reading="My reading",
        ratings=(
            RatingRow(COMPETENCIES[0], LEVELS[2], "Ran the QBR with product"),
            RatingRow(COMPETENCIES[1], LEVELS[3], ""),  # a level, no example yet
            RatingRow(COMPETENCIES[2], None, "An example before its level"),
            RatingRow(COMPETENCIES[3], None, "   "),  # nothing really typed
        ),
        objectives=(ObjectiveRow("Lead QBRs", ""), ObjectiveRow("", "why first")),
        topics=("Workload", "", "Workload"),
    )
    filled = with_answers(EMPLOYEE, typed)
    assert [(r.competency, r.level) for r in filled.ratings] == [(COMPETENCIES[0], LEVELS[2])]
    assert filled.unfinished is not None
    assert [(r.competency, r.level, r.example) for r in filled.unfinished.ratings] == [
        (COMPETENCIES[1], LEVELS[3], ""),
        (COMPETENCIES[2], None, "An example before its level"),
    ]
    assert [o.objective for o in filled.objectives] == ["Lead QBRs"]
    assert [o.why for o in filled.unfinished.objectives] == ["why first"]
    assert filled.topics == ["Workload"]
    shown = answers_of(filled)
    assert [row.example for row in shown.ratings] == [
        "Ran the QBR with product",
        "",
        "An example before its level",
        "",
    ]


# Hostile files ------------------------------------------------------------------------------


def _refused(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code = main(["prepare", "fill", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_broken_toml_is_one_line_with_its_line_number(tmp_path: Path, capsys) -> None:
    path = write_preparation(tmp_path / "prep.toml", EMPLOYEE)
    text = path.read_text().replace('reading = ""', "")
    path.write_text(text + f'\nreading = "{SECRET}\n')
    line = _refused(capsys, path)
    assert line.startswith(f"reviewtui prepare fill: {path}:")
    assert "TOML syntax error" in line
    assert SECRET not in line


def test_a_value_of_the_wrong_kind_is_named_by_key_and_line_never_shown(tmp_path: Path, capsys) -> None:
    path = write_preparation(tmp_path / "prep.toml", EMPLOYEE)
    lines = path.read_text().splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith("due = "))
    lines[at] = f'due = "{SECRET}"'
    path.write_text("\n".join(lines) + "\n")
    line = _refused(capsys, path)
    assert f"{path}:{at + 1}: due: must be a date" in line
    assert SECRET not in line


def test_a_level_outside_the_files_scale_is_refused(tmp_path: Path, capsys) -> None:
    filled = EMPLOYEE.model_dump() | {
        "ratings": [{"competency": COMPETENCIES[0], "level": 9, "example": "x"}]
    }
    path = tmp_path / "prep.toml"
    path.write_bytes(preparation_bytes(Preparation.model_validate(filled)))
    line = _refused(capsys, path)
    assert "ratings[0].level: must be one of the file's scale values (1, 2, 3, 4, 5)" in line


@pytest.mark.parametrize(
    "content",
    [
        'schema_version = 1\nkind = "session"\n',
        'schema_version = 1\nid = "x"\n',
        '[rubric]\nid = "customer-success-manager"\n',
    ],
)
def test_another_file_is_said_not_to_be_a_preparation(tmp_path: Path, capsys, content: str) -> None:
    path = tmp_path / "other.toml"
    path.write_text(content)
    assert "this is not a preparation file" in _refused(capsys, path)


def test_a_file_over_the_cap_is_refused_unread(tmp_path: Path, capsys) -> None:
    path = write_preparation(tmp_path / "prep.toml", EMPLOYEE)
    with path.open("a") as handle:
        handle.write("# padding\n" * (MAX_PREPARATION_BYTES // 10 + 1))
    assert "is larger than 512 KiB" in _refused(capsys, path)


def test_a_symlink_is_refused_not_followed(tmp_path: Path, capsys) -> None:
    real = write_preparation(tmp_path / "real.toml", EMPLOYEE)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    assert "it is a symbolic link" in _refused(capsys, link)
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        save_preparation(link, EMPLOYEE, None)
    assert real.read_bytes() == preparation_bytes(EMPLOYEE)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "prep.toml"
    os.mkfifo(fifo)
    assert "named pipe (FIFO)" in _refused(capsys, fifo)
    with pytest.raises(UnsafeFileError, match="FIFO"):
        save_preparation(fifo, EMPLOYEE, None)


def test_a_folder_and_a_missing_file_are_one_line_each(tmp_path: Path, capsys) -> None:
    assert "this is a folder" in _refused(capsys, tmp_path)
    assert "no such file" in _refused(capsys, tmp_path / "missing.toml")


# Saving ---------------------------------------------------------------------------------------


def test_a_file_changed_since_it_was_read_is_never_overwritten(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", EMPLOYEE)
    opened = open_preparation(path)
    edited_by_hand = path.read_bytes() + b"# a note\n"
    path.write_bytes(edited_by_hand)
    mine = EMPLOYEE.model_copy(update={"reading": "mine"})
    with pytest.raises(PreparationChangedError, match="was changed by someone else"):
        save_preparation(path, mine, opened.sha256)
    assert path.read_bytes() == edited_by_hand
    other = beside(path, dt.datetime(2026, 12, 1, 22, 31, 5))
    assert other.name == "prep-saved-20261201-223105.toml"
    save_preparation(other, mine, None)
    assert open_preparation(other).preparation.reading == "mine"


def test_a_save_keeps_the_file_private_and_whole(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", EMPLOYEE)
    opened = open_preparation(path)
    sha = save_preparation(path, EMPLOYEE.model_copy(update={"reading": "new"}), opened.sha256)
    assert path.stat().st_mode & 0o777 == 0o600
    assert open_preparation(path).sha256 == sha
    assert [p.name for p in tmp_path.iterdir()] == ["prep.toml"]


def test_answers_past_the_cap_are_not_written(tmp_path: Path) -> None:
    path = write_preparation(tmp_path / "prep.toml", EMPLOYEE)
    before = path.read_bytes()
    long = "word " * 3900
    big = Preparation.model_validate(
        EMPLOYEE.model_dump()
        | {"reading": long, "objectives": [{"objective": f"objective {n}", "why": long} for n in range(30)]}
    )
    with pytest.raises(SaveError, match="larger than 512 KiB"):
        save_preparation(path, big, open_preparation(path).sha256)
    assert path.read_bytes() == before


def test_validate_checks_a_preparation_file_as_one(tmp_path: Path, capsys) -> None:
    path = write_preparation(tmp_path / "prep.toml", EMPLOYEE)
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    path.write_text(path.read_text().replace('role = "employee"', 'role = "boss"'))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:4: role: must be one of: 'employee' or 'partner'" in out

"""Record names, paths that must stay inside their folder, and records checked against rubrics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factories import CREATED, make_session
from reviewtui.cli import main
from reviewtui.errors import SaveError, UnsafePathError
from reviewtui.storage import list_record_names, record_filename, save_session, slug
from reviewtui.storage.records import inside


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ana Ruiz", "ana-ruiz"),
        ("Lucía Gómez-Ñúñez", "lucia-gomez-nunez"),
        ("../../etc/passwd", "etc-passwd"),
        ("王小明", "wang-xiao-ming"),
        ("王芳", "wang-fang"),
        ("محمد", "mhmd"),
        ("Дмитрий Орлов", "dmitrii-orlov"),
        ("🙂", "employee"),
        ("", "employee"),
        ("\x1b[31m\x00", "31m"),
        ("🙂 Zoë", "zoe"),
        ("x" * 300, "x" * 40),
    ],
)
def test_slug_is_ascii_safe_and_never_empty(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_record_filename_carries_date_kind_employee_and_id() -> None:
    session = make_session()
    assert record_filename(session) == "2026-07-01_alignment_ana-ruiz_01234567.toml"


def test_names_that_leave_the_folder_are_refused(tmp_path: Path) -> None:
    for name in ("../outside.toml", "/etc/passwd", "sub/../../x.toml", ".."):
        with pytest.raises(UnsafePathError, match="it would leave the folder"):
            inside(tmp_path, name)
    (tmp_path / "link.toml").symlink_to("/etc/hostname")
    with pytest.raises(UnsafePathError):
        inside(tmp_path, "link.toml")
    assert inside(tmp_path, "ok.toml") == tmp_path.resolve() / "ok.toml"


def test_saving_never_follows_a_planted_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text("precious = true\n")
    folder = tmp_path / "sessions"
    folder.mkdir()
    session = make_session()
    (folder / record_filename(session)).symlink_to(outside)
    with pytest.raises(UnsafePathError):
        save_session(session, folder)
    assert outside.read_text() == "precious = true\n"


def test_listing_reads_names_only_and_sorts_newest_first(tmp_path: Path, data_dir: Path) -> None:
    save_session(make_session(), tmp_path)
    december = CREATED.replace(month=12)
    later = make_session(
        id="fedcba9876543210fedcba9876543210",
        kind="review",
        status="draft",
        created_at=december,
        updated_at=december,
    )
    save_session(later, tmp_path)
    (tmp_path / "notes.toml").write_text("x = 1\n")  # not a record name: ignored
    names = list_record_names(tmp_path)
    assert [(n.date, n.kind, n.slug, n.short_id) for n in names] == [
        ("2026-12-01", "review", "ana-ruiz", "fedcba98"),
        ("2026-07-01", "alignment", "ana-ruiz", "01234567"),
    ]
    assert list_record_names(tmp_path / "missing") == []


def test_validate_checks_a_record_against_its_rubric(
    tmp_path: Path, data_dir: Path, minimal_rubric: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    shutil.copy(minimal_rubric, rubrics)
    record = tmp_path / "record.toml"
    text = (data_dir / "record_minimal.toml").read_text()
    record.write_text(text.replace('outcome = "retention"', 'outcome = "loyalty"'))
    assert main(["--rubrics", str(rubrics), "validate", str(record)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{record}:31: impact_map[0].outcome: the rubric has no such outcome; use one of: retention, satisfaction",
        f"{record}:45: metrics[0].outcome: the rubric has no such outcome; use one of: retention, satisfaction",
    ]
    # The record pins another hash of the rubric file: said, but not an error.
    assert "made with a different version of the file of rubric `test-role`" in captured.err


def test_validate_notes_a_rubric_it_cannot_find(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(data_dir / "record_minimal.toml")]) == 0
    assert "rubric `test-role` was not found" in capsys.readouterr().err


def test_a_record_that_would_not_read_back_is_never_written(tmp_path: Path) -> None:
    session = make_session()
    # model_copy skips validation: the kind of slip a later bug could make.
    broken = session.model_copy(update={"created_at": CREATED.replace(year=2027)})
    with pytest.raises(SaveError, match="would not read back correctly, so nothing was written"):
        save_session(broken, tmp_path)
    assert list(tmp_path.iterdir()) == []

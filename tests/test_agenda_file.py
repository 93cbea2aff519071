"""The agenda file: added to from the command line, carried from meeting to meeting, hostile files refused."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import EXAMPLE_PLAN, make_session
from reviewtui.checkins.agenda import agenda_after
from reviewtui.cli import main
from reviewtui.errors import LoadError
from reviewtui.models.agenda import AgendaFile, AgendaTopic
from reviewtui.storage import discover_rubrics
from reviewtui.storage.agenda import (
    _checked_bytes,
    add_topic,
    agenda_path,
    load_agenda,
    read_agenda,
    update_after_record,
)
from reviewtui.storage.records import MAX_RECORD_BYTES
from reviewtui.storage.validate import validate_path

EXAMPLES = Path(__file__).parent.parent / "src" / "reviewtui" / "examples"
AT = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def topic(topic_id: str, text: str, at: dt.datetime = AT, **more: object) -> AgendaTopic:
    return AgendaTopic(id=topic_id, text=text, raised_by="Ana Ruiz", role="employee", raised_at=at, **more)


def test_agenda_add_and_list_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(EXAMPLES / EXAMPLE_PLAN, tmp_path)
    assert main(["--sessions", str(tmp_path), "agenda", "add", "Workload", "--employee", "ana ruiz"]) == 0
    assert (
        main(
            [
                "--sessions",
                str(tmp_path),
                "agenda",
                "add",
                "Hiring",
                "--employee",
                "Ana Ruiz",
                "--by",
                "priya  nair",
                "--role",
                "partner",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--sessions", str(tmp_path), "agenda", "list", "--employee", "Ana Ruiz"]) == 0
    out = capsys.readouterr().out
    assert "Workload  (raised by Ana Ruiz, employee)" in out
    assert "Hiring  (raised by Priya Nair, partner)" in out  # as the records spell her
    [first, second] = read_agenda(tmp_path, "Ana Ruiz").topics
    assert (first.via, second.role) == ("command_line", "partner")


def test_agenda_add_refuses_an_empty_topic_and_a_name_it_does_not_know(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(EXAMPLES / EXAMPLE_PLAN, tmp_path)
    assert main(["--sessions", str(tmp_path), "agenda", "add", "  ", "--employee", "Ana Ruiz"]) == 2
    assert capsys.readouterr().err == "reviewtui agenda add: the topic is empty; nothing was written\n"
    assert main(["--sessions", str(tmp_path), "agenda", "add", "x" * 300, "--employee", "Ana Ruiz"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reviewtui agenda add: text:") and "x" * 20 not in err, "the value is never echoed"
    assert main(["--sessions", str(tmp_path), "agenda", "add", "x", "--employee", "Nobody \x1b[31m"]) == 1
    assert "\x1b" not in capsys.readouterr().err
    assert not list(tmp_path.glob("agenda_*"))


def test_after_a_record_covered_topics_leave_the_others_carry_and_new_ones_wait(tmp_path: Path) -> None:
    record = make_session(kind="check-in", status="recorded")
    before, during = record.created_at - dt.timedelta(days=2), record.created_at + dt.timedelta(minutes=5)
    covered, open_, removed = (
        topic("aaaaaaaaaaa1", "a", before),
        topic("aaaaaaaaaaa2", "b", before),
        topic("aaaaaaaaaaa3", "c", before),
    )
    meanwhile = topic("aaaaaaaaaaa4", "added while the meeting ran", during)
    raised_there = topic("aaaaaaaaaaa5", "raised in the meeting", during + dt.timedelta(minutes=1))
    record = record.model_copy(
        update={"agenda": [covered.model_copy(update={"covered": True}), open_, raised_there]}
    )
    agenda = AgendaFile(
        employee=record.participants.employee.name, topics=[covered, open_, removed, meanwhile]
    )
    after = agenda_after(agenda, record)
    assert [(t.text, t.carried_from, t.covered) for t in after.topics] == [
        ("b", record.id, False),
        ("added while the meeting ran", None, False),
        ("raised in the meeting", record.id, False),
    ]


def test_update_after_record_writes_the_file_once_the_record_is_known(tmp_path: Path) -> None:
    record = make_session(kind="check-in", status="recorded")
    employee = record.participants.employee.name
    added = add_topic(
        tmp_path,
        employee,
        "Career path",
        employee,
        "employee",
        "home",
        record.created_at - dt.timedelta(days=1),
    )
    record = record.model_copy(update={"agenda": [added.model_copy(update={"covered": True})]})
    assert update_after_record(tmp_path, record) == agenda_path(tmp_path, employee)
    assert read_agenda(tmp_path, employee).topics == []
    assert update_after_record(tmp_path, record) is None, "nothing left to change: the file is not rewritten"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('kind = "agenda"\nemployee = "Ana Ruiz"\n[[topics]\n', "agenda_ana-ruiz.toml:3"),
        (
            'kind = "agenda"\nemployee = "Ana Ruiz"\n[[topics]]\nid = "xyz"\ntext = "secret words"\n',
            "topics[0].id",
        ),
    ],
)
def test_a_broken_agenda_file_is_refused_by_line_without_its_values(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "agenda_ana-ruiz.toml"
    path.write_text(content)
    with pytest.raises(LoadError) as raised:
        load_agenda(path)
    assert message in str(raised.value) and "secret words" not in str(raised.value)
    report = validate_path(path, discover_rubrics())
    assert report.kind in ("agenda", None) and report.problems


def test_a_too_big_or_linked_agenda_file_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "agenda_ana-ruiz.toml"
    big.write_text('kind = "agenda"\nemployee = "Ana Ruiz"\n' + "# padding\n" * (MAX_RECORD_BYTES // 10 + 1))
    with pytest.raises(LoadError, match=r"larger than|too large|MiB"):
        load_agenda(big)
    real = tmp_path / "elsewhere.toml"
    real.write_text('kind = "agenda"\nemployee = "Ana Ruiz"\n')
    link = tmp_path / "agenda_dev-patel.toml"
    os.symlink(real, link)
    with pytest.raises(LoadError, match="link"):
        load_agenda(link)


def test_the_agenda_file_is_valid_for_reviewtui_validate(tmp_path: Path) -> None:
    add_topic(tmp_path, "Ana Ruiz", "Workload", "Ana Ruiz", "employee", "command_line", AT)
    report = validate_path(agenda_path(tmp_path, "Ana Ruiz"), discover_rubrics())
    assert (report.kind, report.problems) == ("agenda", [])


lines = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda text: text.strip() == text and text)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(lines, max_size=5),
    covered=st.booleans(),
    carried=st.sampled_from([None, "0" * 32]),
)
def test_an_agenda_file_reads_back_as_written(texts: list[str], covered: bool, carried: str | None) -> None:
    import tomllib

    topics = [
        AgendaTopic(
            id=f"{index:012x}",
            text=text,
            raised_by="Zoë Ünal",
            role="partner",
            raised_at=AT,
            via="browser",
            carried_from=carried,
            covered=covered,
        )
        for index, text in enumerate(texts)
    ]
    agenda = AgendaFile(employee="Zoë Ünal", topics=topics)
    data = _checked_bytes(agenda)
    assert AgendaFile.model_validate(tomllib.loads(data.decode())) == agenda
    assert _checked_bytes(AgendaFile.model_validate(tomllib.loads(data.decode()))) == data, (
        "re-saved byte for byte"
    )


def test_the_export_shows_the_agenda_and_the_notes() -> None:
    from reviewtui.record.summary import record_markdown

    record = make_session(kind="check-in", status="recorded").model_copy(
        update={
            "agenda": [topic("aaaaaaaaaaa1", "Career path", covered=True), topic("aaaaaaaaaaa2", "Workload")],
            "notes": "Blocked on data access",
        }
    )
    text = record_markdown(record, None)
    assert "## Agenda and notes" in text
    assert "| Career path | Ana Ruiz (employee) | 2026-09-01 | covered |" in text
    assert "| Workload | Ana Ruiz (employee) | 2026-09-01 | carried over to the next meeting |" in text
    assert "**Notes:** Blocked on data access" in text
    assert "Agenda" not in record_markdown(make_session(kind="check-in", status="recorded"), None)


def test_the_schema_documents_the_agenda_and_the_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "session"]) == 0
    schema = capsys.readouterr().out
    assert "The topics the meeting opened with" in schema and "beyond the figures" in schema
    assert "Id of the last meeting that opened with it and did not cover it." in schema


@pytest.mark.parametrize(
    ("by", "role"), [("Nobody Known", "partner"), ("Kwame Mensah", "manager"), ("Bo Li", "partner")]
)
def test_a_topic_is_raised_only_by_someone_who_meets_with_the_employee_in_their_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], by: str, role: str
) -> None:
    shutil.copy(EXAMPLES / EXAMPLE_PLAN, tmp_path)
    argv = [
        "--sessions",
        str(tmp_path),
        "agenda",
        "add",
        "Hiring",
        "--employee",
        "Ana Ruiz",
        "--by",
        by,
        "--role",
        role,
    ]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"is not the {role} of Ana Ruiz's meetings" in err and "Bo Li (manager)" in err
    assert "Priya Nair (partner)" in err and "nothing was written" in err
    assert not list(tmp_path.glob("agenda_*"))

"""Cadence rules (pure, given today), the record fields they read, `reviewtui due` and its calendar."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import EXAMPLE_PLAN, EXAMPLE_TEAM, copy_example_team, csm_checkin_draft, csm_draft
from reviewtui.checkins.due import (
    add_months,
    checkin_due,
    folder_due,
    next_after,
    overdue_actions,
)
from reviewtui.checkins.ics import calendar_text, fold
from reviewtui.checkins.rules import checkin_errors, recorded_session
from reviewtui.cli import main
from reviewtui.models import Session
from reviewtui.plan.rules import agree_errors, agreed_session
from reviewtui.record.summary import record_markdown
from reviewtui.storage import bundled_rubrics_dir, load_rubric, load_session
from reviewtui.storage.records import serialize_checked

RUBRIC = load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric
NOV_CHECKIN = "2026-11-05_check-in_ana-ruiz_e2f3a4b5.toml"


def example(name: str) -> Session:
    return load_session(EXAMPLE_TEAM / name)


def with_cadence(session: Session, cadence: str | None, next_checkin: dt.date | None) -> Session:
    return session.model_copy(update={"cadence": cadence, "next_checkin": next_checkin})


def test_months_keep_the_day_or_take_the_months_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert next_after(dt.date(2026, 12, 1), "weekly") == dt.date(2026, 12, 8)
    assert next_after(dt.date(2026, 12, 1), "fortnightly") == dt.date(2026, 12, 15)
    assert next_after(dt.date(2026, 12, 1), "monthly") == dt.date(2027, 1, 1)
    assert next_after(dt.date(2026, 12, 1), "") is None


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)), st.integers(0, 48))
def test_a_month_later_is_never_earlier_nor_in_the_wrong_month(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert later >= day
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or later.day < day.day  # clamped to the month's last day only


def test_overdue_due_and_later_from_the_plan_as_it_stands() -> None:
    checkin = with_cadence(example(NOV_CHECKIN), "monthly", dt.date(2026, 12, 3))
    plan = example(EXAMPLE_PLAN)
    assert checkin_due([plan, checkin], dt.date(2026, 12, 5)).state == "overdue"
    assert checkin_due([plan, checkin], dt.date(2026, 12, 5)).days == 2
    found = checkin_due([checkin, plan], dt.date(2026, 12, 1))
    assert (found.state, found.days, found.cadence) == ("due", 2, "monthly")
    assert checkin_due([checkin], dt.date(2026, 11, 20)).state == "later"
    # A record made after "today" does not count: the plan then stood without a date.
    assert checkin_due([plan, checkin], dt.date(2026, 11, 1)) is None


def test_an_old_record_with_a_cadence_but_no_date_is_due_a_cadence_after_its_day() -> None:
    checkin = with_cadence(example(NOV_CHECKIN), "fortnightly", None)
    assert checkin_due([checkin], dt.date(2026, 12, 1)).day == dt.date(2026, 11, 19)


def test_a_signed_review_closes_the_period() -> None:
    checkin = with_cadence(example(NOV_CHECKIN), "monthly", dt.date(2026, 12, 3))
    review = example("2027-01-12_review_ana-ruiz_a1b2c3d4.toml")
    assert checkin_due([checkin, review], dt.date(2027, 2, 1)) is None
    assert overdue_actions([checkin, review], dt.date(2027, 2, 1)) == []


def test_the_september_action_is_overdue_at_the_november_check_in() -> None:
    """The issue's example: due 2026-09-20, carried into the 2026-11-05 check-in, still open."""
    found = overdue_actions([example(NOV_CHECKIN)], dt.date(2026, 11, 5))
    assert [(a.text, a.due, a.days) for a in found] == [
        ("Share the detractor call-back rule with the team", dt.date(2026, 9, 20), 46)
    ]
    markdown = record_markdown(example(NOV_CHECKIN), RUBRIC)
    assert "| 2026-09-20 ⚑ overdue by 46 days at this check-in | open |" in markdown
    assert "| 2026-09-30 | done |" in markdown  # done: not flagged
    assert "2026-12-01 ⚑" not in markdown  # not yet due at the check-in


def test_folder_due_is_in_a_stable_order() -> None:
    records = [load_session(path) for path in sorted(EXAMPLE_TEAM.glob("*.toml")) if "_" in path.stem[11:]]
    records = [r for r in records if r.kind in ("alignment", "check-in", "review")]
    first = folder_due(records, dt.date(2026, 12, 1))
    again = folder_due(list(reversed(records)), dt.date(2026, 12, 1))
    assert first == again
    assert [a.employee for a in first.actions] == ["Ana Ruiz", "Mei Chen"]


def test_the_plan_records_the_cadence_and_the_next_check_in() -> None:
    confirmed = {"employee_confirmed": True, "manager_confirmed": True}
    draft = csm_draft(4, cadence="monthly", next_checkin="", **confirmed)
    assert agree_errors(draft, RUBRIC, {RUBRIC.id}) == {}
    now = draft.created_at
    session = agreed_session(draft, RUBRIC, "0" * 64, now)
    assert session.cadence == "monthly"
    assert session.next_checkin == next_after(draft.created_at.date(), "monthly")
    text = serialize_checked(session).decode()
    assert 'cadence = "monthly"' in text and "next_checkin = " in text
    before = agreed_session(csm_draft(4, **confirmed), RUBRIC, "0" * 64, now)
    assert "cadence" not in serialize_checked(before).decode(), "no key for a plan without a cadence"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-13-01", "Type the next check-in's day as YYYY-MM-DD, or leave it empty."),
        ("2026-06-30", "The next check-in comes after this meeting"),
    ],
)
def test_a_next_check_in_that_is_no_later_day_is_refused(typed: str, message: str) -> None:
    draft = csm_draft(4, next_checkin=typed)
    assert agree_errors(draft, RUBRIC, {RUBRIC.id})["next_checkin"].startswith(message)


def test_a_check_in_defaults_the_next_one_from_the_plans_cadence_and_may_change_it() -> None:
    draft = csm_checkin_draft(3)
    assert (draft.cadence, draft.next_checkin) == ("", "")  # the example plan has none
    base = with_cadence(draft.base, "fortnightly", dt.date(2026, 10, 1))
    from reviewtui.checkins.rules import checkin_from

    fresh = checkin_from(base, RUBRIC, "c5" * 16, dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC))
    assert (fresh.cadence, fresh.next_checkin) == ("fortnightly", "2026-10-15")
    changed = fresh.model_copy(update={"cadence": "weekly", "next_checkin": "2026-10-08"})
    results = [r.model_copy(update={"actual": "95"}) for r in changed.results[:1]] + changed.results[1:]
    changed = changed.model_copy(update={"results": results})
    assert checkin_errors("checkin_record", changed, RUBRIC) == {}
    record = recorded_session(changed, RUBRIC, "0" * 64, dt.datetime(2026, 10, 1, 11, tzinfo=dt.UTC))
    assert (record.cadence, record.next_checkin) == ("weekly", dt.date(2026, 10, 8))
    bad = changed.model_copy(update={"cadence": "daily"})
    assert "cadence" in checkin_errors("checkin_record", bad, RUBRIC)


def test_old_records_load_and_save_byte_for_byte() -> None:
    for path in sorted(EXAMPLE_TEAM.glob("20*.toml")):
        session = load_session(path)
        assert (session.cadence, session.next_checkin) == (None, None)
        assert serialize_checked(session) == path.read_bytes()


# reviewtui due ------------------------------------------------------------------


def team_with_dates(tmp_path: Path) -> Path:
    sessions = copy_example_team(tmp_path / "sessions")
    path = sessions / NOV_CHECKIN
    text = path.read_text()
    # Keys added as a check-in now records them (beside `follows`), so the file stays the record's own.
    text = text.replace('follows = "', 'cadence = "monthly"\nnext_checkin = 2026-11-28\nfollows = "', 1)
    path.write_text(text)
    load_session(path)  # still a valid record
    return sessions


def test_due_lists_check_ins_and_late_actions_in_plain_lines(tmp_path: Path, capsys) -> None:
    sessions = team_with_dates(tmp_path)
    assert main(["--sessions", str(sessions), "due", "--today", "2026-12-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "2026-11-28  check-in overdue by 3 days: Ana Ruiz (manager Bo Li, monthly)",
        "2026-09-20  action overdue by 72 days: Ana Ruiz: Share the detractor call-back rule with the team "
        "(owner Bo Li)",
        "2026-10-31  action overdue by 31 days: Mei Chen: Monthly root-cause review with product (owner Mei Chen)",
    ]
    assert main(["--sessions", str(sessions), "due", "--today", "2026-11-25", "--within", "2"]) == 0
    assert not capsys.readouterr().out.startswith("2026-11-28  check-in")
    assert main(["--sessions", str(sessions), "due", "--today", "2026-11-25", "--within", "3"]) == 0
    assert capsys.readouterr().out.startswith("2026-11-28  check-in due in 3 days: Ana Ruiz")


def test_due_with_nothing_due_exits_0(tmp_path: Path, capsys) -> None:
    sessions = copy_example_team(tmp_path / "sessions")
    assert main(["--sessions", str(sessions), "due", "--today", "2026-08-01"]) == 0
    assert capsys.readouterr().out == "nothing due: no check-in before 2026-08-08, no action late\n"


def test_due_escapes_names(tmp_path: Path, capsys) -> None:
    sessions = team_with_dates(tmp_path)
    path = sessions / NOV_CHECKIN
    path.write_text(path.read_text().replace('"Share the detractor', '"\\u001b[31mShare the detractor', 1))
    assert main(["--sessions", str(sessions), "due", "--today", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Share the detractor" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--today", "tomorrow"], "--today tomorrow: type a day as YYYY-MM-DD"),
        (["--within", "-1"], "--within"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys, args: list[str], said: str) -> None:
    sessions = copy_example_team(tmp_path / "sessions")
    assert main(["--sessions", str(sessions), "due", *args]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1


def test_an_unreadable_record_is_named_and_the_rest_listed(tmp_path: Path, capsys) -> None:
    sessions = team_with_dates(tmp_path)
    (sessions / "2026-12-01_check-in_zed_00000000.toml").write_text("kind = [broken\n")
    assert main(["--sessions", str(sessions), "due", "--today", "2026-12-01"]) == 1
    captured = capsys.readouterr()
    assert "2026-12-01_check-in_zed_00000000.toml" in captured.err
    assert "check-in overdue by 3 days: Ana Ruiz" in captured.out


def test_the_calendar_reads_in_icalendar(tmp_path: Path, capsys) -> None:
    sessions = team_with_dates(tmp_path)
    ics = tmp_path / "due.ics"
    assert main(["--sessions", str(sessions), "due", "--today", "2026-12-01", "--ics", str(ics)]) == 0
    data = ics.read_bytes()
    assert oct(os.stat(ics).st_mode & 0o777) == "0o600"
    assert all(line.endswith(b"\r") or line == b"" for line in data.split(b"\n"))
    assert all(len(line.rstrip(b"\r")) <= 75 for line in data.split(b"\n"))
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Check-in: Ana Ruiz"
    assert event.decoded("DTSTART") == dt.date(2026, 11, 28)
    assert event.decoded("DTEND") == dt.date(2026, 11, 29)
    assert str(event["UID"]).endswith("-20261128@reviewtui.invalid")
    assert "DTSTAMP" in event
    assert "Overdue by 3 day(s). They meet monthly." in str(event["DESCRIPTION"])
    # Written again: the same UID, so a calendar updates the event instead of adding another.
    assert main(["--sessions", str(sessions), "due", "--today", "2026-12-01", "--ics", str(ics)]) == 0
    assert icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]["UID"] == event["UID"]


def test_the_calendar_folds_and_escapes_what_names_hold() -> None:
    from reviewtui.checkins.due import CheckinDue

    name = "Zoë, Ana; de la Peña \\ Ruiz " + "é" * 60
    found = CheckinDue(name, "Bo\nLi", dt.date(2026, 12, 3), "weekly", "due", 2, "ab" * 16)
    data = calendar_text([found], dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)).encode()
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # never folded inside a character
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Check-in: {name}"
    assert "Bo\nLi" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


@given(st.text(min_size=0, max_size=300))
def test_folding_keeps_every_character_and_the_limit(text: str) -> None:
    folded = fold(f"SUMMARY:{text}")
    assert folded.endswith("\r\n")
    lines = folded[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert lines[0] + "".join(line[1:] for line in lines[1:]) == f"SUMMARY:{text}"


def test_the_calendar_refuses_a_link_and_a_record(tmp_path: Path, capsys) -> None:
    sessions = team_with_dates(tmp_path)
    target = tmp_path / "elsewhere.ics"
    target.write_text("kept")
    link = tmp_path / "due.ics"
    link.symlink_to(target)
    assert main(["--sessions", str(sessions), "due", "--ics", str(link)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert target.read_text() == "kept" and link.is_symlink()
    record = sessions / NOV_CHECKIN
    before = record.read_bytes()
    assert main(["--sessions", str(sessions), "due", "--ics", str(record)]) == 2
    assert "a record" in capsys.readouterr().err
    assert record.read_bytes() == before


def test_the_json_export_lists_the_late_actions() -> None:
    import json

    from reviewtui.record.summary import record_json

    data = json.loads(record_json(example(NOV_CHECKIN), RUBRIC))
    assert data["check_in"]["overdue_actions"] == [{"action": 1, "due": "2026-09-20", "days_late": 46}]


def test_a_record_that_is_a_link_is_named_not_followed(tmp_path: Path, capsys) -> None:
    sessions = team_with_dates(tmp_path)
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_bytes((sessions / NOV_CHECKIN).read_bytes())
    (sessions / NOV_CHECKIN).unlink()
    (sessions / NOV_CHECKIN).symlink_to(elsewhere)
    assert main(["--sessions", str(sessions), "due", "--today", "2026-12-01"]) == 1
    captured = capsys.readouterr()
    assert "symbolic link" in captured.err and NOV_CHECKIN in captured.err
    assert "Ana Ruiz" in captured.out, "her September check-in's late action is still listed"
    assert "check-in overdue" not in captured.out, "the date was set only in the linked file"


def test_the_timeline_says_the_next_check_in_a_record_set() -> None:
    from reviewtui.team.timeline import figures

    checkin = with_cadence(example(NOV_CHECKIN), "monthly", dt.date(2026, 12, 3))
    assert figures(checkin, RUBRIC).endswith("; next check-in 2026-12-03 (monthly)")
    assert "next check-in" not in figures(example(NOV_CHECKIN), RUBRIC)


def test_the_calendar_is_not_written_into_a_folder_that_does_not_exist(tmp_path: Path, capsys) -> None:
    sessions = team_with_dates(tmp_path)
    assert main(["--sessions", str(sessions), "due", "--ics", str(tmp_path / "typo" / "due.ics")]) == 2
    assert "its folder does not exist" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()

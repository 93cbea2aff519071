"""What a file holds is judged the same way wherever it is read or typed: merge-conflict markers
are refused at their line, and text of invisible characters only counts as empty."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError
from textual import events
from textual.widgets import Input

from factories import AGREE_STEP, EXAMPLE_PLAN, csm_draft, session_data
from pilot_helpers import START, make_app
from reviewtui.cli import main
from reviewtui.errors import LoadError
from reviewtui.models import Session
from reviewtui.models.base import clean_line, clean_text
from reviewtui.models.evidence import EvidenceEntry, new_entry
from reviewtui.plan.rules import agreed_session
from reviewtui.storage import discover_rubrics, load_session
from reviewtui.storage.drafts import draft_path, load_draft, save_draft
from reviewtui.storage.evidence import load_evidence
from reviewtui.storage.fast_records import read_fast
from reviewtui.storage.messages import field_problems
from reviewtui.storage.rubrics import load_rubric
from reviewtui.ui.evidence import EvidenceFormScreen

ROOT = Path(__file__).parent.parent
ADVICE = "holds a merge-conflict marker"
WHAT_TO_DO = "resolve the merge conflict"
SECRET = "CONFIDENTIAL-OURS"
INVISIBLE_ONLY = "\u200b\u200e\n\u2060\u200f \u202a\u202c\n\ufeff"
"""Zero-width space, direction marks, word joiner, an embedding and its pop, a BOM: nothing shows."""

CONFLICT_IN_STRING = (
    "Red and yellow accounts get an outreach plan within a week,\n"
    "so risk is handled months before the renewal date.",
    f"<<<<<<< HEAD\nRed accounts get a plan within a week, {SECRET}\n=======\n"
    "Red accounts get a call the same day, CONFIDENTIAL-THEIRS\n>>>>>>> feature",
)


@pytest.fixture
def conflicted_record(tmp_path: Path) -> Path:
    """The example plan after a merge that left a conflict inside the multi-line `how` (line 32)."""
    text = (ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN).read_text()
    assert CONFLICT_IN_STRING[0] in text
    path = tmp_path / EXAMPLE_PLAN
    path.write_text(text.replace(*CONFLICT_IN_STRING, 1))
    return path


def test_validate_names_each_conflict_marker_line_inside_a_string_and_never_the_text(
    conflicted_record: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(conflicted_record)]) == 1
    captured = capsys.readouterr()
    output = captured.out + captured.err
    for line in (33, 35, 37):
        assert f"{conflicted_record}:{line}: {ADVICE}" in output
    assert WHAT_TO_DO in output
    assert SECRET not in output and "THEIRS" not in output and "Traceback" not in output


def test_the_app_does_not_load_a_record_with_conflict_markers(conflicted_record: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load_session(conflicted_record)
    assert [problem.line for problem in caught.value.problems] == [33, 35, 37]
    assert SECRET not in str(caught.value)
    # The fast reader of `report` leaves it to the checked reader too, instead of taking it in.
    assert read_fast(conflicted_record, 1 << 20) is None


def test_the_model_refuses_text_holding_a_conflict_marker_without_quoting_it(conflicted_record: Path) -> None:
    # Without the file scan (data from any source: a draft being signed, another tool).
    data = tomllib.loads(conflicted_record.read_text())
    with pytest.raises(ValidationError) as caught:
        Session.model_validate(data)
    [problem] = field_problems(Session, caught.value)
    assert problem.startswith("impact_map[0].how: " + ADVICE) and WHAT_TO_DO in problem
    assert SECRET not in problem


def test_a_draft_keeps_a_typed_marker_line_and_agreeing_it_says_which_field(tmp_path: Path) -> None:
    # Drafts keep what was typed (git never merges them): a line of ======= under a heading
    # reloads as it was; the record made from it is refused, naming the field and what to do.
    draft = csm_draft(AGREE_STEP)
    how = "Summary\n=======\nRisks surface early."
    draft.impact_map[0].how = how
    save_draft(draft, tmp_path)
    reloaded = load_draft(draft_path(tmp_path, draft.id))
    assert reloaded.impact_map[0].how == how
    catalog = discover_rubrics()
    source = catalog.get(reloaded.rubric_id)
    assert source is not None
    with pytest.raises(ValidationError) as caught:
        agreed_session(reloaded, source.rubric, source.sha256, START)
    assert [problem.split(":")[0] for problem in field_problems(Session, caught.value)] == [
        "impact_map[0].how"
    ]
    assert "resolve the merge conflict, or reword that line" in field_problems(Session, caught.value)[0]


@pytest.mark.parametrize("line", ["=======", "<<<<<<< HEAD", ">>>>>>> main", "||||||| base", "=======\r"])
def test_each_kind_of_marker_line_is_refused_in_a_records_text(line: str) -> None:
    how = f"Surfaces risks early,\n{line}\nso renewals are not a surprise."
    with pytest.raises(ValidationError):
        Session.model_validate(
            session_data(impact_map=[{"activity": "QBRs", "outcome": "retention", "how": how}])
        )


@pytest.mark.parametrize("line", ["========", "==", "a ======= b", "<<<<<<<<", "  >>>>>>> indented"])
def test_lines_that_only_look_like_markers_are_kept(line: str) -> None:
    how = f"Summary\n{line}\nso renewals are not a surprise."
    session = Session.model_validate(
        session_data(impact_map=[{"activity": "QBRs", "outcome": "retention", "how": how}])
    )
    assert session.impact_map[0].how == how


def test_a_conflict_outside_strings_is_named_as_one_not_as_a_syntax_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN).read_text()
    old = 'activity = "Weekly health-score review of the 42-account book"\n'
    assert old in text
    conflicted = f'<<<<<<< HEAD\n{old}=======\nactivity = "{SECRET} review"\n>>>>>>> feature\n'
    path = tmp_path / EXAMPLE_PLAN
    path.write_text(text.replace(old, conflicted, 1))
    start = text[: text.index(old)].count("\n") + 1
    assert main(["validate", str(path)]) == 1
    output = capsys.readouterr()
    shown = output.out + output.err
    assert f"{path}:{start}: {ADVICE}" in shown and f"{path}:{start + 4}: {ADVICE}" in shown
    assert "syntax error" not in shown and SECRET not in shown


def test_rubrics_and_evidence_logs_with_conflict_markers_are_refused(tmp_path: Path) -> None:
    rubric_text = (ROOT / "src" / "reviewtui" / "rubrics" / "support-engineer.toml").read_text()
    rubric = tmp_path / "support-engineer.toml"
    rubric.write_text(rubric_text.replace("ticket at a time", "ticket at a time\n=======\n", 1))
    with pytest.raises(LoadError) as caught:
        load_rubric(rubric)
    assert caught.value.problems[0].line == 8 and WHAT_TO_DO in caught.value.problems[0].message
    log = tmp_path / "evidence_ana-ruiz.toml"
    log.write_text(
        (ROOT / "src" / "reviewtui" / "examples" / "evidence_ana-ruiz.toml")
        .read_text()
        .replace(
            'text = "Acme renewed', f'text = """\n<<<<<<< HEAD\n{SECRET}\n=======\n>>>>>>> b\n"""\nx = "', 1
        )
    )
    with pytest.raises(LoadError) as caught:
        load_evidence(log)
    assert [problem.line for problem in caught.value.problems] == [10, 12, 13]
    assert all(WHAT_TO_DO in problem.message for problem in caught.value.problems)


def test_multi_line_text_of_invisible_characters_only_is_empty() -> None:
    assert clean_text(INVISIBLE_ONLY) == ""
    assert clean_text("\u200bAcme renewed\u200b") == "\u200bAcme renewed\u200b"  # text that shows is kept
    with pytest.raises(ValidationError):
        EvidenceEntry(
            id="0123456789ab",
            logged_at="2026-08-21T09:00:00+00:00",  # type: ignore[arg-type]
            happened_on="2026-08-20",  # type: ignore[arg-type]
            text=INVISIBLE_ONLY,
        )


def test_reviewtui_log_refuses_an_entry_of_invisible_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = tmp_path / "sessions"
    shutil.copytree(
        ROOT / "src" / "reviewtui" / "examples", sessions, ignore=shutil.ignore_patterns("evidence_*")
    )
    assert main(["--sessions", str(sessions), "log", INVISIBLE_ONLY, "--employee", "Ana Ruiz"]) == 1
    assert "The entry is empty: say what happened. Nothing was written." in capsys.readouterr().err
    assert not list(sessions.glob("evidence_*"))


def test_an_entry_pasting_a_conflict_marker_is_refused_beside_the_field() -> None:
    import datetime as dt

    now = dt.datetime(2026, 8, 21, 9, 0, tzinfo=dt.UTC)
    entry, errors = new_entry("QBR held\n=======\nrenewed", "", "", "", metrics={}, now=now)
    assert entry is None and "merge-conflict marker" in errors["text"]


async def test_the_evidence_screen_refuses_an_entry_of_invisible_characters(tmp_path: Path) -> None:
    shutil.copy(ROOT / "src" / "reviewtui" / "examples" / EXAMPLE_PLAN, tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("l", "a")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceFormScreen)
        field = app.screen.query_one("#text", Input)
        field.post_message(events.Paste("\u200b\u200e\u2060\u200f"))
        await pilot.pause()
        assert field.value  # the marks went in, as typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceFormScreen)  # refused, the form stays open
        assert "The entry is empty" in str(app.screen.query_one("#err-text").render())
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert not list(tmp_path.glob("evidence_*"))


@pytest.mark.parametrize(
    "blank", ["\u3164", "\u115f\u1160", "\u2800", "\u034f", "\ufe0f", "\uffa0", "\u3164 \u2800\n\u200b"]
)
def test_fillers_and_blank_patterns_count_as_empty_too(blank: str) -> None:
    # Hangul fillers and the blank Braille pattern are letters and symbols to Unicode, yet show nothing.
    assert clean_text(blank) == "" and clean_line(blank) == ""
    assert clean_text(f"{blank}Acme renewed") != ""

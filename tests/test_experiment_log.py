"""`reviewtui experiment`: the experiment log from the command line, its file, and refusals."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewtui.cli import main
from reviewtui.models.base import clean_line, clean_text
from reviewtui.models.experiments import Experiment, ExperimentLog
from reviewtui.storage import validate_path
from reviewtui.storage.experiments import (
    _checked_bytes,
    add_experiment,
    load_experiments,
    save_experiment,
)
from reviewtui.storage.rubrics import discover_rubrics

ROOT = Path(__file__).parent.parent


@pytest.fixture
def team(tmp_path: Path) -> Path:
    sessions = tmp_path / "sessions"
    shutil.copytree(
        ROOT / "src" / "reviewtui" / "examples", sessions, ignore=shutil.ignore_patterns("evidence_*")
    )  # records only
    return sessions


def experiment(team: Path, *args: str) -> int:
    return main(["--sessions", str(team), "experiment", *args])


START = ["--title", "Monday triage", "--hypothesis", "A fixed triage halves the wait"]
START += ["--change", "Triage every Monday", "--started", "2026-03-02"]


def test_add_end_and_list_keep_the_failure_and_its_lesson(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--employee", "ana ruiz", *START, "--bottleneck", "Red accounts waited a week"]
    assert experiment(team, "add", *args, "--metric", "gross_retention") == 0
    path = team / "experiments_ana-ruiz.toml"
    [logged] = load_experiments(path).entries
    assert f"logged experiment {logged.id} for Ana Ruiz in {path.resolve()}" in capsys.readouterr().out
    assert (logged.outcome, logged.ended_on, logged.metric) == ("running", None, "gross_retention")
    assert path.stat().st_mode & 0o777 == 0o600
    end = [
        "--outcome",
        "did_not_work",
        "--result",
        "6.1 to 5.8 days",
        "--learned",
        "Accounts turn red midweek",
    ]
    assert experiment(team, "end", logged.id, *end, "--ended", "2026-04-27") == 0
    assert "ended experiment" in capsys.readouterr().out
    [ended] = load_experiments(path).entries
    assert (ended.outcome, ended.ended_on, ended.result, ended.learned, ended.logged_at) == (
        "did_not_work",
        dt.date(2026, 4, 27),
        "6.1 to 5.8 days",
        "Accounts turn red midweek",
        logged.logged_at,
    )
    assert experiment(team, "list", "--employee", "Ana Ruiz") == 0
    out = capsys.readouterr().out
    assert f"{logged.id}  2026-03-02 to 2026-04-27  did not work  Monday triage" in out
    assert main(["validate", str(path)]) == 0
    assert "1 of 1 file valid" in capsys.readouterr().err


def test_list_says_when_nothing_is_logged(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert experiment(team, "list", "--employee", "Ana Ruiz") == 0
    assert "no experiment logged for Ana Ruiz yet" in capsys.readouterr().out
    assert not list(team.glob("experiments_*"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "--employee", "Ana Ruiz", *START[:-1], "2026-02-30"],
            "The start date must be YYYY-MM-DD, not '2026-02-30'.",
        ),
        (["add", "--employee", "Ana Ruiz", *START[2:], "--title", "  "], "Write the title."),
        (["add", "--employee", "Ana Ruiz", *START, "--metric", "csat"], "The plans have no metric 'csat'"),
        (
            ["end", "nothex", "--outcome", "mixed", "--result", "r", "--learned", "l"],
            "An experiment id is 12 hex digits",
        ),
        (
            ["end", "0123456789ab", "--outcome", "mixed", "--result", "r", "--learned", "l"],
            "holds an experiment '0123456789ab'",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    team: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert experiment(team, *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert not list(team.glob("experiments_*"))


def test_ending_needs_a_result_and_a_lesson_and_a_day_after_the_start(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert experiment(team, "add", "--employee", "Ana Ruiz", *START) == 0
    path = team / "experiments_ana-ruiz.toml"
    [logged] = load_experiments(path).entries
    before = path.read_bytes()
    capsys.readouterr()
    args = [
        "end",
        logged.id,
        "--outcome",
        "worked",
        "--result",
        " ",
        "--learned",
        "",
        "--ended",
        "2026-03-01",
    ]
    assert experiment(team, *args) == 2
    err = capsys.readouterr().err
    assert "Write the result. Write what was learned. It cannot end before it started (2026-03-02)." in err
    assert path.read_bytes() == before


def test_a_damaged_log_is_reported_by_line_and_left_as_it_is(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = team / "experiments_ana-ruiz.toml"
    path.write_text('schema_version = 1\nkind = "experiment-log"\nemployee = "Ana Ruiz"\nentries = "oops"\n')
    before = path.read_bytes()
    assert experiment(team, "add", "--employee", "Ana Ruiz", *START) == 1
    assert f"{path}:4: entries: must be an array" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert validate_path(path, discover_rubrics()).problems == [
        f"{path}:4: entries: must be an array, found a string"
    ]


def test_saving_an_unknown_experiment_writes_nothing(team: Path) -> None:
    from reviewtui.storage.experiments import UnknownExperimentError

    running = Experiment(
        id="0" * 12,
        logged_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        title="t",
        hypothesis="h",
        change="c",
        started_on=dt.date(2026, 3, 2),
    )
    path, _ = add_experiment(team, "Ana Ruiz", running)
    before = path.read_bytes()
    with pytest.raises(UnknownExperimentError):
        save_experiment(team, "Ana Ruiz", running.model_copy(update={"id": "1" * 12}))
    assert path.read_bytes() == before
    second, _ = add_experiment(team, "Ana Ruíz", running)  # another person with the same slug
    assert second.name == "experiments_ana-ruiz_2.toml"


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    # Text that shows something once cleaned (a zero-width space alone is empty), and no conflict marker.
    lambda t: (
        clean_line(t) and clean_text(t) and not any(mark in t for mark in ("=======", "<<<<<<<", ">>>>>>>"))
    )
)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def experiments(draw: st.DrawFn) -> Experiment:
    started = draw(days)
    outcome = draw(st.sampled_from(["running", "worked", "mixed", "did_not_work"]))
    ended = None if outcome == "running" else started + dt.timedelta(days=draw(st.integers(0, 400)))
    return Experiment(
        id=draw(st.from_regex(r"[0-9a-f]{12}", fullmatch=True)),
        logged_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=draw(st.integers(0, 10**8))),
        title=draw(texts),
        bottleneck=draw(st.just("") | texts),
        hypothesis=draw(texts),
        change=draw(texts),
        started_on=started,
        ended_on=ended,
        outcome=outcome,
        result=draw(st.just("") | texts),
        learned=draw(st.just("") | texts),
        metric=draw(st.none() | st.sampled_from(["gross_retention", "nps"])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(experiments(), max_size=4, unique_by=lambda e: e.id))
def test_a_log_reads_back_the_same_and_saves_byte_for_byte(entries: list[Experiment]) -> None:
    log = ExperimentLog.model_validate(ExperimentLog(employee="Ana Ruiz", entries=entries).model_dump())
    data = _checked_bytes(log)
    again = ExperimentLog.model_validate(tomllib.loads(data.decode(), parse_float=Decimal))
    assert again == log
    assert _checked_bytes(again) == data

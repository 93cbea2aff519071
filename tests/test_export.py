"""Export: a signed review as Markdown and JSON, from the library and from `reviewtui export`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from factories import CREATED, make_session, metric
from reviewtui.cli import main
from reviewtui.models import Rubric, Session
from reviewtui.record.summary import record_json, record_markdown
from reviewtui.score.weighted import score
from reviewtui.storage import load_rubric, save_session

D = Decimal
SIGNED = CREATED + dt.timedelta(days=180)
BULLETS = [
    "Recovered 5 at-risk accounts in the Mid-Market book: 4 renewed, gross retention 97%. "
    "My contribution: weekly health reviews and a save playbook.",
    "Launched a QBR programme for the top ten accounts: 9 held with a sponsor present.",
]


def signed_review(sha256: str = "a" * 64) -> Session:
    """A signed review: two measured metrics (one overridden), one without an actual, and every section."""
    csat_bands = {"basis": "points_from_target", "thresholds": [D(-10), D(-4), D(0), D(5)]}
    response_bands = {"basis": "percent_of_target", "thresholds": [D(70), D(90), D(100), D(120)]}
    return make_session(
        id="feedface0123456789abcdef01234567",
        kind="review",
        status="signed",
        updated_at=SIGNED,
        rubric={"id": "test-role", "version": 1, "sha256": sha256},
        metrics=[
            metric(
                weight=50,
                actuals=[
                    {"value": D(90), "as_of": dt.date(2026, 9, 30)},
                    {"value": D(97), "as_of": dt.date(2026, 12, 15), "evidence": "Q4 renewal report"},
                ],
                evidence="Two saves came from the new playbook.",
            ),
            metric(
                "csat",
                weight=30,
                name="CSAT | survey",
                unit="points",
                kind="lagging",
                outcome="satisfaction",
                baseline=D(30),
                target=D(35),
                bands=csat_bands,
                actuals=[{"value": D(38), "as_of": dt.date(2026, 12, 1)}],
                override={"level": 5, "reason": "Scores held up while the team\nwas two people short."},
            ),
            metric(
                "first_response_hours",
                weight=20,
                name="First response time",
                unit="hours",
                kind="leading",
                direction="lower",
                outcome="satisfaction",
                baseline=D("6.5"),
                target=D(4),
                bands=response_bands,
            ),
        ],
        adjustments=[
            {
                "metric": "gross_retention",
                "field": "target",
                "old": D(96),
                "new": D(95),
                "reason": "A large client was acquired and froze renewals.",
                "by": "Bo Li",
                "at": CREATED + dt.timedelta(days=90),
            }
        ],
        feedback=[
            {
                "source": "survey",
                "account": "Acme",
                "observed": "Answered the sponsor's escalation the same day.",
                "impact": "The sponsor renewed early.",
                "kind": "strength",
            },
            {
                "source": "support",
                "observed": "Hand-offs to support lacked account history.",
                "kind": "gap",
            },
        ],
        context=[
            {"factor": "resource_constraints", "note": "The team was two people short\nfor the quarter."}
        ],
        examples=[
            {
                "kind": "success_story",
                "title": "Acme renewal saved",
                "account": "Acme",
                "happened_on": dt.date(2026, 10, 2),
                "text": "Acme turned red after a reorganisation.\n\nA joint plan with product brought it back.",
            },
            {
                "kind": "example",
                "title": "Playbook shared",
                "text": "Shared the save playbook with the team.",
            },
        ],
        competencies=[
            {"competency": "collaboration", "level": 3, "evidence": "Ran the joint plan with product."}
        ],
        accomplishments=[
            {
                "action": "Recovered",
                "subject": "5 at-risk accounts in the Mid-Market book",
                "outcome": "4 renewed, gross retention 97%.",
                "contribution": "weekly health reviews and a save playbook",
                "metric": "gross_retention",
            },
            {
                "action": "Launched",
                "subject": "a QBR programme for the top ten accounts",
                "outcome": "9 held with a sponsor present",
            },
        ],
        development=[
            {
                "objective": "Lead executive business reviews",
                "actions": ["Shadow two EBRs", "Run one EBR\nwith coaching"],
                "owner": "Ana Ruiz",
                "due": dt.date(2027, 3, 31),
                "support": "Bo joins the first EBR.",
                "success_measure": "Two EBRs run with sponsor sign-off.",
            }
        ],
        employee_reading={
            "reading": "Retention held despite the acquisition.\n\tResponse time data is missing.",
            "comments": "I want to own the save playbook.",
        },
        sign_offs=[
            {"name": "Ana Ruiz", "role": "employee", "at": SIGNED},
            {"name": "Bo Li", "role": "manager", "at": SIGNED},
        ],
    )


@pytest.fixture
def rubric(minimal_rubric: Path) -> Rubric:
    return load_rubric(minimal_rubric).rubric


def test_markdown_holds_every_section_and_the_key_lines(rubric: Rubric) -> None:
    text = record_markdown(signed_review(), rubric, "a" * 64)
    lines = text.splitlines()
    for heading in (
        "# Review: Ana Ruiz",
        "## Role impact map",
        "## Metric results",
        "## Score",
        "## Customer feedback",
        "## Context",
        "## Examples and client success stories",
        "## Competencies",
        "## Accomplishments",
        "## Development plan",
        "### Lead executive business reviews",
        "## The employee's reading",
        "## Adjustments",
        "## Sign-off",
    ):
        assert heading in lines
    assert (
        "| Gross retention | lagging | 91.5 % | 95 % | 97 % (2026-12-15) | 4 Exceeding | 50% | 1.75 |"
        in lines
    )
    assert (
        "| CSAT \\| survey | lagging | 30 points | 35 points | 38 points (2026-12-01) "
        "| 5 Outstanding (set by the reviewer; bands give 4 Exceeding) | 30% | 1.31 |"
    ) in lines
    assert "| First response time | leading | 6.5 hours | 4 hours | – | not scored | 20% | – |" in lines
    assert "**Score:** 3.96 on a 1–5 scale (provisional: 1 item not scored yet)" in lines
    assert "| Competencies (30%) | Cross-functional collaboration | 3 Meeting | 100% | 0.90 |" in lines
    assert "- **Cross-functional collaboration:** level 3 × 100% × 30% = 0.90" in lines
    assert (
        "Score = 70% × metric average 4.38 + 30% × competency average 3.00 = 3.96 on a 1–5 scale. "
        "Each average weighs levels by the agreed weights; each term is level × weight share × split, "
        "in cents that add up to the total. Not scored: First response time (no actual)."
    ) in lines
    assert (
        "- **CSAT | survey:** 38 points is +3 against the target 35 (4 Exceeding from 0, 5 Outstanding from +5) "
        "→ bands give 4 Exceeding; the reviewer set 5 Outstanding: Scores held up while the team was two people short."
    ) in lines
    assert [f"- {bullet}" for bullet in BULLETS] == [
        line for line in lines if line.startswith("- Recovered") or line.startswith("- Launched")
    ]
    assert (
        "| Survey | Acme | Answered the sponsor's escalation the same day. | The sponsor renewed early. | strength |"
        in lines
    )
    assert "- **Client success story: Acme renewal saved** (Acme, 2026-10-02)\\" in lines
    assert "- **Cross-functional collaboration:** 3 Meeting (Coordinates with partners.)\\" in lines
    assert "**Owner:** Ana Ruiz · **Due:** 2027-03-31" in lines
    assert (
        "| Gross retention | target | 96 % → 95 % | A large client was acquired and froze renewals. | Bo Li | 2026-09-29 09:30 +0200 |"
        in lines
    )
    assert "- Bo Li (manager), 2026-12-28 09:30 +0200" in lines
    assert "- **Resource constraints:** The team was two people short" in lines
    actions = lines.index("- Shadow two EBRs")
    assert lines[actions : actions + 3] == ["- Shadow two EBRs", "- Run one EBR", "  with coaching"]
    assert "**Support:** Bo joins the first EBR." in lines
    assert "**Success measure:** Two EBRs run with sponsor sign-off." in lines
    assert "**Their reading of the data:** Retention held despite the acquisition." in lines
    assert "Response time data is missing." in lines
    assert "**Comments:** I want to own the save playbook." in lines
    assert (
        "- **First response time:** No actual recorded yet: not scored (it does not count as zero)." in lines
    )
    assert "rubric has changed" not in text


def test_markdown_is_tidy(rubric: Rubric) -> None:
    text = record_markdown(signed_review(), rubric)
    assert text.endswith("\n") and not text.endswith("\n\n")
    for line in text.splitlines():
        assert line == line.rstrip(), repr(line)
        assert not line.startswith("\t"), repr(line)
        assert not line.startswith("    "), repr(line)  # would be a code block
    assert "\n\n\n" not in text
    assert "E+" not in text and "e+" not in text


def test_markdown_says_when_the_rubric_changed(rubric: Rubric) -> None:
    text = record_markdown(signed_review(), rubric, "b" * 64)
    assert "**Note:** the rubric has changed since this record was made (still version 1, but edited)" in text


def test_markdown_without_the_rubric_has_no_score() -> None:
    text = record_markdown(signed_review(), None)
    assert "No score: the rubric `test-role` (version 1) was not found." in text
    assert "| Gross retention | lagging | 91.5 % | 95 % | 97 % (2026-12-15) | – | 50% | – |" in text


def test_a_plan_without_results_keeps_the_agreed_metrics_table(rubric: Rubric) -> None:
    text = record_markdown(make_session(), rubric)
    assert "| Gross retention | lagging | quarterly | 91.5 | 95 % | higher | 100 |" in text
    assert "## Score" not in text


def test_json_holds_the_record_the_score_the_rubric_and_the_bullets(rubric: Rubric) -> None:
    session = signed_review()
    data = json.loads(record_json(session, rubric, "a" * 64))
    assert list(data) == ["record", "score", "score_signed", "score_under_todays_rubric", "rubric", "bullets"]
    assert (data["score_signed"], data["score_under_todays_rubric"]) == (False, None)
    assert data["record"] == json.loads(session.model_dump_json())
    assert data["score"]["total"] == f"{score(session, rubric).total:f}" == "3.96"
    assert data["score"]["metrics"][1]["level"] == 5
    assert data["score"]["metrics"][1]["attainment"] == "3"
    assert data["score"]["metrics"][0]["as_of"] == "2026-12-15"
    assert data["score"]["not_scored"] == ["First response time"]
    assert data["rubric"] == {"id": "test-role", "version": 1, "title": "Test role", "sha256_now": "a" * 64}
    assert data["bullets"] == BULLETS


def test_json_without_the_rubric_has_a_null_score() -> None:
    data = json.loads(record_json(signed_review(), None))
    assert data["score"] is None
    assert data["rubric"] == {"id": "test-role", "version": None, "title": None, "sha256_now": None}


# The command -----------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path, minimal_rubric: Path) -> tuple[Path, Path]:
    """The review saved in a folder, pinned to the exact rubric file in another."""
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    shutil.copy(minimal_rubric, rubrics / "test-role.toml")
    sha256 = hashlib.sha256(minimal_rubric.read_bytes()).hexdigest()
    return save_session(signed_review(sha256), tmp_path / "sessions"), rubrics


def test_export_markdown_to_stdout(saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    record, rubrics = saved
    assert main(["--rubrics", str(rubrics), "export", str(record)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Review: Ana Ruiz\n")
    assert "**Score:** 3.96 on a 1–5 scale (provisional: 1 item not scored yet)" in captured.out
    assert "rubric has changed" not in captured.out
    assert captured.err == ""


def test_export_json_to_stdout(saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    record, rubrics = saved
    assert main(["--rubrics", str(rubrics), "export", str(record), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["score"]["total"] == "3.96"
    assert data["score"]["rubric_changed"] is False
    assert data["rubric"]["sha256_now"] == data["record"]["rubric"]["sha256"]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_export_to_a_private_file(
    saved: tuple[Path, Path], tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    record, rubrics = saved
    output = tmp_path / "out" / f"review.{fmt}"
    assert (
        main(["--rubrics", str(rubrics), "export", str(record), "--format", fmt, "--output", str(output)])
        == 0
    )
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"exported to {output}" in captured.err
    main(["--rubrics", str(rubrics), "export", str(record), "--format", fmt])
    assert output.read_text(encoding="utf-8") == capsys.readouterr().out
    assert [path.name for path in output.parent.iterdir()] == [output.name]


def test_export_notes_a_changed_rubric(
    saved: tuple[Path, Path], minimal_rubric: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record, rubrics = saved
    (rubrics / "test-role.toml").write_text(minimal_rubric.read_text() + "\n# edited\n")
    assert main(["--rubrics", str(rubrics), "export", str(record)]) == 0
    captured = capsys.readouterr()
    assert "note: rubric `test-role` has changed since this record was made" in captured.err
    assert "**Note:** the rubric has changed since this record was made" in captured.out


def test_export_without_the_rubric_says_so_and_exports_the_rest(
    saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    record, _ = saved
    assert main(["export", str(record), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "note: rubric `test-role` was not found; exporting without the score" in captured.err
    assert json.loads(captured.out)["score"] is None


def test_export_of_a_broken_record_exits_1_with_the_problem(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        (data_dir / "record_minimal.toml").read_text().replace('kind = "alignment"', 'kind = "chat"')
    )
    assert main(["export", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{broken}:3: kind:" in captured.err
    assert "Traceback" not in captured.err


def test_export_never_writes_over_the_record(
    saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    record, rubrics = saved
    before = record.read_bytes()
    assert main(["--rubrics", str(rubrics), "export", str(record), "--output", str(record)]) == 2
    assert record.read_bytes() == before
    assert "refusing to write the export over the record" in capsys.readouterr().err


def test_export_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: reviewtui export" in out and "--format {md,json}" in out and "--output FILE" in out

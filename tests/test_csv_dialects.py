"""Survey exports as spreadsheets write them: comma-, semicolon- and tab-separated, told apart by content."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from factories import copy_example_team
from reviewtui.cli import main
from reviewtui.storage.feedback_import import load_feedback

ROOT = Path(__file__).parent.parent


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return copy_example_team(tmp_path / "sessions", "evidence_*", "feedback_*")


def imported(team: Path, export: Path, *args: str) -> list[tuple[str, Decimal | None, str]]:
    command = ["--sessions", str(team), "feedback", "import", str(export), "--employee", "Ana Ruiz", *args]
    assert main(command) == 0
    saved = load_feedback(team / "feedback_ana-ruiz.toml")
    return [(response.account, response.score, response.comment) for response in saved.responses]


def test_a_semicolon_export_with_decimal_commas(team: Path, tmp_path: Path) -> None:
    # What a spreadsheet writes in a locale where the comma is the decimal mark.
    export = tmp_path / "csat.csv"
    export.write_text(
        "Datum;Kunde;Bewertung;Kommentar\n"
        "2026-09-01;Acme GmbH;4,5;Schnell, freundlich\n"
        '2026-09-02;Nordwind;3;"Gut; aber langsam"\n',
        encoding="utf-8-sig",
    )
    columns = ["--column", "date=Datum", "--column", "account=Kunde", "--column", "score=Bewertung"]
    columns += ["--column", "comment=Kommentar"]
    assert imported(team, export, "--scale", "csat", *columns) == [
        ("Acme GmbH", Decimal("4.5"), "Schnell, freundlich"),
        ("Nordwind", Decimal(3), "Gut; aber langsam"),
    ]


def test_a_tab_separated_export(team: Path, tmp_path: Path) -> None:
    export = tmp_path / "nps.tsv"
    export.write_text(
        "date\taccount\tscore\tcomment\n2026-09-01\tAcme, Inc.\t9\tQuick, kind answers\n2026-09-02\tNorthwind\t6\tSlow\n"
    )
    assert imported(team, export) == [
        ("Acme, Inc.", Decimal(9), "Quick, kind answers"),
        ("Northwind", Decimal(6), "Slow"),
    ]


def test_a_comma_export_is_still_read_with_commas(team: Path, tmp_path: Path) -> None:
    export = tmp_path / "nps.csv"
    export.write_text('date,account,score,comment\n2026-09-01,Acme,9,"Fast; kind; clear"\n')
    assert imported(team, export) == [("Acme", Decimal(9), "Fast; kind; clear")]


def test_a_wrong_guess_of_the_sniffer_is_not_kept(team: Path, tmp_path: Path) -> None:
    # Quoted comments between semicolons make csv.Sniffer take `;` for the separator of this comma file:
    # under that guess the header row is one column, naming none of the columns an import needs.
    text = 'date,account,score,comment\n2026-09-01,Acme,9,;"fast";\n2026-09-02,Acme,8,;"slow";\n'
    assert csv.Sniffer().sniff(text, delimiters=",;\t").delimiter == ";"
    export = tmp_path / "nps.csv"
    export.write_text(text)
    assert imported(team, export) == [("Acme", Decimal(9), ';"fast";'), ("Acme", Decimal(8), ';"slow";')]


def test_a_file_no_separator_fits_is_refused_naming_its_columns(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "odd.csv"
    export.write_text("when|who|what\n2026-09-01|Acme|9\n")
    command = ["--sessions", str(team), "feedback", "import", str(export), "--employee", "Ana Ruiz"]
    assert main(command) == 1
    assert capsys.readouterr().err == (
        f"reviewtui: {export}:1: has no date and no account or cohort and no score or comment column; "
        "name them with --column FIELD=HEADER (its columns: when|who|what)\n"
    )


def test_text_that_makes_the_sniffer_slow_is_sniffed_on_its_first_lines_only(
    team: Path, tmp_path: Path
) -> None:
    # csv.Sniffer's time grows with the square of its sample: on 64 KiB of this it takes over a minute.
    export = tmp_path / "slow.csv"
    export.write_text('date;"x' * 500_000)
    command = ["--sessions", str(team), "feedback", "import", str(export), "--employee", "Ana Ruiz"]
    result = subprocess.run(
        [sys.executable, "-m", "reviewtui", *command], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1 and ":1: cannot be read as CSV from this line" in result.stderr

"""Broken rubrics and records: every one fails with a LoadError a manager can act on.

Each file in tests/broken/ is a minimal valid file from tests/data/ with one defect
(the first line of each file says which). Files that would be binary or huge are
generated into tmp_path instead, so the repository holds only small text files.

For every case the error must name the file, the line and the dotted key, say what to
do in plain words, and never echo the record's confidential text (SECRET).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from reviewtui.cli import main
from reviewtui.errors import LoadError
from reviewtui.storage import discover_rubrics, load_rubric, load_session, validate_path

TESTS = Path(__file__).parent
BROKEN = TESTS / "broken"
DATA = TESTS / "data"
SECRET = "SECRET-TEXT-42"
RUBRIC = (DATA / "rubric_minimal.toml").read_text()
RECORD = (DATA / "record_minimal.toml").read_text().replace("Surfaces risks", f"{SECRET} surfaces risks")


def validate(path: Path) -> list[str]:
    """`reviewtui validate`'s check, with the test rubric in the catalog: the rendered problems."""
    return validate_path(path, discover_rubrics([DATA])).problems


class Case(NamedTuple):
    file: str
    loader: Callable[[Path], object]
    line: int | str  # "10:6" where a column is given too
    key: str | None
    wording: tuple[str, ...]


# Files generated into tmp_path: binary, not UTF-8, or too big to keep in the repository.
GENERATED: dict[str, Callable[[], bytes]] = {
    "record_binary_nul_bytes.toml": lambda: RECORD.replace(SECRET, f"{SECRET}\x00").encode(),
    "record_latin1_encoding.toml": lambda: RECORD.replace("Ana Ruiz", "Ana Muñoz", 1).encode("latin-1"),
    "record_whitespace_only.toml": lambda: b"\n   \n\t\n",
    "record_too_large.toml": lambda: (RECORD + f"# {SECRET}\n" * 200_000).encode(),
    "rubric_too_large.toml": lambda: (RUBRIC + "# padding\n" * 30_000).encode(),
    "rubric_over_256_kib_validated.toml": lambda: (RUBRIC + "# padding\n" * 30_000).encode(),
    "rubric_nested_5000_levels.toml": lambda: ("a = " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "rubric_nested_20_levels.toml": lambda: ("a = " + "[" * 20 + "1" + "]" * 20 + "\n").encode(),
    "rubric_number_too_long.toml": lambda: RUBRIC.replace("version = 1", "version = " + "9" * 5000).encode(),
    "rubric_version_is_boolean.toml": lambda: RUBRIC.replace("version = 1", "version = true").encode(),
    "rubric_dotted_header_1000_levels.toml": lambda: ("[" + ".".join(["a"] * 1000) + "]\n").encode(),
}

MUST_BE_SHORT_ID = (
    "must be a short id: lower-case letters, digits, '-' or '_', starting with a letter or digit"
)

CASES = [
    # Rubrics, committed.
    Case("rubric_version_is_text.toml", load_rubric, 5, "version", ("must be a whole number",)),
    Case("rubric_scoring_is_array.toml", load_rubric, 7, "scoring", ("must be a table, found an array",)),
    Case(
        "rubric_unknown_key_typo.toml",
        load_rubric,
        26,
        "metrics[0].defualt_weight",
        ("unknown key `defualt_weight`; did you mean `default_weight`?",),
    ),
    Case(
        "rubric_metric_missing_unit.toml",
        load_rubric,
        29,
        "metrics[1].unit",
        ("missing key `unit`; add it to this table",),
    ),
    Case(
        "rubric_metric_unknown_outcome.toml",
        load_rubric,
        38,
        "metrics[1].outcome",
        ("no outcome has this id; use one of: retention, satisfaction",),
    ),
    Case(
        "rubric_guardrail_unknown_metric.toml",
        load_rubric,
        41,
        "metrics[1].guardrail",
        ("no metric in the catalog has this id",),
    ),
    Case(
        "rubric_rule_unknown_metric.toml",
        load_rubric,
        108,
        "rules[0].require[0]",
        ("no metric in the catalog has this id",),
    ),
    Case(
        "rubric_competency_weights_not_100.toml",
        load_rubric,
        81,
        "competencies",
        ("competency weights must total 100 (they total 90)",),
    ),
    Case(
        "rubric_scoring_split_not_100.toml",
        load_rubric,
        87,
        "scoring",
        ("metrics_weight and competencies_weight must total 100 (they total 90)",),
    ),
    Case(
        "rubric_duplicate_outcome_id.toml",
        load_rubric,
        17,
        "outcomes[2].id",
        ("this outcome id is used twice; ids must be unique",),
    ),
    Case(
        "rubric_duplicate_metric_id.toml",
        load_rubric,
        44,
        "metrics[2].id",
        ("this metric id is used twice; ids must be unique",),
    ),
    Case(
        "rubric_scale_not_consecutive.toml",
        load_rubric,
        77,
        "scale[4].value",
        ("scale values must be consecutive, lowest first: expected 5 here",),
    ),
    Case(
        "rubric_thresholds_not_rising.toml",
        load_rubric,
        27,
        "metrics[0].bands.thresholds",
        ("thresholds must rise strictly from first to last",),
    ),
    Case(
        "rubric_thresholds_wrong_count.toml",
        load_rubric,
        40,
        "metrics[1].bands.thresholds",
        ("give 4 thresholds, one per level above the first (3 given)",),
    ),
    Case(
        "rubric_min_metrics_above_max.toml",
        load_rubric,
        92,
        "limits.min_metrics",
        ("min_metrics must not exceed max_metrics",),
    ),
    Case(
        "rubric_toml_missing_equals.toml",
        load_rubric,
        "10:6",
        None,
        ("TOML syntax error: expected '=' after a key in a key/value pair",),
    ),
    Case(
        "rubric_toml_unclosed_string.toml",
        load_rubric,
        "10:18",
        None,
        ("TOML syntax error: unexpected end of line: is a closing quote or bracket missing?",),
    ),
    Case("rubric_id_escapes_folder.toml", load_rubric, 2, "id", (MUST_BE_SHORT_ID,)),
    Case("rubric_empty.toml", load_rubric, 1, None, ("is empty; a rubric needs at least its required keys",)),
    Case(
        "rubric_version_is_boolean.toml",
        load_rubric,
        5,
        "version",
        ("must be a whole number, found a boolean",),
    ),
    Case(
        "rubric_dotted_header_1000_levels.toml",
        load_rubric,
        1,
        None,
        ("is nested more than 12 levels deep; a rubric never needs that",),
    ),
    # Rubrics, generated.
    Case(
        "rubric_too_large.toml",
        load_rubric,
        1,
        None,
        ("is larger than 256 KiB, too large for a rubric; is it the right file?",),
    ),
    Case(
        "rubric_over_256_kib_validated.toml",
        validate,
        1,
        None,
        ("is larger than 256 KiB, too large for a rubric; is it the right file?",),
    ),
    Case("rubric_nested_5000_levels.toml", load_rubric, 1, None, ("is nested too deeply to be a rubric",)),
    Case(
        "rubric_nested_20_levels.toml",
        load_rubric,
        1,
        None,
        ("is nested more than 12 levels deep; a rubric never needs that",),
    ),
    Case("rubric_number_too_long.toml", load_rubric, 1, None, ("holds a number too long to read",)),
    # Records, committed.
    Case("record_target_is_text.toml", load_session, 48, "metrics[0].target", ("must be a number",)),
    Case("record_period_is_array.toml", load_session, 8, "period", ("must be a table, found an array",)),
    Case(
        "record_unknown_key_typo.toml",
        load_session,
        48,
        "metrics[0].tagret",
        ("unknown key `tagret`; did you mean `target`?",),
    ),
    Case(
        "record_manager_missing_name.toml",
        load_session,
        18,
        "participants.manager.name",
        ("missing key `name`; add it to this table",),
    ),
    Case(
        "record_employee_name_empty.toml",
        load_session,
        15,
        "participants.employee.name",
        ("must not be empty",),
    ),
    Case(
        "record_weights_not_100.toml",
        load_session,
        37,
        "metrics",
        ("metric weights must total 100 (they total 80)",),
    ),
    Case(
        "record_duplicate_metric.toml",
        load_session,
        56,
        "metrics[1].id",
        ("this metric appears twice in the plan",),
    ),
    Case(
        "record_status_does_not_fit_kind.toml",
        load_session,
        5,
        "status",
        ("an alignment record is either `draft` or `agreed`",),
    ),
    Case(
        "record_naive_datetime.toml",
        load_session,
        6,
        "created_at",
        ("needs a UTC offset (such as +02:00 or Z) after the time",),
    ),
    Case(
        "record_period_ends_before_start.toml",
        load_session,
        28,
        "period.end",
        ("the period must not end before it starts",),
    ),
    Case(
        "record_agreed_without_manager_sign_off.toml",
        load_session,
        55,
        "sign_offs",
        ("a final alignment record needs the manager's sign-off",),
    ),
    Case(
        "record_id_not_hex.toml",
        load_session,
        3,
        "id",
        ("must be 32 lower-case hexadecimal digits",),
    ),
    Case(
        "record_kind_unknown.toml",
        load_session,
        4,
        "kind",
        ("must be one of: 'alignment', 'check-in' or 'review'",),
    ),
    Case(
        "record_toml_unclosed_header.toml",
        load_session,
        "51:15",
        None,
        ("TOML syntax error: expected ']' at the end of a table declaration",),
    ),
    Case(
        "record_toml_duplicate_key.toml",
        load_session,
        "49:12",
        None,
        ("TOML syntax error: a key is given a value twice; keep one",),
    ),
    Case(
        "record_metric_unknown_outcome.toml",
        validate,
        46,
        "metrics[0].outcome",
        ("the rubric has no such outcome; use one of: retention, satisfaction",),
    ),
    Case(
        "record_neither_rubric_nor_record.toml",
        validate,
        1,
        None,
        (
            "is neither a rubric nor a record: a rubric has `outcomes`, `scale` or `template`; "
            "a record has `schema_version` or `participants`",
        ),
    ),
    Case(
        "record_target_is_quoted_number.toml",
        load_session,
        48,
        "metrics[0].target",
        ("must be a number, found a string",),
    ),
    # Records, generated.
    Case("record_binary_nul_bytes.toml", load_session, 1, None, ("is a binary file, not a TOML record",)),
    Case(
        "record_latin1_encoding.toml",
        load_session,
        14,
        None,
        ("is not UTF-8 text; save the file with UTF-8 encoding",),
    ),
    Case(
        "record_whitespace_only.toml",
        load_session,
        1,
        None,
        ("is empty; a record needs at least its required keys",),
    ),
    Case(
        "record_too_large.toml",
        load_session,
        1,
        None,
        ("is larger than 2 MiB, too large for a record; is it the right file?",),
    ),
]


def path_of(file: str, folder: Path) -> Path:
    """The committed file, or the generated one written into `folder`."""
    if file not in GENERATED:
        return BROKEN / file
    path = folder / file
    path.write_bytes(GENERATED[file]())
    return path


def problems(loader: Callable[[Path], object], path: Path) -> list[str]:
    """The rendered problems: a loader must raise LoadError and nothing else."""
    if loader is validate:
        return validate(path)
    with pytest.raises(LoadError) as caught:
        loader(path)
    assert caught.value.path == path
    assert [problem.render(path) for problem in caught.value.problems] == str(caught.value).splitlines()
    return str(caught.value).splitlines()


def prefix(path: Path, line: int | str, key: str | None) -> str:
    return f"{path}:{line}: {f'{key}: ' if key else ''}"


@pytest.mark.parametrize("case", CASES, ids=[case.file.removesuffix(".toml") for case in CASES])
def test_broken_file_is_reported_clearly(case: Case, tmp_path: Path) -> None:
    path = path_of(case.file, tmp_path)
    found = problems(case.loader, path)

    assert len(found) == 1, "one defect, one problem"
    [problem] = found
    assert problem.startswith(prefix(path, case.line, case.key))
    for wording in case.wording:
        assert wording in problem
    assert SECRET not in problem


def test_moderate_nesting_is_valid_toml_refused_by_the_depth_limit() -> None:
    # Not a parser failure: tomllib reads it, and the loader's own limit refuses it.
    assert tomllib.loads(GENERATED["rubric_nested_20_levels.toml"]().decode())


def test_every_committed_broken_file_is_a_case() -> None:
    committed = {path.name for path in BROKEN.iterdir()}
    named = {case.file for case in CASES}
    assert committed == named - set(GENERATED)
    assert not any(b"\x00" in (BROKEN / name).read_bytes() for name in committed), "no binary files"
    # Otherwise "SECRET is never echoed" would prove nothing.
    assert all(SECRET in (BROKEN / name).read_text() for name in committed if name.startswith("record_"))


def test_cli_validate_prints_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # ./rubrics holds the test rubric, so records are also checked against it.
    (tmp_path / "rubrics").mkdir()
    shutil.copy(DATA / "rubric_minimal.toml", tmp_path / "rubrics")
    (tmp_path / "generated").mkdir()
    paths = [path_of(case.file, tmp_path / "generated") for case in CASES]
    monkeypatch.chdir(tmp_path)

    code = main(["validate", *map(str, paths)])

    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == len(CASES), "each file has one defect, so one line each"
    for line, path, case in zip(lines, paths, CASES, strict=True):
        # Problems about the whole file (empty, binary, too large) point at line 1.
        assert re.match(rf"{re.escape(str(path))}:\d+(:\d+)?: \S", line)
        assert line.startswith(prefix(path, case.line, case.key))
    assert SECRET not in out + err
    assert f"0 of {len(CASES)} files valid; {len(CASES)} with problems" in err

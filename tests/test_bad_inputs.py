"""Hostile and odd input, one at a time, each with the message a user gets.

Beyond the broken files of test_broken_files.py: names and ids with `../`, absolute
paths, NUL and other control characters, right-to-left overrides, emoji and combining
marks, 10,000-character fields, byte-order marks and line endings, duplicate tables,
arrays of tables where a table belongs, impossible dates, timestamps without offset,
weights that are negative or fractional, numbers that are not finite. Through the loaders,
through `inside()`, and through the commands that take a user's text (`reviewtui log`,
`feedback import`, `export`): the exit code, one line saying what is wrong, no traceback,
and nothing written. Where the input is valid (long text within its limit, wide
characters, CRLF), it is accepted and kept exactly.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from factories import copy_example_team
from reviewtui.cli import main
from reviewtui.errors import LoadError, UnsafePathError
from reviewtui.storage import load_rubric, load_session
from reviewtui.storage.drafts import draft_path, load_draft
from reviewtui.storage.evidence import load_evidence
from reviewtui.storage.feedback_import import load_feedback
from reviewtui.storage.records import inside

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SECRET = "SECRET-TEXT-42"
RECORD = (TESTS / "data" / "record_minimal.toml").read_text()
RUBRIC = (TESTS / "data" / "rubric_minimal.toml").read_text()
EVIDENCE = (ROOT / "src" / "reviewtui" / "examples" / "evidence_ana-ruiz.toml").read_text()
FEEDBACK = """schema_version = 1
kind = "feedback"
employee = "Ana Ruiz"

[[responses]]
id = "0123456789ab"
source = "survey"
scale = "nps"
date = 2026-09-01
account = "Acme"
score = 9
comment = "Quick, kind answers"
"""
DRAFT = """draft_version = 1
id = "c0ffee00c0ffee00c0ffee00c0ffee00"
created_at = 2026-07-01 09:30:00+02:00
updated_at = 2026-07-01 09:31:00+02:00
step = 1
employee_name = "Ana Ruiz"
"""
FORMATS: dict[str, tuple[str, Callable[[Path], object]]] = {
    "record": (RECORD, load_session),
    "rubric": (RUBRIC, load_rubric),
    "evidence": (EVIDENCE, load_evidence),
    "feedback": (FEEDBACK, load_feedback),
    "draft": (DRAFT, load_draft),
}
SHORT_ID = "must be a short id: lower-case letters, digits, '-' or '_', starting with a letter or digit"
RECORD_KEYS = (
    "this table accepts: schema_version, id, kind, status, created_at, updated_at, rubric, follows, "
    "participants, period, cadence, next_checkin, impact_map, metrics, broken_rules, adjustments, feedback, "
    "context, examples, competencies, accomplishments, development, actions, agenda, notes, employee_reading, "
    "self_assessment, partner_observations, experiments, sign_offs, contributions, signed_score"
)
LONG = "x" * 10_000


def edit(text: str, *changes: tuple[str, str]) -> str:
    """The text with each change made once; a change that finds nothing fails the test."""
    for old, new in changes:
        assert old in text, f"{old!r} is not in the file"
        text = text.replace(old, new, 1)
    return text


class Bad(NamedTuple):
    name: str
    format: str
    make: Callable[[str], str | bytes]
    problem: str  # what follows `path:` on the one line reported


BAD = [
    # Ids and names that try to leave their folder, or hide what they are.
    Bad(
        "record_id_dot_dot",
        "record",
        lambda t: edit(t, ('id = "0123456789abcdef0123456789abcdef"', 'id = "../../etc/passwd"')),
        "2: id: must be 32 lower-case hexadecimal digits",
    ),
    Bad(
        "record_rubric_id_absolute",
        "record",
        lambda t: edit(t, ('id = "test-role"', 'id = "/etc/passwd"')),
        f"9: rubric.id: {SHORT_ID}",
    ),
    Bad(
        "record_metric_id_dot_dot",
        "record",
        lambda t: edit(t, ('id = "gross_retention"', 'id = "../gross_retention"')),
        f"37: metrics[0].id: {SHORT_ID}",
    ),
    Bad(
        "record_rubric_id_nul",
        "record",
        lambda t: edit(t, ('id = "test-role"', 'id = "test\\u0000role"')),
        f"9: rubric.id: {SHORT_ID}",
    ),
    Bad(
        "record_outcome_rtl_override",
        "record",
        lambda t: edit(t, ('outcome = "retention"', 'outcome = "retention\\u202E"')),
        f"31: impact_map[0].outcome: {SHORT_ID}",
    ),
    Bad(
        "record_metric_id_emoji",
        "record",
        lambda t: edit(t, ('id = "gross_retention"', 'id = "gross_retention_📈"')),
        f"37: metrics[0].id: {SHORT_ID}",
    ),
    Bad(
        "record_outcome_combining_accent",
        "record",
        lambda t: edit(t, ('outcome = "retention"', 'outcome = "re\\u0301tention"')),
        f"31: impact_map[0].outcome: {SHORT_ID}",
    ),
    Bad(
        "record_name_control_characters_only",
        "record",
        lambda t: edit(t, ('name = "Ana Ruiz"', 'name = "\\u0000\\u001b\\u0007"')),
        "14: participants.employee.name: must not be empty",
    ),
    Bad(
        "record_name_invisible_only",
        "record",
        lambda t: edit(t, ('name = "Bo Li"', 'name = "\\u200b\\u202e\\u00a0"')),
        "18: participants.manager.name: must not be empty",
    ),
    Bad(
        "rubric_outcome_id_dot_dot",
        "rubric",
        lambda t: edit(t, ('id = "retention"', 'id = "../retention"')),
        f"9: outcomes[0].id: {SHORT_ID}",
    ),
    Bad(
        "rubric_id_absolute",
        "rubric",
        lambda t: edit(t, ('id = "test-role"', 'id = "/abs/test-role"')),
        f"2: id: {SHORT_ID}",
    ),
    Bad(
        "evidence_entry_id_dot_dot",
        "evidence",
        lambda t: edit(t, ('id = "0000007a1218"', 'id = "../../x"')),
        "6: entries[0].id: must be 12 lower-case hexadecimal digits",
    ),
    Bad(
        "evidence_tag_emoji",
        "evidence",
        lambda t: edit(t, ('"win",', '"🏆",')),
        f"12: entries[0].tags[0]: {SHORT_ID}",
    ),
    Bad(
        "evidence_employee_zero_width_space",
        "evidence",
        lambda t: edit(t, ('employee = "Ana Ruiz"', 'employee = "\\u200b"')),
        "3: employee: must not be empty",
    ),
    Bad(
        "feedback_response_id_absolute",
        "feedback",
        lambda t: edit(t, ('id = "0123456789ab"', 'id = "/etc/passwd"')),
        "6: responses[0].id: must be 12 lower-case hexadecimal digits",
    ),
    Bad(
        "draft_id_dot_dot",
        "draft",
        lambda t: edit(t, ('id = "c0ffee00c0ffee00c0ffee00c0ffee00"', 'id = "../../c0ffee00"')),
        "2: id: must be 32 lower-case hexadecimal digits",
    ),
    # 10,000 characters where a line of at most 200 (or a text of 20,000) belongs.
    Bad(
        "record_employee_name_10000",
        "record",
        lambda t: edit(t, ('name = "Ana Ruiz"', f'name = "{LONG}"')),
        "14: participants.employee.name: is longer than 200 characters; shorten it",
    ),
    Bad(
        "record_period_label_emoji_9000",
        "record",
        lambda t: edit(t, ('label = "2026 H2"', 'label = "' + "👩‍💻" * 3000 + '"')),
        "25: period.label: is longer than 200 characters; shorten it",
    ),
    Bad(
        "record_impact_how_20001",
        "record",
        lambda t: edit(t, ("Surfaces risks early,", "x" * 20_001)),
        "32: impact_map[0].how: is longer than 20000 characters; shorten it",
    ),
    Bad(
        "rubric_outcome_name_10000",
        "rubric",
        lambda t: edit(t, ('name = "Retention"', f'name = "{LONG}"')),
        "10: outcomes[0].name: is longer than 200 characters; shorten it",
    ),
    Bad(
        "evidence_text_25000",
        "evidence",
        lambda t: edit(t, ('text = "Acme renewed', 'text = "' + "x" * 25_000 + "Acme renewed")),
        "9: entries[0].text: is longer than 20000 characters; shorten it",
    ),
    Bad(
        "draft_employee_name_25000",
        "draft",
        lambda t: edit(t, ('employee_name = "Ana Ruiz"', 'employee_name = "' + "x" * 25_000 + '"')),
        "6: employee_name: is longer than 20000 characters; shorten it",
    ),
    # Bytes and encodings.
    Bad(
        "rubric_nul_byte",
        "rubric",
        lambda t: edit(t, ('name = "Retention"', 'name = "Reten\x00tion"')),
        "1: is a binary file, not a TOML rubric",
    ),
    Bad(
        "evidence_nul_byte",
        "evidence",
        lambda t: edit(t, ("Acme renewed", "Acme\x00 renewed")),
        "1: is a binary file, not a TOML evidence log",
    ),
    Bad(
        "draft_nul_byte",
        "draft",
        lambda t: t + f'x = "{SECRET}\x00"\n',
        "1: is a binary file, not a TOML draft",
    ),
    Bad(
        "record_utf16_with_bom",
        "record",
        lambda t: t.encode("utf-16"),
        "1: is a binary file, not a TOML record",
    ),
    Bad(
        "record_two_byte_order_marks",
        "record",
        lambda t: b"\xef\xbb\xbf\xef\xbb\xbf" + t.encode(),
        "1:1: TOML syntax error: invalid statement",
    ),
    Bad(
        "record_lone_cr_line_endings",
        "record",
        lambda t: t.replace("\n", "\r").encode(),
        "1:19: TOML syntax error: expected newline or end of document after a statement",
    ),
    # Keys that would rewrite the terminal or split the report: shown escaped, on their line.
    Bad(
        "record_key_escape_and_rtl",
        "record",
        lambda t: edit(t, ("schema_version = 1", 'schema_version = 1\n"\\u001b[2J\\u202E" = 1')),
        f"2: \\x1b[2J\\u202e: unknown key `\\x1b[2J\\u202e`; {RECORD_KEYS}",
    ),
    Bad(
        "record_key_with_newline",
        "record",
        lambda t: edit(t, ("schema_version = 1", 'schema_version = 1\n"a\\nb" = 1')),
        f"2: a\\nb: unknown key `a\\nb`; {RECORD_KEYS}",
    ),
    Bad(
        "record_key_10000",
        "record",
        lambda t: edit(t, ("schema_version = 1", f'schema_version = 1\n"{"k" * 10_000}" = 1')),
        f"2: {'k' * 39}…: unknown key `{'k' * 39}…`; {RECORD_KEYS}",
    ),
    Bad(
        "record_empty_key",
        "record",
        lambda t: edit(t, ("schema_version = 1", 'schema_version = 1\n"" = 1')),
        f'2: "": unknown key `""`; {RECORD_KEYS}',
    ),
    # Tables declared twice, or as arrays of tables, or the other way round.
    Bad(
        "record_period_declared_twice",
        "record",
        lambda t: t + '\n[period]\nlabel = "again"\n',
        "64:8: TOML syntax error: the table `[period]` is declared twice; merge them",
    ),
    Bad(
        "rubric_limits_declared_twice",
        "rubric",
        lambda t: t + "\n[limits]\nmin_metrics = 1\n",
        "111:8: TOML syntax error: the table `[limits]` is declared twice; merge them",
    ),
    Bad(
        "record_rubric_as_array_of_tables",
        "record",
        lambda t: edit(t, ("[rubric]", "[[rubric]]")),
        "8: rubric: must be a table, found an array",
    ),
    Bad(
        "record_manager_as_array_of_tables",
        "record",
        lambda t: edit(t, ("[participants.manager]", "[[participants.manager]]")),
        "17: participants.manager: must be a table, found an array",
    ),
    Bad(
        "rubric_scoring_as_array_of_tables",
        "rubric",
        lambda t: edit(t, ("[scoring]", "[[scoring]]")),
        "87: scoring: must be a table, found an array",
    ),
    Bad(
        "record_metrics_as_one_table",
        "record",
        lambda t: edit(t, ("[[metrics]]", "[metrics]"), ("[metrics.bands]", "[metrics.band]")),
        "36: metrics: must be an array, found a table",
    ),
    # Dates and times.
    Bad(
        "record_february_30",
        "record",
        lambda t: edit(t, ("start = 2026-07-01", "start = 2026-02-30")),
        "26:9: TOML syntax error: invalid date or datetime",
    ),
    Bad(
        "evidence_february_30",
        "evidence",
        lambda t: edit(t, ("happened_on = 2026-08-20", "happened_on = 2026-02-30")),
        "8:15: TOML syntax error: invalid date or datetime",
    ),
    Bad(
        "record_sign_off_without_offset",
        "record",
        lambda t: edit(
            t,
            (
                'role = "employee"\nat = 2026-07-01 10:30:00+02:00',
                'role = "employee"\nat = 2026-07-01 10:30:00',
            ),
        ),
        "57: sign_offs[0].at: needs a UTC offset (such as +02:00 or Z) after the time",
    ),
    Bad(
        "evidence_logged_without_offset",
        "evidence",
        lambda t: edit(t, ("logged_at = 2026-08-20 18:00:00+02:00", "logged_at = 2026-08-20 18:00:00")),
        "7: entries[0].logged_at: needs a UTC offset (such as +02:00 or Z) after the time",
    ),
    Bad(
        "record_created_at_is_a_date",
        "record",
        lambda t: edit(t, ("created_at = 2026-07-01 09:30:00+02:00", "created_at = 2026-07-01")),
        "5: created_at: must be a date and time with its UTC offset, such as 2026-07-01T09:30:00+02:00 "
        "(without quotes), found a date or time",
    ),
    Bad(
        "record_updated_at_is_a_time",
        "record",
        lambda t: edit(t, ("updated_at = 2026-07-01 10:30:00+02:00", "updated_at = 10:30:00")),
        "6: updated_at: must be a date and time with its UTC offset, such as 2026-07-01T09:30:00+02:00 "
        "(without quotes), found a date or time",
    ),
    Bad(
        "record_period_start_is_a_datetime",
        "record",
        lambda t: edit(t, ("start = 2026-07-01", "start = 2026-07-01T00:00:00Z")),
        "26: period.start: must be a date such as 2026-07-01 (written without quotes), found a date-time",
    ),
    # Weights and numbers.
    Bad(
        "record_weight_negative",
        "record",
        lambda t: edit(t, ("weight = 100", "weight = -10")),
        "48: metrics[0].weight: must be at least 0",
    ),
    Bad(
        "record_weight_fraction",
        "record",
        lambda t: edit(t, ("weight = 100", "weight = 33.5")),
        "48: metrics[0].weight: must be a whole number, found a float",
    ),
    Bad(
        "record_weight_whole_float",
        "record",
        lambda t: edit(t, ("weight = 100", "weight = 100.0")),
        "48: metrics[0].weight: must be a whole number, found a float",
    ),
    Bad(
        "record_weight_over_100",
        "record",
        lambda t: edit(t, ("weight = 100", "weight = 101")),
        "48: metrics[0].weight: must be at most 100",
    ),
    Bad(
        "rubric_default_weight_negative",
        "rubric",
        lambda t: edit(t, ("default_weight = 50", "default_weight = -5")),
        "26: metrics[0].default_weight: must be at least 0",
    ),
    Bad(
        "rubric_default_weight_fraction",
        "rubric",
        lambda t: edit(t, ("default_weight = 50", "default_weight = 12.5")),
        "26: metrics[0].default_weight: must be a whole number, found a float",
    ),
    Bad(
        "rubric_competency_weight_exponent",
        "rubric",
        lambda t: edit(t, ("weight = 100", "weight = 1e2")),
        "84: competencies[0].weight: must be a whole number, found a float",
    ),
    Bad(
        "rubric_scale_value_float",
        "rubric",
        lambda t: edit(t, ("value = 1", "value = 1.0")),
        "57: scale[0].value: must be a whole number, found a float",
    ),
    Bad(
        "rubric_version_zero",
        "rubric",
        lambda t: edit(t, ("version = 1", "version = 0")),
        "5: version: must be at least 1",
    ),
    Bad(
        "rubric_threshold_nan",
        "rubric",
        lambda t: edit(t, ("thresholds = [90, 95, 100, 105]", "thresholds = [90, nan, 100, 105]")),
        "27: metrics[0].bands.thresholds[1]: must be a finite number",
    ),
    Bad(
        "record_target_nan",
        "record",
        lambda t: edit(t, ("target = 95", "target = nan")),
        "47: metrics[0].target: must be a finite number",
    ),
    Bad(
        "record_target_minus_infinity",
        "record",
        lambda t: edit(t, ("target = 95", "target = -inf")),
        "47: metrics[0].target: must be a finite number",
    ),
    Bad(
        "record_target_1e20",
        "record",
        lambda t: edit(t, ("target = 95", "target = 1e20")),
        "47: metrics[0].target: is too large; numbers here stay below 10^15",
    ),
    Bad(
        "record_baseline_23_digits",
        "record",
        lambda t: edit(t, ("baseline = 91.5", "baseline = 99999999999999999999999")),
        "46: metrics[0].baseline: is too large; numbers here stay below 10^15",
    ),
    Bad(
        "record_target_seven_decimals",
        "record",
        lambda t: edit(t, ("target = 95", "target = 0.0000001")),
        "47: metrics[0].target: has more than 6 decimal places",
    ),
    Bad(
        "feedback_score_nan",
        "feedback",
        lambda t: edit(t, ("score = 9", "score = nan")),
        "11: responses[0].score: must be a finite number",
    ),
    # Values from a closed list, and what makes a file whole.
    Bad(
        "record_kind_capitalised",
        "record",
        lambda t: edit(t, ('kind = "alignment"', 'kind = "Alignment"')),
        "3: kind: must be one of: 'alignment', 'check-in' or 'review'",
    ),
    Bad(
        "feedback_scale_unknown",
        "feedback",
        lambda t: edit(t, ('scale = "nps"', 'scale = "stars"')),
        "8: responses[0].scale: must be one of: 'nps' or 'csat'",
    ),
    Bad(
        "evidence_entry_id_twice",
        "evidence",
        lambda t: edit(t, ('id = "0000007a3107"', 'id = "0000007a1218"')),
        "16: entries[1].id: this entry id is used twice",
    ),
    Bad(
        "draft_step_99", "draft", lambda t: edit(t, ("step = 1", "step = 99")), "5: step: must be at most 20"
    ),
]


@pytest.mark.parametrize("case", BAD, ids=[case.name for case in BAD])
def test_a_bad_file_gets_one_line_saying_what_is_wrong(case: Bad, tmp_path: Path) -> None:
    text, loader = FORMATS[case.format]
    made = case.make(text)
    path = tmp_path / f"{case.name}.toml"
    path.write_bytes(made.encode() if isinstance(made, str) else made)

    with pytest.raises(LoadError) as caught:
        loader(path)

    assert str(caught.value).splitlines() == [f"{path}:{case.problem}"]
    assert SECRET not in str(caught.value)


def test_the_cases_are_new_and_many() -> None:
    from test_broken_files import CASES

    assert len({case.name for case in BAD}) == len(BAD) >= 40
    assert not {case.name for case in BAD} & {case.file.removesuffix(".toml") for case in CASES}


# Valid input that only looks odd is accepted, and kept exactly.

WIDE = "山田太郎 👩‍💻 José Mü\u0301ller مرحبا שלום"


class Good(NamedTuple):
    name: str
    format: str
    make: Callable[[str], str | bytes]
    check: Callable[[object], bool]


GOOD = [
    Good(
        "record_definition_10000",
        "record",
        lambda t: edit(t, ('definition = "Renewed', f'definition = "{LONG}Renewed')),
        lambda s: s.metrics[0].definition.startswith(LONG + "Renewed"),
    ),
    Good(
        "rubric_description_10000",
        "rubric",
        lambda t: edit(t, ('description = "A rubric for tests."', f'description = "{LONG}"')),
        lambda r: r.rubric.description == LONG,
    ),
    Good(
        "evidence_text_10000_wide",
        "evidence",
        lambda t: edit(t, ('text = "Acme renewed', f'text = "{WIDE * 250}Acme renewed')),
        lambda e: e.entries[0].text.startswith(WIDE * 250 + "Acme renewed"),
    ),
    Good(
        "feedback_comment_10000",
        "feedback",
        lambda t: edit(t, ('comment = "Quick, kind answers"', f'comment = "{LONG}"')),
        lambda f: f.responses[0].comment == LONG,
    ),
    Good(
        "record_wide_names",
        "record",
        lambda t: edit(t, ('name = "Cy Park"', f'name = "{WIDE}"')),
        lambda s: s.participants.partners[0].name == WIDE,
    ),
    Good(
        "record_escape_sequence_in_name_is_dropped",
        "record",
        # The manager's name and their sign-off's, which must name them.
        lambda t: edit(t, *[('name = "Bo Li"', 'name = "Bo\\u001b[31m Li\\u0007"')] * 2),
        lambda s: s.participants.manager.name == "Bo[31m Li" == s.sign_offs[1].name,
    ),
    Good(
        "record_byte_order_mark",
        "record",
        lambda t: b"\xef\xbb\xbf" + t.encode(),
        lambda s: s.participants.employee.name == "Ana Ruiz",
    ),
    Good(
        "record_crlf",
        "record",
        lambda t: t.replace("\n", "\r\n").encode(),
        lambda s: s.impact_map[0].how == "Surfaces risks early,\nso renewals are not a surprise.",
    ),
    Good(
        "record_mixed_line_endings",
        "record",
        lambda t: t.replace("\n", "\r\n", 33).encode(),
        lambda s: s.impact_map[0].how == "Surfaces risks early,\nso renewals are not a surprise.",
    ),
    Good(
        "draft_wide_and_control_text_kept_as_typed",
        "draft",
        lambda t: edit(t, ('employee_name = "Ana Ruiz"', f'employee_name = "{WIDE}\\u202e{LONG}"')),
        lambda d: d.employee_name == f"{WIDE}\u202e{LONG}",
    ),
]


@pytest.mark.parametrize("case", GOOD, ids=[case.name for case in GOOD])
def test_odd_but_valid_input_is_accepted_and_kept(case: Good, tmp_path: Path) -> None:
    text, loader = FORMATS[case.format]
    made = case.make(text)
    path = tmp_path / f"{case.name}.toml"
    path.write_bytes(made.encode() if isinstance(made, str) else made)
    assert case.check(loader(path))


# Paths: a name can never leave its folder.


@pytest.mark.parametrize(
    "name",
    ["../x.toml", "../../etc/passwd", "/etc/passwd", "a/../../x.toml", "..", ".", "", "sub/x.toml", "./../x"],
)
def test_inside_refuses_names_that_leave_the_folder(tmp_path: Path, name: str) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(UnsafePathError) as caught:
        inside(tmp_path, name)
    assert str(caught.value) == f"refusing to use {name!r}: it would leave the folder {tmp_path}"


def test_inside_refuses_a_symlink_pointing_outside(tmp_path: Path) -> None:
    folder, outside = tmp_path / "sessions", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    (folder / "record.toml").symlink_to(outside / "record.toml")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="it is a symbolic link leading out of it"):
        inside(folder, "record.toml")
    with pytest.raises(UnsafePathError, match="it would leave the folder"):
        inside(folder, "linked/record.toml")


def test_inside_accepts_a_name_in_the_folder_even_through_a_linked_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    # Accepted, and given through the link: a writer must see a link where there is one.
    assert inside(tmp_path / "link", "a.toml") == tmp_path / "link" / "a.toml"
    assert inside(real, "山田太郎 👩‍💻.toml") == real / "山田太郎 👩‍💻.toml"


def test_a_draft_id_cannot_name_a_file_outside_the_drafts_folder(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        draft_path(tmp_path, "../../outside")


def test_inside_refuses_a_nul_in_a_name(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        inside(tmp_path, "x\x00.toml")


def test_a_record_for_an_employee_named_like_a_path_is_saved_inside(tmp_path: Path) -> None:
    from factories import CREATED, make_session
    from reviewtui.storage import save_session

    names = ("../../etc/passwd", "/etc/passwd", "山田太郎", "\u202eZiuR anA")
    for number, name in enumerate(names):
        session = make_session(
            id=f"{number + 1:x}" * 32,
            participants={"employee": {"name": name, "role": "CSM"}, "manager": {"name": "Bo"}},
            sign_offs=[
                {"name": name, "role": "employee", "at": CREATED},
                {"name": "Bo", "role": "manager", "at": CREATED},
            ],
        )
        path = save_session(session, tmp_path)
        assert path.parent == tmp_path.resolve()
        assert load_session(path).participants.employee.name == name
    assert sorted(path.name.split("_")[2] for path in tmp_path.iterdir()) == [
        "etc-passwd",  # a slug is cosmetic: the id makes the name unique
        "etc-passwd",
        "shan-tian-tai-lang",
        "ziur-ana",
    ]


# The commands that take a user's text.


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return copy_example_team(tmp_path / "sessions", "evidence_*", "*_review_*")


def listing(folder: Path) -> dict[str, bytes]:
    """Every file in the folder with its bytes; the two-writers guard's lock files (and the
    private folder that keeps them) aside."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix != ".lock" and str(path.relative_to(folder)) != ".drafts/.gitignore"
    }


def refused(capsys: pytest.CaptureFixture[str], code: int, expected_code: int = 1) -> str:
    """The one line a refused command prints, with no traceback."""
    out, err = capsys.readouterr()
    assert code == expected_code
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


LOG_REFUSED = [
    (
        ["x" * 25_000],
        "reviewtui log: The entry is longer than 20,000 characters: shorten it or split it in two.",
    ),
    (["\x07\x1b\x00"], "reviewtui log: The entry is empty: say what happened. Nothing was written."),
    (
        ["x", "--employee", "../../etc/passwd"],
        "names an employee '../../etc/passwd' (known: Ana Ruiz, Dev Patel",
    ),
    (["x", "--employee", "/etc/passwd"], "names an employee '/etc/passwd' (known: Ana Ruiz"),
    (["x", "--employee", "\u202eAna Ruiz"], "names an employee '\\u202eAna Ruiz'; did you mean Ana Ruiz?"),
    (["x", "--employee", "Ana Ruiz\u200b"], "names an employee 'Ana Ruiz\\u200b'; did you mean Ana Ruiz?"),
    (["x", "--employee", "山田太郎"], "names an employee '山田太郎' (known: Ana Ruiz"),
    (
        ["x", "--metric", "../gross_retention"],
        "The plans have no metric '../gross_retention' (their metrics: ",
    ),
    (["x", "--metric", "gross_retention\u202e"], "The plans have no metric 'gross_retention\\u202e'"),
    (
        ["x", "--tag", "../win"],
        "Tag '../win' is not a short word (letters, digits, - or _). Nothing was written.",
    ),
    (["x", "--tag", "🏆"], "Tag '🏆' is not a short word (letters, digits, - or _). Nothing was written."),
    (["x", "--tag", "win\u202e"], "Tag 'win\\u202e' is not a short word"),
    (["x", "--date", "2026-07-01T09:30"], "The date must be YYYY-MM-DD, not '2026-07-01T09:30'."),
    (["x", "--date", "２０２６-０８-２０"], "The date must be YYYY-MM-DD, not '２０２６-０８-２０'."),
]


@pytest.mark.parametrize(("args", "message"), LOG_REFUSED, ids=[str(i) for i in range(len(LOG_REFUSED))])
def test_log_refuses_bad_text_with_one_line_and_writes_nothing(
    team: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    if "--employee" not in args:
        args = [*args, "--employee", "Ana Ruiz"]
    before = listing(team)
    line = refused(capsys, main(["--sessions", str(team), "log", *args]))
    assert message in line
    assert "\x1b" not in line and "\u202e" not in line and "\x00" not in line
    assert listing(team) == before


def test_log_keeps_wide_and_long_text_exactly(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (WIDE + " ") * 400 + "renewed"
    assert len(text) > 10_000
    assert main(["--sessions", str(team), "log", text, "--employee", "ana ruiz", "--tag", "win"]) == 0
    assert main(["--sessions", str(team), "log", "Bo\x1b[31m renewed\x07", "--employee", "Ana Ruiz"]) == 0
    first, second = load_evidence(team / "evidence_ana-ruiz.toml").entries
    assert first.text == text.rstrip()
    assert second.text == "Bo[31m renewed"


EXPORT_HEADER = "date,account,score,comment\n"


class Csv(NamedTuple):
    name: str
    content: bytes
    args: tuple[str, ...]
    code: int
    message: str  # in the last line of the standard error


CSV_REFUSED = [
    Csv(
        "field_over_128_kib",
        (EXPORT_HEADER + '2026-09-01,Acme,9,"' + "x" * 200_000 + '"\n').encode(),
        (),
        1,
        ":2: cannot be read as CSV from this line (a field too long or badly quoted); export it again",
    ),
    Csv(
        "score_nan",
        (EXPORT_HEADER + "2026-09-01,Acme,nan,ok\n").encode(),
        (),
        1,
        "no usable response in",
    ),
    Csv(
        "score_infinite",
        (EXPORT_HEADER + "2026-09-01,Acme,-inf,ok\n").encode(),
        (),
        1,
        "no usable response in",
    ),
    Csv("utf16", (EXPORT_HEADER + "2026-09-01,Acme,9,ok\n").encode("utf-16"), (), 1, ":1: is not UTF-8 text"),
    Csv(
        "no_header_row",
        f"2026-09-01,Acme,9,{SECRET} they were rude\n".encode(),
        (),
        1,
        "(its first row looks like a response, not a header row; export it with its header)",
    ),
    Csv(
        "header_with_escape_and_rtl",
        "date,\x1b[2J\u202ecompany,score\n2026-09-01,Acme,9\n".encode(),
        (),
        1,
        "has no account or cohort column; name them with --column FIELD=HEADER "
        "(its columns: date, \\x1b[2J\\u202ecompany, score)",
    ),
    Csv(
        "february_30",
        (EXPORT_HEADER + "2026-02-30,Acme,9,ok\n").encode(),
        (),
        1,
        "no usable response in",
    ),
    Csv(
        "employee_dot_dot",
        (EXPORT_HEADER + "2026-09-01,Acme,9,ok\n").encode(),
        ("--employee", "../x"),
        1,
        "names an employee '../x' (known: Ana Ruiz",
    ),
    Csv(
        "employee_absolute",
        (EXPORT_HEADER + "2026-09-01,Acme,9,ok\n").encode(),
        ("--employee", "/etc/passwd"),
        1,
        "names an employee '/etc/passwd' (known: Ana Ruiz",
    ),
    Csv(
        "column_without_header",
        (EXPORT_HEADER + "2026-09-01,Acme,9,ok\n").encode(),
        ("--column", "score="),
        2,
        "--column 'score=': use FIELD=HEADER with FIELD one of date, account, cohort, score, comment",
    ),
    Csv(
        "column_with_rtl",
        (EXPORT_HEADER + "2026-09-01,Acme,9,ok\n").encode(),
        ("--column", "score=Stars\u202e"),
        1,
        "has no column 'Stars\\u202e' (its columns: date, account, score, comment)",
    ),
]


@pytest.mark.parametrize("case", CSV_REFUSED, ids=[case.name for case in CSV_REFUSED])
def test_feedback_import_refuses_a_bad_export_and_writes_nothing(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Csv
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(case.content)
    args = case.args if "--employee" in case.args else (*case.args, "--employee", "Ana Ruiz")
    before = listing(team)
    code = main(["--sessions", str(team), "feedback", "import", str(export), *args])
    out, err = capsys.readouterr()
    assert code == case.code and out == "" and "Traceback" not in err
    assert case.message in err.splitlines()[-1]
    assert len(err.splitlines()) <= 2, "the reason, after at most the one row skipped"
    assert SECRET not in err and "\x1b" not in err and "\u202e" not in err
    assert listing(team) == before


def test_feedback_import_of_a_folder_or_a_missing_file(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = listing(team)
    for target, reason in ((tmp_path, "this is a folder, not a file"), (tmp_path / "no.csv", "no such file")):
        code = main(["--sessions", str(team), "feedback", "import", str(target), "--employee", "Ana Ruiz"])
        assert f"{target}: cannot read this file: {reason}" in refused(capsys, code)
    assert listing(team) == before


def test_feedback_import_keeps_wide_long_comments_and_skips_only_the_bad_row(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comment = (WIDE + " ") * 300
    rows = [
        f"2026-09-01,Acme,9,{comment}",
        f"2026-09-02,{'a' * 10_000},7,too long an account",
        "2026-09-03,Beta,8,ok\x00fine",
    ]
    export = tmp_path / "export.csv"
    export.write_bytes(
        b"\xef\xbb\xbf" + (EXPORT_HEADER.strip() + "\r\n" + "\r\n".join(rows) + "\r\n").encode()
    )
    assert main(["--sessions", str(team), "feedback", "import", str(export), "--employee", "Ana Ruiz"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == [f"{export}:3: skipped: a value is too long or not valid text"]
    acme, beta = load_feedback(team / "feedback_ana-ruiz.toml").responses
    assert acme.comment == comment.rstrip()
    assert beta.comment == "okfine"


def test_export_refuses_an_output_that_is_a_folder(team: Path, tmp_path: Path, capsys) -> None:
    record = team / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    folder = tmp_path / "out"
    folder.mkdir()
    code = main(["export", str(record), "--output", str(folder)])
    line = capsys.readouterr().err.splitlines()[-1]
    assert code == 1
    # Refused before a temp file is made: a folder has no previous version to speak of.
    assert line == f"reviewtui: cannot save {folder}: this is a folder, not a file"
    assert list(folder.iterdir()) == [], "no temporary file is left behind"


def test_export_refuses_an_output_under_a_file(team: Path, tmp_path: Path, capsys) -> None:
    record = team / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    (tmp_path / "a-file").write_text("")
    target = tmp_path / "a-file" / "export.md"
    code = main(["export", str(record), "--output", str(target)])
    assert (
        capsys.readouterr().err.splitlines()[-1]
        == f"reviewtui: cannot save {target}: a part of the path is not a folder"
    )
    assert code == 1


def test_export_refuses_an_unwritable_output(team: Path, tmp_path: Path, capsys) -> None:
    record = team / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    target = folder / "export.md"
    if os.access(folder, os.W_OK):  # root writes anywhere; sysfs refuses even root
        target = Path("/sys/reviewtui-export.md")
        if not Path("/sys").is_dir():
            pytest.skip("no folder here refuses this user")
    try:
        code = main(["export", str(record), "--output", str(target)])
    finally:
        folder.chmod(0o700)
    line = capsys.readouterr().err.splitlines()[-1]
    assert code == 1
    assert line == f"reviewtui: cannot save {target}: permission denied"
    assert not target.exists()


def test_export_refuses_to_write_over_its_record_by_another_name(team: Path, capsys) -> None:
    record = team / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
    before = record.read_bytes()
    other_name = team / ".." / team.name / record.name
    code = main(["export", str(record), "--output", str(other_name)])
    assert refused(capsys, code, 2) == f"reviewtui: refusing to write the export over the record {record}"
    assert record.read_bytes() == before


@pytest.mark.parametrize(
    ("record", "reason"),
    [("../no-such-record.toml", "no such file or folder"), (".", "this is a folder, not a file")],
)
def test_export_of_a_record_that_cannot_be_read(team: Path, capsys, record: str, reason: str) -> None:
    path = team / record
    code = main(["export", str(path), "--format", "json"])
    assert refused(capsys, code) == f"reviewtui: {path}: cannot read this record: {reason}"

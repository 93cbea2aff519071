"""`reviewtui schema` and `reviewtui validate` give the same verdict on hostile-but-plausible edits.

The schema is checked with `jsonschema` (the reference validator, with format checks on) against
the record as a TOML language server hands it over: Taplo turns a TOML date into its text, so
a date and a date-time are strings with a `format`, numbers are numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reviewtui.models import Rubric, Session
from reviewtui.record.schema import json_schema
from reviewtui.storage import discover_rubrics
from reviewtui.storage.validate import validate_path

ROOT = Path(__file__).parent.parent
RECORD = ROOT / "src" / "reviewtui" / "examples" / "2026-07-02_alignment_ana-ruiz_6513270e.toml"
RUBRIC = ROOT / "src" / "reviewtui" / "rubrics" / "support-engineer.toml"


def as_taplo_sees_it(value: Any) -> Any:
    """The TOML data as JSON: tables, arrays, numbers and strings as they are, dates as their text."""
    if isinstance(value, dict):
        return {key: as_taplo_sees_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_taplo_sees_it(item) for item in value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return value


@functools.cache
def validator(model: type) -> jsonschema.Draft202012Validator:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(json_schema(model), format_checker=checker)


def schema_accepts(model: type, text: str) -> bool:
    return validator(model).is_valid(as_taplo_sees_it(tomllib.loads(text)))


@functools.cache
def catalog():
    return discover_rubrics()


def validate_accepts(path: Path, text: str) -> bool:
    path.write_text(text)
    return not validate_path(path, catalog()).problems


def edited(original: str, old: str, new: str) -> str:
    assert old in original, old
    return original.replace(old, new, 1)


def test_the_schema_can_check_dates_and_date_times() -> None:
    # Without these checkers jsonschema skips `format` and every date edit below would pass it.
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert not checker.conforms("2026-07-02T10:00:00", "date-time")  # needs its offset
    assert not checker.conforms("2026-7-1", "date")


_SIGNED_AT = 'role = "employee"\nat = 2026-07-02 10:55:00+02:00\n'  # the employee's sign-off
_PARTNER_SIGN_OFF = """role = "manager"
at = 2026-07-02 10:55:00+02:00

[[sign_offs]]
name = "Priya Nair"
role = "partner"
via = "joined_terminal"
"""
_CONTRIBUTION = """role = "employee"
at = 2026-07-02 10:55:00+02:00

[[contributions]]
name = "Ana Ruiz"
role = "employee"
via = "browser"
parts = ["{part}"]
"""

RECORD_EDITS = [
    # (what was done, text in the example record, replaced by, both accept it)
    ("unchanged", "target = 96\n", "target = 96\n", True),
    ("a sign-off from a browser", 'role = "employee"\n', 'role = "employee"\nvia = "browser"\n', True),
    ("a sign-off from a phone", 'role = "employee"\n', 'role = "employee"\nvia = "phone"\n', False),
    ("a partner's sign-off", 'role = "manager"\n', _PARTNER_SIGN_OFF, True),
    (
        "the employee's own part",
        _SIGNED_AT,
        _CONTRIBUTION.format(part="employee_reading.reading"),
        True,
    ),
    ("a part that is no key path", _SIGNED_AT, _CONTRIBUTION.format(part="../reading"), False),
    ("a decimal target", "target = 96\n", "target = 96.5\n", True),
    ("a time in UTC", "created_at = 2026-07-02 10:00:00+02:00", "created_at = 2026-07-02T08:00:00Z", True),
    ("a number in quotes", "target = 96\n", 'target = "96"\n', False),
    ("a baseline in quotes", "baseline = 93\n", 'baseline = "93"\n', False),
    ("a weight in quotes", "weight = 30\n", 'weight = "30"\n', False),
    ("a weight of true", "weight = 30\n", "weight = true\n", False),
    ("a weight over 100", "weight = 30\n", "weight = 130\n", False),
    ("a negative weight", "weight = 30\n", "weight = -5\n", False),
    ("a target too large", "target = 96\n", "target = 1e16\n", False),
    ("a threshold in quotes", "thresholds = [94, 98", 'thresholds = ["94", 98', False),
    ("a date written another way", "start = 2026-07-01", 'start = "2026-7-1"', False),
    ("a date as a day and month", "start = 2026-07-01", 'start = "01/07/2026"', False),
    ("a date with a time", "start = 2026-07-01", "start = 2026-07-01T00:00:00+02:00", False),
    (
        "a time without its offset",
        "created_at = 2026-07-02 10:00:00+02:00",
        "created_at = 2026-07-02T10:00:00",
        False,
    ),
    ("a time of day only", "created_at = 2026-07-02 10:00:00+02:00", "created_at = 10:00:00", False),
    (
        "a time in quotes, no offset",
        "created_at = 2026-07-02 10:00:00+02:00",
        'created_at = "2026-07-02"',
        False,
    ),
    ("an extra key", 'kind = "alignment"\n', 'kind = "alignment"\nmood = "good"\n', False),
    ("an extra key in a table", 'label = "2026 H2"\n', 'label = "2026 H2"\nquarter = 3\n', False),
    ("a misspelt key", "weight = 30\n", "wieght = 30\n", False),
    ("a kind not known", 'kind = "alignment"', 'kind = "appraisal"', False),
    ("a status not known", 'status = "agreed"', 'status = "approved"', False),
    ("a direction not known", 'direction = "higher"', 'direction = "up"', False),
    ("a schema version to come", "schema_version = 1", "schema_version = 2", False),
    ("a name as a number", 'name = "Bo Li"', "name = 96", False),
    (
        "an id in capitals",
        'id = "6513270e269e0d37f2a74de452e6b438"',
        'id = "6513270E269E0D37F2A74DE452E6B438"',
        False,
    ),
    ("a flag in quotes", "accumulates = true", 'accumulates = "true"', False),
    ("an empty label", 'label = "2026 H2"', 'label = ""', False),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "accepted"), RECORD_EDITS, ids=[edit[0] for edit in RECORD_EDITS]
)
def test_validate_and_the_record_schema_agree(
    tmp_path: Path, what: str, old: str, new: str, accepted: bool
) -> None:
    text = edited(RECORD.read_text(), old, new)
    assert validate_accepts(tmp_path / RECORD.name, text) is accepted, what
    assert schema_accepts(Session, text) is accepted, what


RUBRIC_EDITS = [
    ("unchanged", "version = 1\n", "version = 1\n", True),
    ("a version in quotes", "version = 1\n", 'version = "1"\n', False),
    ("a default weight over 100", "default_weight = 15\n", "default_weight = 150\n", False),
    ("a default weight in quotes", "default_weight = 15\n", 'default_weight = "15"\n', False),
    ("a competency weight of a fraction", "weight = 25\n", "weight = 25.5\n", False),
    ("an extra key", "version = 1\n", 'version = 1\nowner = "HR"\n', False),
    ("a level value in quotes", "value = 1\n", 'value = "1"\n', False),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "accepted"), RUBRIC_EDITS, ids=[edit[0] for edit in RUBRIC_EDITS]
)
def test_validate_and_the_rubric_schema_agree(
    tmp_path: Path, what: str, old: str, new: str, accepted: bool
) -> None:
    text = edited(RUBRIC.read_text(), old, new)
    assert validate_accepts(tmp_path / RUBRIC.name, text) is accepted, what
    assert schema_accepts(Rubric, text) is accepted, what


# What JSON Schema cannot see, as a TOML language server hands a file over: a quoted date is the
# same text as a TOML date, and 30.0 is an integer to JSON Schema. `validate` refuses both; the
# schema's descriptions tell a writer to leave dates unquoted. Pinned so that a change shows.
SCHEMA_CANNOT_SEE = [
    ("a date in quotes", "start = 2026-07-01", 'start = "2026-07-01"'),
    (
        "a date-time in quotes",
        "created_at = 2026-07-02 10:00:00+02:00",
        'created_at = "2026-07-02T10:00:00+02:00"',
    ),
    ("a whole weight with a decimal point", "weight = 30\n", "weight = 30.0\n"),
]


@pytest.mark.parametrize(
    ("what", "old", "new"), SCHEMA_CANNOT_SEE, ids=[edit[0] for edit in SCHEMA_CANNOT_SEE]
)
def test_what_only_validate_can_refuse(tmp_path: Path, what: str, old: str, new: str) -> None:
    text = edited(RECORD.read_text(), old, new)
    assert not validate_accepts(tmp_path / RECORD.name, text), what
    assert schema_accepts(Session, text), what


def test_the_schema_tells_a_writer_to_leave_dates_unquoted() -> None:
    schema = json_schema(Session)
    assert "not in quotes: 2026-07-01" in schema["$defs"]["Period"]["properties"]["start"]["description"]
    assert "with its UTC offset, not in quotes" in schema["properties"]["created_at"]["description"]

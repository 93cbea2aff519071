"""Any valid record survives save and load unchanged, and re-saves to identical bytes."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings

from factories import session_data
from reviewtui.models import Session
from reviewtui.storage import load_session, save_session, session_to_toml
from strategies import later, sessions

SIGNERS = [("Ana Ruiz", "employee"), ("Bo Li", "manager")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session=sessions())
def test_any_valid_session_round_trips_byte_identically(session: Session) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = save_session(session, Path(folder))
        first = path.read_bytes()
        loaded = load_session(path)
        assert loaded.model_dump() == session.model_dump()
        save_session(loaded, Path(folder), path)
        assert path.read_bytes() == first


def test_example_record_resaves_byte_identically(data_dir: Path, tmp_path: Path) -> None:
    original = (data_dir / "record_minimal.toml").read_bytes()
    session = load_session(data_dir / "record_minimal.toml")
    path = save_session(session, tmp_path)
    assert path.read_bytes() == original


def test_long_text_is_written_as_multiline_string() -> None:
    from factories import make_session

    session = make_session()
    text = session_to_toml(session)
    assert 'how = """\nSurfaces risks early,\nso renewals are not a surprise."""' in text


def test_text_is_normalised_before_saving() -> None:
    from factories import make_session

    row = {"activity": "  QBRs\x1b[31m  ", "outcome": "retention", "how": "line one   \r\nline two\t\r\n\r\n"}
    session = make_session(impact_map=[row])
    assert session.impact_map[0].activity == "QBRs[31m"
    assert session.impact_map[0].how == "line one\nline two"


def test_a_session_changed_across_the_fall_back_night_is_valid_and_round_trips(tmp_path: Path) -> None:
    # The generator above once added the time to the wall clock: on the night New York falls
    # back, the second 01:30 plus ten minutes gave the first 01:40, fifty minutes before.
    zone = ZoneInfo("America/New_York")
    created = dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=zone)  # the second 01:30, EST
    updated = later(created, dt.timedelta(minutes=10))
    assert updated.astimezone(dt.UTC) - created.astimezone(dt.UTC) == dt.timedelta(minutes=10)
    sign_offs = [{"name": name, "role": role, "at": updated} for name, role in SIGNERS]
    session = Session.model_validate(
        session_data(created_at=created, updated_at=updated, sign_offs=sign_offs)
    )
    assert session.updated_at >= session.created_at  # the model's rule, kept
    path = save_session(session, tmp_path)
    assert load_session(path).model_dump() == session.model_dump()

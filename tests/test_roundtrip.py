"""Any valid record survives save and load unchanged, and re-saves to identical bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from reviewtui.models import Session
from reviewtui.storage import load_session, save_session, session_to_toml
from strategies import sessions


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

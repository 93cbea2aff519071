"""Preparation files on the manager's side: `prepare ask` writes only what the person may read,
`prepare import` checks a filled file against the records and keeps it, a review draft takes it in."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc

from factories import copy_example_team
from reviewtui.cli import main
from reviewtui.errors import LoadError
from reviewtui.models import Session
from reviewtui.models.checkin_parts import NextAction
from reviewtui.models.draft import ReviewDraft
from reviewtui.models.envelope import Partner
from reviewtui.models.plan_parts import Actual
from reviewtui.models.preparation import (
    Observation,
    Preparation,
    ProposedObjective,
    SelfRating,
)
from reviewtui.review.preparations import prepared_parts, with_preparations
from reviewtui.review.rules import review_session
from reviewtui.room.guard import is_protected, refusal
from reviewtui.room.shared_draft import SharedDraft
from reviewtui.session.catalog import CatalogSource
from reviewtui.session.driver import SessionDriver
from reviewtui.storage import discover_rubrics, load_session, save_session
from reviewtui.storage.preparations import (
    MAX_PREPARATION_BYTES,
    load_preparation,
    preparation_bytes,
    preparations_for,
)
from strategies import names, texts, timestamps

CURRENT_PLAN = "2026-11-05_check-in_ana-ruiz_e2f3a4b5.toml"
OTHER_PARTNER = "Zed Quartz"
# Things the records hold that no preparation form may carry.
SECRETS = {
    "check-in notes": "Marker: workload worry discussed in private",
    "an actual's note": "Marker: the churn came from the Contoso exec change",
    "an actual's evidence": "Marker: salesforce report 8812",
    "an action": "Marker: exec call with Contoso",
}
WRITTEN = dt.datetime(2026, 12, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """The example team, with the current plan of Ana Ruiz holding text that is not hers to be sent."""
    sessions = copy_example_team(tmp_path / "sessions")
    path = sessions / CURRENT_PLAN
    plan = load_session(path)
    metrics = list(plan.metrics)
    first = metrics[0]
    metrics[0] = first.model_copy(
        update={
            "actuals": [
                *first.actuals,
                Actual(
                    value=Decimal(95),
                    as_of=dt.date(2026, 11, 5),
                    note=SECRETS["an actual's note"],
                    evidence=SECRETS["an actual's evidence"],
                ),
            ]
        }
    )
    participants = plan.participants.model_copy(
        update={"partners": [*plan.participants.partners, Partner(name=OTHER_PARTNER, function="product")]}
    )
    changed = Session.model_validate(
        {
            **plan.model_dump(),
            "metrics": [m.model_dump() for m in metrics],
            "participants": participants.model_dump(),
            "notes": SECRETS["check-in notes"],
            "actions": [
                *[a.model_dump() for a in plan.actions],
                NextAction(
                    text=SECRETS["an action"], owner="Ana Ruiz", due=dt.date(2026, 12, 1)
                ).model_dump(),
            ],
        }
    )
    save_session(changed, sessions, path)
    return sessions


def run(team: Path, *args: str) -> int:
    return main(["--sessions", str(team), "prepare", *args])


def ask(team: Path, out: Path, *extra: str) -> Preparation:
    assert run(team, "ask", "--employee", "ana ruiz", "-o", str(out), *extra) == 0
    return load_preparation(out)


def filled_employee(form: Preparation, **changes) -> Preparation:
    return form.model_copy(
        update={
            "reading": "Retention held despite the price cuts.",
            "ratings": [
                SelfRating(competency=form.competencies[0].id, level=4, example="Ran the joint plan")
            ],
            "objectives": [ProposedObjective(objective="Lead the QBR programme", why="a mentor would help")],
            "topics": ["Promotion path"],
            "written_at": WRITTEN,
            **changes,
        }
    )


def filled_partner(form: Preparation, **changes) -> Preparation:
    observation = Observation(
        observed="Brought sales in early on Acme", impact="Renewal saved", kind="strength"
    )
    return form.model_copy(update={"observations": [observation], "written_at": WRITTEN, **changes})


def write(path: Path, preparation: Preparation) -> Path:
    path.write_bytes(preparation_bytes(preparation))
    return path


# Asking -----------------------------------------------------------------------------------


def _every_record_text(team: Path) -> str:
    return "\n".join(path.read_text() for path in team.glob("*.toml"))


def test_the_employee_form_holds_the_plan_metrics_competencies_and_scale_and_nothing_anyone_wrote(
    team: Path, tmp_path: Path
) -> None:
    form = ask(team, tmp_path / "ana.toml", "--due", "2027-01-05")
    text = (tmp_path / "ana.toml").read_text()
    plan = load_session(team / CURRENT_PLAN)
    assert (form.role, form.name, form.employee, form.manager) == (
        "employee",
        "Ana Ruiz",
        "Ana Ruiz",
        "Bo Li",
    )
    assert form.due == dt.date(2027, 1, 5) and form.plan == plan.id and form.period == plan.period
    assert [m.id for m in form.metrics] == [m.id for m in plan.metrics]
    assert form.metrics[0].latest == Decimal(95) and form.metrics[0].latest_as_of == dt.date(2026, 11, 5)
    assert form.competencies and form.scale
    for what, secret in SECRETS.items():
        assert secret in _every_record_text(team), what  # the test would prove nothing otherwise
        assert secret not in text, what
    for partner in ("Priya Nair", OTHER_PARTNER):
        assert partner not in text
    # No answers, nothing from the signed review of the folder (its ratings, feedback, evidence)
    review = load_session(team / "2027-01-12_review_ana-ruiz_a1b2c3d4.toml")
    for rating in review.competencies:
        assert rating.evidence not in text
    for item in review.feedback:
        assert item.observed not in text
    evidence = (team / "evidence_ana-ruiz.toml").read_text()
    for line in evidence.splitlines():
        if line.startswith("text = "):
            assert line.removeprefix("text = ").strip('"') not in text
    assert not (form.reading or form.ratings or form.objectives or form.topics or form.observations)
    assert form.written_at is None and "written_at" not in text
    assert os.stat(tmp_path / "ana.toml").st_mode & 0o077 == 0


def test_a_partner_form_holds_the_competencies_only_and_no_other_partner(team: Path, tmp_path: Path) -> None:
    form = ask(team, tmp_path / "priya.toml", "--partner", "priya NAIR")
    text = (tmp_path / "priya.toml").read_text()
    assert (form.role, form.name, form.employee) == ("partner", "Priya Nair", "Ana Ruiz")
    assert form.competencies and not form.metrics and not form.scale
    assert OTHER_PARTNER not in text
    plan = load_session(team / CURRENT_PLAN)
    for metric in plan.metrics:
        assert metric.definition not in text
    for secret in SECRETS.values():
        assert secret not in text


def test_asking_a_person_who_is_not_a_partner_says_who_is(team: Path, tmp_path: Path, capsys) -> None:
    assert (
        run(team, "ask", "--employee", "Ana Ruiz", "--partner", "Nobody Here", "-o", str(tmp_path / "x")) == 1
    )
    error = capsys.readouterr().err
    assert "Nobody Here is not a partner of Ana Ruiz" in error and "Priya Nair" in error
    assert not (tmp_path / "x").exists()


def test_asking_for_an_unknown_employee_or_a_bad_date_or_over_a_record_is_refused(
    team: Path, tmp_path: Path, capsys
) -> None:
    assert run(team, "ask", "--employee", "Ana Ruis", "-o", str(tmp_path / "x")) == 1
    assert "did you mean Ana Ruiz?" in capsys.readouterr().err
    assert run(team, "ask", "--employee", "Ana Ruiz", "--due", "05/01/2027", "-o", str(tmp_path / "x")) == 2
    assert capsys.readouterr().err.count("\n") == 1
    record = team / CURRENT_PLAN
    before = record.read_bytes()
    assert run(team, "ask", "--employee", "Ana Ruiz", "-o", str(record)) == 2
    assert "refusing to write the preparation over a record" in capsys.readouterr().err
    assert record.read_bytes() == before
    assert not (tmp_path / "x").exists()


# Importing --------------------------------------------------------------------------------


def test_an_import_is_kept_beside_the_records_and_the_same_request_replaces_it(
    team: Path, tmp_path: Path, capsys
) -> None:
    form = ask(team, tmp_path / "ana.toml")
    capsys.readouterr()
    write(tmp_path / "ana.toml", filled_employee(form))
    assert run(team, "import", str(tmp_path / "ana.toml")) == 0
    stored = team / f"preparation_ana-ruiz_{form.id}.toml"
    assert "imported the self-assessment of Ana Ruiz" in capsys.readouterr().out
    assert load_preparation(stored).topics == ["Promotion path"]
    write(tmp_path / "ana.toml", filled_employee(form, topics=["Workload"]))
    assert run(team, "import", str(tmp_path / "ana.toml")) == 0
    assert "replaced the earlier import" in capsys.readouterr().out
    assert load_preparation(stored).topics == ["Workload"]
    assert sorted(p.name for p in team.glob("preparation_*")) == [stored.name]
    assert main(["validate", str(stored)]) == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"written_at": None}, "has not saved any answers in it yet"),
        (
            {"name": "Priya Nair"},
            "it is an employee's preparation but names Priya Nair, not the employee Ana Ruiz",
        ),
        ({"employee": "Nobody Known", "name": "Nobody Known"}, "no record in"),
        (
            {"period": {"label": "2025 H1", "start": dt.date(2025, 1, 1), "end": dt.date(2025, 6, 30)}},
            "period",
        ),
        ({"rubric_id": "no-such-rubric"}, "rubric `no-such-rubric` is not found"),
    ],
)
def test_an_import_that_does_not_fit_the_records_is_refused_and_nothing_is_written(
    team: Path, tmp_path: Path, capsys, change: dict, expected: str
) -> None:
    form = ask(team, tmp_path / "ana.toml")
    data = {**filled_employee(form).model_dump(), **change}
    write(tmp_path / "ana.toml", Preparation.model_validate(data))
    capsys.readouterr()
    assert run(team, "import", str(tmp_path / "ana.toml")) == 1
    assert expected in capsys.readouterr().err
    assert not list(team.glob("preparation_*"))


def test_a_rating_off_the_rubric_scale_is_refused(team: Path, tmp_path: Path, capsys) -> None:
    form = ask(team, tmp_path / "ana.toml")
    rating = SelfRating(competency=form.competencies[0].id, level=9, example="x")
    write(tmp_path / "ana.toml", filled_employee(form, ratings=[rating]))
    assert run(team, "import", str(tmp_path / "ana.toml")) == 1
    # The file's own scale is the rubric's: a level off it is refused as the fill app refuses it.
    assert (
        "ratings[0].level: must be one of the file's scale values (1, 2, 3, 4, 5)" in capsys.readouterr().err
    )


def test_a_partner_no_longer_in_the_plan_is_refused_with_the_reason(
    team: Path, tmp_path: Path, capsys
) -> None:
    form = ask(team, tmp_path / "priya.toml", "--partner", "Priya Nair")
    write(tmp_path / "priya.toml", filled_partner(form, name="Someone Else"))
    capsys.readouterr()
    assert run(team, "import", str(tmp_path / "priya.toml")) == 1
    assert "Someone Else is not a partner of Ana Ruiz in the plan" in capsys.readouterr().err


def test_a_request_answered_by_another_person_does_not_replace_the_first(
    team: Path, tmp_path: Path, capsys
) -> None:
    form = ask(team, tmp_path / "priya.toml", "--partner", "Priya Nair")
    write(tmp_path / "priya.toml", filled_partner(form))
    assert run(team, "import", str(tmp_path / "priya.toml")) == 0
    write(tmp_path / "zed.toml", filled_partner(form, name=OTHER_PARTNER))
    capsys.readouterr()
    assert run(team, "import", str(tmp_path / "zed.toml")) == 1
    assert "the earlier import of this request was Priya Nair's" in capsys.readouterr().err
    assert load_preparation(team / f"preparation_ana-ruiz_{form.id}.toml").name == "Priya Nair"


SECRET_VALUE = "Marker: 42 accounts lost"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f'reading = "{SECRET_VALUE}\n', "broken.toml:1:36: TOML syntax error"),
        (b"\x00\x01", "binary file"),
        (f'kind = "preparation"\nreading = 7\nobservations = "{SECRET_VALUE}"\n', "must be a string"),
        (f'kind = "preparation"\nreading = "{SECRET_VALUE}"\nunknown_key = 1\n', "unknown key `unknown_key`"),
        (f'reading = "{SECRET_VALUE}"\n', "this is not a preparation file"),
    ],
)
def test_a_broken_file_is_named_with_its_line_and_never_echoed(
    team: Path, tmp_path: Path, capsys, content, expected: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert run(team, "import", str(path)) == 1
    error = capsys.readouterr().err
    assert expected in error and SECRET_VALUE not in error and "Traceback" not in error


def test_a_file_too_large_a_link_or_a_fifo_is_refused(team: Path, tmp_path: Path, capsys) -> None:
    form = ask(team, tmp_path / "ana.toml")
    write(tmp_path / "ana.toml", filled_employee(form))
    big = tmp_path / "big.toml"
    big.write_bytes((tmp_path / "ana.toml").read_bytes() + b"#" * MAX_PREPARATION_BYTES)
    link = tmp_path / "link.toml"
    link.symlink_to(tmp_path / "ana.toml")
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    capsys.readouterr()
    for path, expected in [(big, "is larger than"), (link, "symbolic link"), (fifo, "named pipe")]:
        assert run(team, "import", str(path)) == 1
        assert expected in capsys.readouterr().err
    assert not list(team.glob("preparation_*"))


# Into the review --------------------------------------------------------------------------


def _import(team: Path, preparation: Preparation, tmp_path: Path) -> None:
    path = write(tmp_path / f"{preparation.id}.toml", preparation)
    assert run(team, "import", str(path)) == 0


def test_a_new_review_takes_the_latest_self_assessment_and_each_partners_observations(
    team: Path, tmp_path: Path
) -> None:
    employee_form = ask(team, tmp_path / "a.toml")
    _import(team, filled_employee(employee_form, topics=["Old"], written_at=WRITTEN), tmp_path)
    second = ask(team, tmp_path / "b.toml")
    _import(
        team, filled_employee(second, topics=["Newer"], written_at=WRITTEN + dt.timedelta(days=1)), tmp_path
    )
    priya = ask(team, tmp_path / "p.toml", "--partner", "Priya Nair")
    _import(team, filled_partner(priya), tmp_path)
    zed = ask(team, tmp_path / "z.toml", "--partner", OTHER_PARTNER)
    _import(team, filled_partner(zed, name=OTHER_PARTNER), tmp_path)

    driver = SessionDriver(team, CatalogSource(lambda: discover_rubrics()))
    plan = load_session(team / CURRENT_PLAN)
    draft = driver.new_review(plan)
    assert isinstance(draft, ReviewDraft)
    assert draft.self_assessment is not None and draft.self_assessment.topics == ["Newer"]
    assert [o.name for o in draft.partner_observations] == ["Priya Nair", OTHER_PARTNER]
    # The pair start the reading step from what the employee wrote; a reading typed already stays
    assert draft.reading == "Retention held despite the price cuts."
    assert with_preparations(draft.model_copy(update={"reading": "Ours"}), []).reading == "Ours"
    # Another employee's review takes none of them
    other = next(p for p in team.glob("*_alignment_mei-chen_*.toml"))
    assert preparations_for(team, load_session(other)) == []


def test_the_record_keeps_both_and_the_export_shows_them_beside_the_managers_levels(tmp_path: Path) -> None:
    from factories import csm_review_draft
    from reviewtui.record.summary import record_markdown

    rubric = discover_rubrics().get("customer-success-manager").rubric
    draft = csm_review_draft()
    competency = rubric.competencies[0]
    own = SelfRating(competency=competency.id, level=4, example="Ran the joint plan with sales")
    prep = Preparation(
        id="a1b2c3d4e5f6",
        role="employee",
        name="Ana Ruiz",
        employee="Ana Ruiz",
        manager="Bo Li",
        rubric_id=rubric.id,
        period={"label": "2026 H2", "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31)},
        asked_at=WRITTEN,
        competencies=[{"id": competency.id, "name": competency.name}],
        ratings=[own],
        reading="Held despite price cuts",
        objectives=[ProposedObjective(objective="Lead the QBR programme")],
        topics=["Promotion path"],
        written_at=WRITTEN,
    )
    partner = Preparation.model_validate(
        {
            **prep.model_dump(),
            **{"role": "partner", "name": "Priya Nair", "id": "b1b2c3d4e5f6"},
            **{"ratings": [], "reading": "", "objectives": [], "topics": []},
            "observations": [{"observed": "Brought sales in early", "kind": "strength", "account": "Acme"}],
        }
    )
    draft = with_preparations(draft, [prep, partner])
    record = review_session(draft, rubric, "a" * 64, WRITTEN, signed=False)
    assert record.self_assessment is not None and record.self_assessment.ratings == [own]
    assert record.partner_observations[0].name == "Priya Nair"
    markdown = record_markdown(record, rubric)
    assert "## The employee's self-assessment" in markdown
    assert f"| {competency.name} | 4 " in markdown and "| 3 " in markdown  # theirs, then the manager's
    assert "Lead the QBR programme" in markdown and "Promotion path" in markdown
    assert "## Partners' observations" in markdown and "Brought sales in early" in markdown


def test_prepared_parts_keep_each_persons_latest_file() -> None:
    base = {
        "role": "partner",
        "employee": "Ana Ruiz",
        "manager": "Bo Li",
        "rubric_id": "r",
        "period": {"label": "H2", "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31)},
        "asked_at": WRITTEN,
    }

    def partner(prep_id: str, name: str, observed: str, day: int) -> Preparation:
        return Preparation(
            id=prep_id,
            name=name,
            observations=[{"observed": observed, "kind": "gap"}],
            written_at=WRITTEN + dt.timedelta(days=day),
            **base,
        )

    _, rows = prepared_parts(
        [partner("aaaaaaaaaaaa", "Cy", "later", 2), partner("bbbbbbbbbbbb", "cy", "earlier", 1)]
    )
    assert [row.observed for row in rows] == ["later"]


# The live room ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["self_assessment", "partner_observations"])
def test_a_participant_may_not_change_what_was_prepared(key: str) -> None:
    from factories import csm_review_draft

    assert is_protected(key)
    draft = ReviewDraft.model_validate(
        {
            **csm_review_draft(2).model_dump(),
            "self_assessment": {"written_at": WRITTEN, "reading": "Mine", "topics": ["Pay"]},
            "partner_observations": [
                {"name": "Priya Nair", "written_at": WRITTEN, "observed": "Early", "kind": "strength"}
            ],
        }
    )
    host = SharedDraft()
    host.load(draft.model_dump(mode="json"))
    host.set_room(epoch="e1", host_step=2, closed=False, people=[], rubric={"id": "csm"})
    guest = SharedDraft(Doc())
    guest.doc.apply_update(host.doc.get_update())
    data = guest.draft_data()
    if key == "self_assessment":
        data[key]["reading"] = "Changed by a participant"
    else:
        data[key][0]["observed"] = "Changed by a participant"
    state = guest.doc.get_state()
    guest.reconcile(data)
    assert refusal(host, guest.doc.get_update(state)) == f"may not change {key}"


# Round trip -------------------------------------------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    reading=texts,
    example=names,
    objective=names,
    topics=st.lists(names, max_size=3),
    written=timestamps,
)
def test_a_preparation_reads_back_as_written(reading, example, objective, topics, written) -> None:
    prep = Preparation(
        id="0123456789ab",
        role="employee",
        name="Ana Ruiz",
        employee="Ana Ruiz",
        manager="Bo Li",
        rubric_id="r",
        period={"label": "H2", "start": dt.date(2026, 7, 1), "end": dt.date(2026, 12, 31)},
        asked_at=WRITTEN,
        competencies=[{"id": "c", "name": "C", "anchors": ["low", "high"]}],
        reading=reading,
        ratings=[{"competency": "c", "level": 2, "example": example}],
        objectives=[{"objective": objective}],
        topics=topics,
        written_at=written.replace(microsecond=0),
    )
    data = preparation_bytes(prep)
    assert Preparation.model_validate(tomllib.loads(data.decode())) == prep


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('kind = "rubric"\n')
    with pytest.raises(LoadError) as caught:
        load_preparation(path)
    assert "kind" in str(caught.value)


def test_validate_names_the_line_of_a_broken_imported_file_and_ask_never_overwrites_one(
    team: Path, tmp_path: Path, capsys
) -> None:
    form = ask(team, tmp_path / "ana.toml")
    write(tmp_path / "ana.toml", filled_employee(form))
    assert run(team, "import", str(tmp_path / "ana.toml")) == 0
    stored = team / f"preparation_ana-ruiz_{form.id}.toml"
    before = stored.read_bytes()
    capsys.readouterr()
    assert run(team, "ask", "--employee", "Ana Ruiz", "-o", str(stored)) == 2
    assert "over an imported preparation file" in capsys.readouterr().err
    assert stored.read_bytes() == before
    stored.write_text(before.decode().replace('role = "employee"', 'role = "boss"'))
    assert main(["validate", str(stored)]) == 1
    assert f"{stored.name}:4: role: must be one of" in capsys.readouterr().out.replace(str(team) + "/", "")


def test_an_import_keeps_the_names_as_the_records_spell_them(team: Path, tmp_path: Path, capsys) -> None:
    form = ask(team, tmp_path / "priya.toml", "--partner", "Priya Nair")
    write(tmp_path / "priya.toml", filled_partner(form, name="PRIYA  nair", employee="ana RUIZ"))
    assert run(team, "import", str(tmp_path / "priya.toml")) == 0
    stored = load_preparation(team / f"preparation_ana-ruiz_{form.id}.toml")
    assert (stored.name, stored.employee) == ("Priya Nair", "Ana Ruiz")
    capsys.readouterr()
    assert run(tmp_path / "no-such-folder", "import", str(tmp_path / "priya.toml")) == 1
    assert "no-such-folder" in capsys.readouterr().err


def test_the_employees_topics_join_their_agenda_once(team: Path, tmp_path: Path, capsys) -> None:
    from reviewtui.storage.agenda import read_agenda

    form = ask(team, tmp_path / "ana.toml")
    write(tmp_path / "ana.toml", filled_employee(form, topics=["Promotion path", "Workload in Q1"]))
    capsys.readouterr()
    assert run(team, "import", str(tmp_path / "ana.toml")) == 0
    assert "2 topic(s) joined the agenda of Ana Ruiz" in capsys.readouterr().out
    topics = read_agenda(team, "Ana Ruiz").topics
    assert [(t.text, t.raised_by, t.role, t.via) for t in topics] == [
        ("Promotion path", "Ana Ruiz", "employee", "preparation"),
        ("Workload in Q1", "Ana Ruiz", "employee", "preparation"),
    ]
    assert all(t.raised_at == WRITTEN for t in topics)
    # A newer copy of the same preparation adds only its new topic, however the old ones are spaced.
    write(tmp_path / "ana.toml", filled_employee(form, topics=["promotion  PATH", "Travel budget"]))
    assert run(team, "import", str(tmp_path / "ana.toml")) == 0
    assert "1 topic(s) joined" in capsys.readouterr().out
    assert [t.text for t in read_agenda(team, "Ana Ruiz").topics] == [
        "Promotion path",
        "Workload in Q1",
        "Travel budget",
    ]


def test_a_broken_agenda_keeps_the_import_and_says_how_to_add_the_topics(
    team: Path, tmp_path: Path, capsys
) -> None:
    form = ask(team, tmp_path / "ana.toml")
    write(tmp_path / "ana.toml", filled_employee(form, topics=["Promotion path"]))
    (team / "agenda_ana-ruiz.toml").write_text('kind = "agenda"\nemployee = "Ana Ruiz"\ntopics = 3\n')
    capsys.readouterr()
    assert run(team, "import", str(tmp_path / "ana.toml")) == 0
    said = capsys.readouterr()
    assert (team / f"preparation_ana-ruiz_{form.id}.toml").exists()
    assert "the topics could not join the agenda" in said.err and "reviewtui agenda add" in said.err
    assert "Traceback" not in said.err

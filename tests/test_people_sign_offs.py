"""People act as themselves: each confirmation keeps who, their own moment and how they took part;
partners' confirmations become `partner` sign-offs; the parts participants wrote are marked theirs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Checkbox

from factories import AGREE_STEP, CREATED, csm_checkin_draft, csm_draft, csm_review_draft, make_session
from pilot_helpers import Clock
from reviewtui.cli import main
from reviewtui.models import Rubric, Session
from reviewtui.models.draft import CHECKIN_STEPS, REVIEW_SECTIONS, DraftContribution, DraftPartner
from reviewtui.plan.rules import agreed_session
from reviewtui.record.summary import record_markdown
from reviewtui.review.rules import review_session
from reviewtui.session.confirmations import confirmed_by, with_confirmations
from reviewtui.storage import bundled_rubrics_dir, discover_rubrics, load_rubric, load_session, save_session
from reviewtui.storage.drafts import load_draft, save_draft
from reviewtui.ui.app import ReviewApp
from reviewtui.ui.home import HomeScreen

EXAMPLES = Path(__file__).parent.parent / "src" / "reviewtui" / "examples"
FIRST, LATER = CREATED + dt.timedelta(minutes=20), CREATED + dt.timedelta(minutes=25)
CONFIRMATION_KEYS = (
    "employee_confirmed",
    "employee_confirmed_at",
    "employee_confirmed_via",
    "manager_confirmed",
    "manager_confirmed_at",
    "manager_confirmed_via",
    "partner_confirmations",
)


def csm_rubric() -> Rubric:
    return load_rubric(bundled_rubrics_dir() / "customer-success-manager.toml").rubric


def confirmations(draft) -> dict:
    return {key: getattr(draft, key) for key in CONFIRMATION_KEYS}


# Confirming on the host's screen, and as oneself ------------------------------------------


def test_a_partner_ticks_on_the_host_screen_and_unticks() -> None:
    draft = with_confirmations(csm_draft(AGREE_STEP), {"partner-1": True}, FIRST)
    [given] = draft.partner_confirmations
    assert (given.name, given.at, given.via) == ("Priya Nair", FIRST, "host_screen")
    assert not draft.employee_confirmed and not draft.manager_confirmed
    again = with_confirmations(draft, {"partner-1": True, "employee": True}, LATER)
    assert again.partner_confirmations == draft.partner_confirmations  # keeps its first moment
    assert (again.employee_confirmed_at, again.employee_confirmed_via) == (LATER, "host_screen")
    cleared = with_confirmations(again, {"partner-1": False}, LATER)
    assert cleared.partner_confirmations == [] and cleared.employee_confirmed


def test_a_tick_from_before_the_way_was_kept_is_taken_as_on_the_host_screen() -> None:
    old = csm_draft(AGREE_STEP, employee_confirmed=True, employee_confirmed_at=FIRST)  # an older draft
    assert old.employee_confirmed_via == ""
    kept = with_confirmations(old, {"employee": True}, LATER)
    assert (kept.employee_confirmed_at, kept.employee_confirmed_via) == (FIRST, "host_screen")


@pytest.mark.parametrize(
    ("key", "name", "role"),
    [
        ("employee", "Ana Ruiz", "employee"),
        ("manager", "Bo Li", "manager"),
        ("partner-1", "Priya Nair", "partner"),
    ],
)
def test_a_participants_confirmation_touches_nobody_elses(key: str, name: str, role: str) -> None:
    others = with_confirmations(
        csm_draft(AGREE_STEP), {k: k != key for k in ("employee", "manager", "partner-1")}, FIRST
    )
    mine = confirmed_by(others, key, name, role, True, LATER, "browser")
    changed = {k for k in CONFIRMATION_KEYS if getattr(mine, k) != getattr(others, k)}
    if role == "partner":
        assert changed == {"partner_confirmations"}
        assert [(c.name, c.at, c.via) for c in mine.partner_confirmations] == [(name, LATER, "browser")]
    else:
        assert changed == {f"{role}_confirmed", f"{role}_confirmed_at", f"{role}_confirmed_via"}
        assert (getattr(mine, f"{role}_confirmed_at"), getattr(mine, f"{role}_confirmed_via")) == (
            LATER,
            "browser",
        )
    assert mine.model_dump(exclude=set(CONFIRMATION_KEYS)) == others.model_dump(
        exclude=set(CONFIRMATION_KEYS)
    )
    taken_back = confirmed_by(mine, key, name, role, False, LATER, "browser")
    assert confirmations(taken_back) == confirmations(others)


def test_ones_own_confirmation_replaces_one_ticked_for_them_on_the_host_screen() -> None:
    ticked = with_confirmations(csm_draft(AGREE_STEP), {"employee": True, "partner-1": True}, FIRST)
    own = confirmed_by(ticked, "employee", "Ana Ruiz", "employee", True, LATER, "joined_terminal")
    own = confirmed_by(own, "partner-1", "Priya Nair", "partner", True, LATER, "browser")
    assert (own.employee_confirmed_at, own.employee_confirmed_via) == (LATER, "joined_terminal")
    assert [(c.at, c.via) for c in own.partner_confirmations] == [(LATER, "browser")]
    # Asked twice (a reconnect sends it again): the first moment stays.
    twice = confirmed_by(
        own, "employee", "Ana Ruiz", "employee", True, LATER + dt.timedelta(minutes=1), "browser"
    )
    assert (twice.employee_confirmed_at, twice.employee_confirmed_via) == (LATER, "joined_terminal")


def test_a_link_confirms_only_in_its_own_role() -> None:
    with pytest.raises(ValueError, match="cannot confirm as manager"):
        confirmed_by(csm_draft(AGREE_STEP), "employee", "Ana Ruiz", "manager", True, LATER, "browser")
    with pytest.raises(ValueError, match="cannot confirm as partner"):
        confirmed_by(csm_draft(AGREE_STEP), "manager", "Bo Li", "partner", True, LATER, "browser")


# What the records say --------------------------------------------------------------------


def test_an_agreed_plan_has_a_sign_off_per_person_with_how_they_confirmed() -> None:
    draft = with_confirmations(csm_draft(AGREE_STEP), {"employee": True, "partner-1": True}, FIRST)
    draft = confirmed_by(draft, "manager", "Bo Li", "manager", True, LATER, "joined_terminal")
    plan = agreed_session(draft, csm_rubric(), "f" * 64, LATER)
    assert [(s.name, s.role, s.at, s.via) for s in plan.sign_offs] == [
        ("Ana Ruiz", "employee", FIRST, "host_screen"),
        ("Bo Li", "manager", LATER, "joined_terminal"),
        ("Priya Nair", "partner", FIRST, "host_screen"),
    ]
    text = record_markdown(plan, csm_rubric())
    assert "- Ana Ruiz (employee), 2026-07-01 09:50 +0200, confirmed on the host's screen" in text
    assert "- Bo Li (manager), 2026-07-01 09:55 +0200, from their own screen (a terminal joined" in text
    assert "- Priya Nair (partner), 2026-07-01 09:50 +0200, confirmed on the host's screen" in text


def test_a_renamed_partners_confirmation_is_not_signed_under_the_old_name() -> None:
    draft = with_confirmations(
        csm_draft(AGREE_STEP), {"employee": True, "manager": True, "partner-1": True}, FIRST
    )
    renamed = draft.model_copy(update={"partners": [DraftPartner(name="Priya N. Nair", function="sales")]})
    plan = agreed_session(renamed, csm_rubric(), "f" * 64, LATER)
    assert [s.role for s in plan.sign_offs] == ["employee", "manager"]


def test_the_employees_own_parts_are_marked_as_theirs_in_the_review() -> None:
    rubric = csm_rubric()
    written = [
        DraftContribution(field="reading", name="Ana Ruiz", role="employee", via="browser"),
        DraftContribution(field="comments", name="Ana Ruiz", role="employee", via="browser"),
        DraftContribution(field="objectives.0.owner", name="Ana Ruiz", role="employee", via="browser"),
        DraftContribution(
            field="feedback.0.observed", name="Priya Nair", role="partner", via="joined_terminal"
        ),
        DraftContribution(field="results.nps.actual", name="Ana Ruiz", role="employee", via="browser"),
        DraftContribution(field="reading", name="Someone Else", role="employee", via="browser"),
    ]
    draft = csm_review_draft(
        1 + REVIEW_SECTIONS.index("sign_off"),
        partners=[DraftPartner(name="Priya Nair", function="sales")],
        contributions=written,
        comments="Fair",
    )
    draft = with_confirmations(draft, {"employee": True, "manager": True}, FIRST)
    review = review_session(draft, rubric, "f" * 64, LATER, signed=True)
    nps = next(i for i, m in enumerate(review.metrics) if m.id == "nps")
    assert [(c.name, c.role, c.via, c.parts) for c in review.contributions] == [
        (
            "Ana Ruiz",
            "employee",
            "browser",
            ["development.0", "employee_reading.comments", "employee_reading.reading", f"metrics.{nps}"],
        ),
        ("Priya Nair", "partner", "joined_terminal", ["feedback.0"]),
    ]
    text = record_markdown(review, rubric)
    assert (
        "- Ana Ruiz (employee), from their own screen (browser): development objective 1, comments, "
        "reading of the data, metric NPS (account or cohort)"
    ) in text
    assert (
        "- Priya Nair (partner), from their own screen (a terminal joined to the session): customer feedback 1"
        in text
    )


def test_a_record_with_contributions_round_trips(tmp_path: Path) -> None:
    data = make_session().model_dump()
    data["contributions"] = [
        {"name": "Ana Ruiz", "role": "employee", "via": "browser", "parts": ["employee_reading.reading"]}
    ]
    data["sign_offs"] = [{**s, "via": "browser"} for s in data["sign_offs"]]
    session = Session.model_validate(data)
    path = save_session(session, tmp_path)
    first = path.read_bytes()
    assert b'via = "browser"' in first and b"[[contributions]]" in first
    assert load_session(path) == session
    save_session(load_session(path), tmp_path, path)
    assert path.read_bytes() == first


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"name": "Nobody", "role": "employee"},
            r"an employee's contribution must name the employee \(participants",
        ),
        ({"name": "Nobody", "role": "partner"}, "must name a partner in participants.partners"),
    ],
)
def test_a_contribution_must_name_a_participant(entry: dict, message: str) -> None:
    data = make_session().model_dump()
    data["contributions"] = [{**entry, "via": "browser", "parts": ["employee_reading.reading"]}]
    with pytest.raises(ValueError, match=message):
        Session.model_validate(data)


def test_a_partner_sign_off_must_name_a_listed_partner() -> None:
    data = make_session().model_dump()
    data["sign_offs"].append({"name": "Priya Nair", "role": "partner", "at": CREATED, "via": "browser"})
    with pytest.raises(ValueError, match="a partner sign-off must name a partner listed"):
        Session.model_validate(data)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("20*.toml")))
def test_old_example_records_load_and_resave_byte_identically(name: str, tmp_path: Path) -> None:
    original = (EXAMPLES / name).read_bytes()
    session = load_session(EXAMPLES / name)
    assert all(s.via is None for s in session.sign_offs) and session.contributions == []
    path = save_session(session, tmp_path, tmp_path / name)
    assert path.read_bytes() == original


def test_the_record_schema_has_the_new_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "session"]) == 0
    schema = json.loads(capsys.readouterr().out)
    sign_off, contribution = schema["$defs"]["SignOff"], schema["$defs"]["Contribution"]
    assert {
        "anyOf": [{"enum": ["host_screen", "joined_terminal", "browser"], "type": "string"}, {"type": "null"}]
    }.items() <= sign_off["properties"]["via"].items()
    assert "host's screen" in sign_off["properties"]["via"]["description"]
    assert set(contribution["required"]) == {"name", "role", "via", "parts"}
    assert "contributions" in schema["properties"]


# On the host's single keyboard -----------------------------------------------------------


async def _tick_and_save(tmp_path: Path, draft, label: str, ticked: int) -> Session:
    """Resume `draft` on its last step, tick the first `ticked` boxes from the employee's, save."""
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    save_draft(draft, sessions)
    app = ReviewApp(sessions, discover_rubrics(), clock=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")  # resume the draft, on its last step
        await pilot.pause()
        assert str(app.screen.query_one("#partner-1_confirmed").label) == label
        app.screen.query_one("#employee_confirmed").focus()
        for _ in range(ticked):
            await pilot.press("space", "tab")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = sessions.glob("20*.toml")
    return load_session(record)


def _signed(session: Session) -> list[tuple[str, str, str | None]]:
    return [(s.name, s.role, s.via) for s in session.sign_offs]


async def test_a_partner_ticking_on_the_host_screen_signs_the_agreed_plan(tmp_path: Path) -> None:
    plan = await _tick_and_save(tmp_path, csm_draft(AGREE_STEP), "Priya Nair (partner) confirms this plan", 3)
    assert _signed(plan) == [
        ("Ana Ruiz", "employee", "host_screen"),
        ("Bo Li", "manager", "host_screen"),
        ("Priya Nair", "partner", "host_screen"),
    ]
    assert len({s.at for s in plan.sign_offs}) == 3  # each at the moment of its own tick


async def test_a_partner_ticking_on_the_host_screen_signs_the_review(tmp_path: Path) -> None:
    draft = csm_review_draft(
        1 + REVIEW_SECTIONS.index("sign_off"), partners=[DraftPartner(name="Priya Nair", function="sales")]
    )
    review = await _tick_and_save(tmp_path, draft, "Priya Nair (partner) signs", 3)
    assert review.status == "signed"
    assert _signed(review)[-1] == ("Priya Nair", "partner", "host_screen")


async def test_a_review_is_signed_without_the_partner(tmp_path: Path) -> None:
    draft = csm_review_draft(
        1 + REVIEW_SECTIONS.index("sign_off"), partners=[DraftPartner(name="Priya Nair", function="sales")]
    )
    review = await _tick_and_save(tmp_path, draft, "Priya Nair (partner) signs", 2)
    assert [role for _, role, _ in _signed(review)] == ["employee", "manager"]


async def test_a_check_in_records_whoever_confirmed_it(tmp_path: Path) -> None:
    draft = csm_checkin_draft(CHECKIN_STEPS.index("checkin_record"))
    partners = [p.name for p in draft.base.participants.partners]
    assert partners == ["Priya Nair"]  # the example plan's partner
    checkin = await _tick_and_save(tmp_path, draft, "Priya Nair (partner) confirms this check-in", 0)
    assert checkin.status == "recorded" and checkin.sign_offs == []  # optional at a check-in


async def test_a_check_in_confirmed_by_the_employee_only(tmp_path: Path) -> None:
    checkin = await _tick_and_save(
        tmp_path,
        csm_checkin_draft(CHECKIN_STEPS.index("checkin_record")),
        "Priya Nair (partner) confirms this check-in",
        1,
    )
    assert _signed(checkin) == [("Ana Ruiz", "employee", "host_screen")]


async def test_a_participants_final_step_leaves_confirmations_to_the_host(tmp_path: Path) -> None:
    """In a participant's app (helper D's, with `room_person`), a tick is an ask, never a write."""
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    save_draft(csm_draft(AGREE_STEP), sessions)
    app = ReviewApp(sessions, discover_rubrics(), clock=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        app.room_person = "employee"  # type: ignore[attr-defined]
        before = app.screen.draft
        app.screen.query_one("#employee_confirmed").focus()
        await pilot.press("space", "tab", "space")
        await pilot.pause()
        assert confirmations(app.screen.collect()) == confirmations(before)
        app.room_person = None  # type: ignore[attr-defined]
        assert app.screen.collect().employee_confirmed  # the host's own screen does write it


# Drafts keep who confirmed how, and who wrote what -----------------------------------------

_vias = st.sampled_from(["host_screen", "joined_terminal", "browser"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    vias=st.tuples(_vias, _vias, _vias),
    fields=st.lists(
        st.sampled_from(["reading", "comments", "feedback.0.observed", "objectives.1.owner"]), max_size=4
    ),
)
def test_a_draft_keeps_confirmations_and_contributions_through_save_and_load(
    tmp_path: Path, vias: tuple[str, str, str], fields: list[str]
) -> None:
    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("sign_off"))
    draft = confirmed_by(draft, "employee", "Ana Ruiz", "employee", True, FIRST, vias[0])
    draft = confirmed_by(draft, "manager", "Bo Li", "manager", True, LATER, vias[1])
    draft = confirmed_by(draft, "partner-1", "Priya Nair", "partner", True, LATER, vias[2])
    written = [DraftContribution(field=f, name="Ana Ruiz", role="employee", via=vias[0]) for f in fields]
    draft = draft.model_copy(update={"contributions": written})
    folder = tmp_path / str(abs(hash((vias, tuple(fields)))))
    folder.mkdir()
    save_draft(draft, folder)
    [path] = (folder / ".drafts").glob("*.toml")
    assert load_draft(path) == draft


def test_an_old_draft_without_the_new_keys_loads_and_saves_as_before(tmp_path: Path) -> None:
    old = csm_draft(AGREE_STEP, employee_confirmed=True, employee_confirmed_at=FIRST)
    save_draft(old, tmp_path)
    [path] = (tmp_path / ".drafts").glob("*.toml")
    text = path.read_text()
    assert "via" not in text and "partner_confirmations" not in text and "contributions" not in text
    assert load_draft(path) == old


async def test_a_confirmation_from_ones_own_screen_cannot_be_changed_on_the_hosts(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    own = confirmed_by(csm_draft(AGREE_STEP), "employee", "Ana Ruiz", "employee", True, FIRST, "browser")
    save_draft(own, sessions)
    app = ReviewApp(sessions, discover_rubrics(), clock=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        employee = app.screen.query_one("#employee_confirmed", Checkbox)
        assert employee.value and employee.disabled
        assert str(employee.label) == "Ana Ruiz confirms this plan · confirmed from their own browser"
        app.screen.query_one("#manager_confirmed").focus()
        await pilot.press("space")
        await pilot.pause()
        draft = app.screen.collect()
        assert (draft.employee_confirmed_at, draft.employee_confirmed_via) == (FIRST, "browser")
        assert draft.manager_confirmed_via == "host_screen"

        # The partner confirms from their terminal while the host is on this step: the host shows it.
        theirs = confirmed_by(draft, "partner-1", "Priya Nair", "partner", True, LATER, "joined_terminal")
        app.screen.show_confirmations(theirs)
        await pilot.pause()
        partner = app.screen.query_one("#partner-1_confirmed", Checkbox)
        assert partner.value and partner.disabled
        assert "confirmed from their own terminal" in str(partner.label)
        assert app.screen.collect().partner_confirmations == theirs.partner_confirmations
        # ...and takes it back from there: the box is free again, and a tick here is the host screen's.
        app.screen.show_confirmations(
            confirmed_by(theirs, "partner-1", "Priya Nair", "partner", False, LATER, "joined_terminal")
        )
        await pilot.pause()
        assert not partner.value and not partner.disabled
        assert app.screen.collect().partner_confirmations == []


def test_the_host_notes_each_field_a_participant_wrote_in_once() -> None:
    from reviewtui.session.contributions import with_written

    draft = csm_review_draft(1 + REVIEW_SECTIONS.index("employee_reading"))
    draft = with_written(draft, {"reading"}, "Ana Ruiz", "employee", "browser")
    again = with_written(draft, {"reading", "comments"}, "Ana Ruiz", "employee", "browser")
    again = with_written(again, {"reading"}, "Ana Ruiz", "employee", "browser")  # typing on: nothing new
    assert [(c.field, c.via) for c in again.contributions] == [
        ("comments", "browser"),
        ("reading", "browser"),
    ]
    assert with_written(again, {"comments"}, "Ana Ruiz", "employee", "browser") is again


def test_a_partners_parts_of_an_agreed_plan_are_found_in_the_record() -> None:
    written = [
        DraftContribution(field=field, name="Priya Nair", role="partner", via="browser")
        for field in ("impact_map.1.how", "partners.0.function", "metrics.at_risk_outreach.target", "nowhere")
    ]
    draft = with_confirmations(
        csm_draft(AGREE_STEP, contributions=written), {"employee": True, "manager": True}, FIRST
    )
    plan = agreed_session(draft, csm_rubric(), "f" * 64, LATER)
    outreach = next(i for i, m in enumerate(plan.metrics) if m.id == "at_risk_outreach")
    [entry] = plan.contributions
    assert entry.parts == ["impact_map.1", f"metrics.{outreach}", "participants.partners.0"]
    assert (
        "- Priya Nair (partner), from their own screen (browser): impact map row 2, "
        "metric Proactive outreach to at-risk accounts, partner 1"
    ) in record_markdown(plan, csm_rubric())

"""The guard: a participant's update is tried on a twin of the host's document first."""

from __future__ import annotations

import gc
import random
import statistics
import time
import weakref

import pytest
from pycrdt import Array, Doc, Map, Text

from factories import csm_review_draft
from reviewtui.models.draft import DraftRating, DraftResult
from reviewtui.room import guard
from reviewtui.room.guard import fields_changed, is_protected, refusal
from reviewtui.room.shared_draft import SharedDraft
from reviewtui.room.text_ops import push_edit


def _room() -> tuple[SharedDraft, SharedDraft]:
    """The host's SharedDraft and a participant's, in sync."""
    host = SharedDraft()
    host.load(csm_review_draft(2).model_dump(mode="json"))
    host.set_room(epoch="e1", host_step=2, closed=False, people=[], rubric={"id": "csm"})
    guest = SharedDraft(Doc())
    guest.doc.apply_update(host.doc.get_update())
    return host, guest


def _update_of(guest: SharedDraft, change) -> bytes:
    state = guest.doc.get_state()
    change()
    return guest.doc.get_update(state)


def _allowed_then_applied(host: SharedDraft, update: bytes) -> None:
    assert refusal(host, update) is None
    host.doc.apply_update(update)


def test_typing_in_a_field_is_allowed_and_named() -> None:
    host, guest = _room()
    reading = guest.text_at("reading")
    update = _update_of(guest, lambda: push_edit(reading, str(reading), str(reading) + " 漢字🙂"))
    assert refusal(host, update) is None
    assert fields_changed(host, update) == {"reading"}
    host.doc.apply_update(update)
    assert host.draft_data()["reading"].endswith(" 漢字🙂")


def test_rows_added_and_several_fields_are_named() -> None:
    host, guest = _room()
    data = guest.draft_data()
    data["feedback"].append({"source": "", "account": "Acme", "observed": "", "impact": "", "kind": ""})
    data["impact_map"][0]["how"] = "Risks get a plan within the week"
    data["comments"] = "Mine"
    update = _update_of(guest, lambda: guest.reconcile(data))
    assert refusal(host, update) is None
    assert fields_changed(host, update) == {"feedback", "impact_map.0.how", "comments"}


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (lambda g: g.draft.__setitem__("manager_confirmed", True), "may not change manager_confirmed"),
        (lambda g: g.draft.__setitem__("employee_confirmed", True), "may not change employee_confirmed"),
        (
            lambda g: g.draft.__setitem__("manager_confirmed_at", Text("2026-12-01T10:00:00Z")),
            "may not change manager_confirmed_at",
        ),
        (
            lambda g: g.draft.__setitem__("employee_confirmed_via", Text("browser")),
            "may not change employee_confirmed_via",
        ),
        (
            lambda g: g.draft["partner_confirmations"].append(Map({"name": Text("Priya Nair")})),
            "may not change partner_confirmations",
        ),
        (lambda g: push_edit(g.text_at("id"), str(g.text_at("id")), "0" * 32), "may not change id"),
        (lambda g: g.draft.__setitem__("kind", Text("check-in")), "may not change kind"),
        (lambda g: g.draft.__delitem__("follows"), "may not change follows"),
        (lambda g: g.draft["contributions"].append(Text("x")), "may not change contributions"),
        (lambda g: push_edit(g.text_at("created_at"), "2026", "1999"), "may not change created_at"),
        (lambda g: g.draft.__setitem__("base", 1), "may not change base"),
        (lambda g: g.room.__setitem__("closed", True), "may not change the room"),
        (lambda g: g.room.__setitem__("people", "[]"), "may not change the room"),
        (lambda g: g.doc.get("evil", type=Map).__setitem__("k", 1), "may change only the draft"),
    ],
)
def test_forged_writes_are_refused(forge, reason) -> None:
    host, guest = _room()
    if "partner_confirmations" not in guest.draft:  # the field helper C adds: the guard holds either way
        with guest.doc.transaction():
            guest.draft["partner_confirmations"] = Array()
            guest.draft["contributions"] = Array()
        host.doc.apply_update(guest.doc.get_update())
    update = _update_of(guest, lambda: forge(guest))
    assert refusal(host, update) == reason
    # refused updates are never applied: the host's document is as it was, and an allowed edit
    # right after goes through (the twin was made afresh)
    assert "evil" not in set(host.doc.keys()) and host.room_info()["closed"] is False
    fresh = SharedDraft(Doc())
    fresh.doc.apply_update(host.doc.get_update())
    comments = fresh.text_at("comments")
    _allowed_then_applied(host, _update_of(fresh, lambda: push_edit(comments, str(comments), "ok")))


def test_a_rows_identity_may_not_be_edited() -> None:
    host, guest = _room()
    metric_id = guest.draft_data()["metrics"][0]["id"]
    text = guest.text_at(f"metrics.{metric_id}.id")
    update = _update_of(guest, lambda: push_edit(text, str(text), "renamed"))
    assert refusal(host, update) == "may not change the identity of a row of metrics"
    rating = guest.draft["ratings"][0]
    update = _update_of(guest, lambda: rating.__setitem__("competency", Text("other")))
    assert refusal(host, update) == "may not change the identity of a row of ratings"


def test_a_stale_update_of_a_host_only_key_is_refused_even_when_the_value_is_the_same() -> None:
    # Writing the same value is still a write into host-only state (a new CRDT item): refused.
    host, guest = _room()
    update = _update_of(guest, lambda: guest.draft.__setitem__("manager_confirmed", False))
    assert refusal(host, update) == "may not change manager_confirmed"


def test_unreadable_updates_are_refused_without_a_traceback() -> None:
    host, guest = _room()
    good = _update_of(guest, lambda: push_edit(guest.text_at("reading"), str(guest.text_at("reading")), "x"))
    rng = random.Random(3)
    for junk in (b"", b"\x00", b"\xff" * 20, b"\x01" + random.Random(1).randbytes(64), good[:-3]):
        assert refusal(host, junk) == "sent an update that cannot be read"
    for _ in range(200):  # damaged copies of a real update: refused or harmless, never a crash
        damaged = bytearray(good)
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        reason = refusal(host, bytes(damaged))
        assert reason is None or reason.startswith("may ") or reason == "sent an update that cannot be read"
    assert refusal(host, b"\xff" * 20) == "sent an update that cannot be read"


def test_is_protected() -> None:
    assert is_protected("partner_confirmations") and is_protected("employee_confirmed_via")
    assert not is_protected("reading") and not is_protected("impact_map")
    # who is in the room, by name, is the host's: nobody renames themselves into someone else
    assert is_protected("partners") and is_protected("employee_name") and is_protected("manager_name")


@pytest.mark.parametrize("key", ["employee_name", "manager_name"])
def test_a_participant_renaming_a_person_of_the_room_is_refused(key: str) -> None:
    host, guest = _room()
    data = guest.draft_data()
    data[key] = "Someone Else"
    assert refusal(host, _update_of(guest, lambda: guest.reconcile(data))) == f"may not change {key}"


def test_a_participant_changing_the_partners_is_refused() -> None:
    host, guest = _room()
    data = guest.draft_data()
    data["partners"][0]["name"] = "Someone Else"
    assert refusal(host, _update_of(guest, lambda: guest.reconcile(data))) == "may not change partners"


def test_the_guard_costs_well_under_a_millisecond_per_keystroke_on_a_big_draft() -> None:
    # A review with 10 metrics and long texts: each keystroke's update is tried on the twin.
    draft = csm_review_draft(2)
    first = draft.metrics[0]
    extra = [
        first.model_copy(update={"id": f"metric_{n}", "definition": "Long definition " * 60})
        for n in range(10)
    ]
    draft = draft.model_copy(
        update={
            "metrics": extra,
            "results": [DraftResult(metric=m.id, actual="9", evidence="CRM 漢字 " * 100) for m in extra],
            "ratings": [
                DraftRating(competency=f"c{n}", level="3", evidence="Long 🙂 " * 200) for n in range(8)
            ],
            "reading": "A long reading. " * 600,
            "comments": "Comments " * 800,
        }
    )
    host = SharedDraft()
    host.load(draft.model_dump(mode="json"))
    guest = SharedDraft(Doc())
    guest.doc.apply_update(host.doc.get_update())
    refusal(host, b"")  # makes the twin (once per room)
    reading = guest.text_at("reading")
    times = []
    for n in range(300):
        old = str(reading)
        update = _update_of(guest, lambda old=old, n=n: push_edit(reading, old, old + "漢🙂"[n % 2]))
        start = time.perf_counter()
        assert refusal(host, update) is None
        times.append(time.perf_counter() - start)
        host.doc.apply_update(update)
        if n % 50 == 0:  # the host types too: the twin catches up with it
            comments = host.text_at("comments")
            push_edit(comments, str(comments), str(comments) + "h")
    median = statistics.median(times)
    print(f"guard per keystroke: median {median * 1e3:.3f} ms, max {max(times) * 1e3:.3f} ms")
    assert median < 0.002


def test_a_participant_reconciling_only_its_rows_never_trips_the_guard() -> None:
    # A partner's copy of the draft is taken, the host's tick arrives, the partner adds a row:
    # reconciling the whole stale copy would write the old confirmation back (refused), while
    # reconciling only the rows leaves the host's key alone.
    host, guest = _room()
    data = guest.draft_data()
    state = guest.doc.get_state()
    with host.doc.transaction(origin="host"):
        host.draft["manager_confirmed"] = True
    guest.doc.apply_update(host.doc.get_update(state))
    data["feedback"].append({"source": "survey", "account": "Acme", "observed": "", "impact": "", "kind": ""})
    careless = SharedDraft(Doc())
    careless.doc.apply_update(guest.doc.get_update())
    everything = _update_of(careless, lambda: careless.reconcile(data))
    assert refusal(host, everything) == "may not change manager_confirmed"
    rows_only = _update_of(guest, lambda: guest.reconcile(data, only={"feedback"}))
    assert refusal(host, rows_only) is None
    assert fields_changed(host, rows_only) == {"feedback"}
    host.doc.apply_update(rows_only)
    assert host.draft_data()["manager_confirmed"] is True
    assert host.draft_data()["feedback"][-1]["account"] == "Acme"


@pytest.mark.parametrize(
    "reshape",
    [
        lambda g: g.draft.__setitem__("metrics", Text("not a list")),
        lambda g: g.draft["feedback"].append(Map({"smuggled": Text("x")})),
        lambda g: g.draft["impact_map"][0].__setitem__("activity", 42),
        lambda g: g.draft.__setitem__("step", 999),
        lambda g: g.draft.__delitem__("updated_at"),
        lambda g: g.draft["metrics"].append(Map({"id": Text("Bad Id!")})),
    ],
)
def test_an_update_leaving_an_invalid_draft_is_refused(reshape) -> None:
    host, guest = _room()
    update = _update_of(guest, lambda: reshape(guest))
    assert refusal(host, update) == "may not make the draft invalid"


def test_a_paste_longer_than_a_draft_keeps_is_refused() -> None:
    host, guest = _room()
    reading = guest.text_at("reading")
    update = _update_of(guest, lambda: push_edit(reading, str(reading), "漢" * 20_001))
    assert refusal(host, update) == "may not make a field longer than 20,000 characters"


def test_a_row_added_costs_a_few_milliseconds_at_most() -> None:
    host, guest = _room()
    refusal(host, b"")
    times = []
    for n in range(20):
        data = guest.draft_data()
        data["feedback"].append(
            {"source": "", "account": f"Acct {n}", "observed": "", "impact": "", "kind": ""}
        )
        update = _update_of(guest, lambda data=data: guest.reconcile(data, only={"feedback"}))
        start = time.perf_counter()
        assert refusal(host, update) is None
        times.append(time.perf_counter() - start)
        host.doc.apply_update(update)
    print(f"guard per row added: median {statistics.median(times) * 1e3:.2f} ms")
    assert statistics.median(times) < 0.05


def test_the_twin_goes_with_its_room() -> None:
    host, _ = _room()
    refusal(host, b"")
    gone = weakref.ref(host)
    assert host in guard._twins
    del host
    gc.collect()
    assert gone() is None


def test_a_participant_cannot_add_or_change_the_reviews_experiments() -> None:
    # They are copies of the host's experiment log, pulled on the host's screen only.
    import datetime as dt

    from reviewtui.models.experiments import Experiment

    pulled = Experiment(
        id="0a1b2c3d4e5f",
        logged_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        title="Monday triage",
        hypothesis="A fixed triage halves the wait",
        change="Triage every Monday",
        started_on=dt.date(2026, 3, 2),
    )
    host = SharedDraft()
    host.load(csm_review_draft(2, experiments=[pulled]).model_dump(mode="json"))
    host.set_room(epoch="e1", host_step=2, closed=False, people=[], rubric={"id": "csm"})
    guest = SharedDraft(Doc())
    guest.doc.apply_update(host.doc.get_update())
    data = guest.draft_data()
    data["experiments"][0]["result"] = "It worked wonders"
    assert refusal(host, _update_of(guest, lambda: guest.reconcile(data))) == "may not change experiments"
    data = guest.draft_data()
    data["experiments"].append({**data["experiments"][0], "id": "5f4e3d2c1b0a"})
    assert refusal(host, _update_of(guest, lambda: guest.reconcile(data))) == "may not change experiments"

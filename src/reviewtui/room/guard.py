"""What a participant's update may not do, found by trying it on a twin of the host's document.

A participant's reviewtui can send any update at all, so the host never applies one before it
is tried: on a twin `Doc` kept in step with the host's, the update's effects are observed and
refused when they reach the `room` root (the host's alone: who is here, the rubric, the epoch),
add a root of their own, change a protected key of the draft (its identity, the sign-offs and
confirmations, who wrote what: the host writes these, on a participant's ask), change the
identity of an existing row (`metrics.<id>.id`), make a field longer than a draft keeps, leave
a draft that is no longer valid (checked when rows or values change, not on typing, which
cannot change the draft's shape), or cannot be read at all. An agenda topic's provenance (who
raised it, in which role, how, when, from which meeting) is the host's too: a participant may add
a topic only with it empty (the host fills it from the link it came through, see host.py) and
may never change it on an existing topic; the topics it adds are named in the fields it changed
(`agenda.<id>`).

The twin is kept per SharedDraft and caught up with the host's document by the difference of
their states before each try, so a keystroke's update costs its own size, not the draft's. A
refused update has reached the twin, so the twin is dropped and made afresh on the next try.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc, Map, Text

from ..checkins.agenda import PROVENANCE
from ..models.base import LONG_TEXT_MAX
from ..models.draft_json import draft_from_data
from .shared_draft import DRAFT_ROOT, ROOM_ROOT, ROW_IDENTITIES, SharedDraft, plain_value

PROTECTED_KEYS = frozenset(
    {
        *("id", "kind", "created_at", "draft_version", "base", "follows", "from_scratch"),
        *("employee_confirmed", "manager_confirmed", "partner_confirmations", "contributions"),
        # Who is in the room, by name: a link's person is the one the host named, so nobody can
        # rename themselves (or another) into someone else, or move a partner's row under another link.
        *("employee_name", "manager_name", "partners"),
        "rubric_id",  # the role: it decides the steps and the rubric everyone's screen is built on
        # What the employee and partners wrote before the review, as imported: shown, never edited.
        *("self_assessment", "partner_observations"),
        "experiments",  # copies of the host's experiment log, pulled on the host's screen only
    }
)
PROTECTED_SUFFIXES = ("_confirmed_at", "_confirmed_via")
AGENDA = "agenda"
_TOPIC_ID = re.compile(r"[0-9a-f]{12}")


def is_protected(key: str) -> bool:
    """True for a top-level draft key only the host writes."""
    return key in PROTECTED_KEYS or key.endswith(PROTECTED_SUFFIXES)


def _panic(error: BaseException) -> bool:
    # pycrdt's Rust side can panic on hostile bytes; pyo3 raises PanicException, a BaseException.
    return type(error).__name__ == "PanicException"


@dataclass
class _Twin:
    state: bytes  # the host document's, when the twin is made
    recording: bool = False
    reshaped: bool = False  # rows or values changed, not only texts: the draft is validated
    refusals: list[str] = field(default_factory=list)
    last: tuple[bytes, str | None, frozenset[str]] | None = None

    def __post_init__(self) -> None:
        self.doc = Doc()
        self.draft = self.doc.get(DRAFT_ROOT, type=Map)
        self.room = self.doc.get(ROOM_ROOT, type=Map)
        self.doc.apply_update(self.state)
        self.view = SharedDraft(self.doc)
        self.touched: set[str] = set()
        # Kept: a subscription whose object is collected stops firing.
        self._subscriptions = (
            self.draft.observe_deep(self._on_draft),
            self.room.observe_deep(self._on_room),
        )

    def _on_room(self, events: list[Any]) -> None:
        if self.recording and events:
            self.refusals.append("may not change the room")

    def _on_draft(self, events: list[Any]) -> None:
        if not self.recording:
            return
        self.touched |= self.view.keys_touched(events)
        for event in events:
            if not isinstance(event.target, Text):
                self.reshaped = True
            elif len(str(event.target)) > LONG_TEXT_MAX:
                self.refusals.append(f"may not make a field longer than {LONG_TEXT_MAX:,} characters")
            path = list(event.path)
            keys = list(event.keys) if isinstance(event.target, Map) else []
            top = [path[0]] if path else keys
            for key in top:
                if isinstance(key, str) and is_protected(key):
                    self.refusals.append(f"may not change {key}")
            identity = ROW_IDENTITIES.get(path[0]) if path else None
            if identity is None:
                continue
            if (len(path) == 3 and path[2] == identity and isinstance(event.target, Text)) or (
                len(path) == 2 and identity in keys
            ):
                self.refusals.append(f"may not change the identity of a row of {path[0]}")

    def attempt(self, shared: SharedDraft, update: bytes) -> tuple[str | None, frozenset[str]]:
        """Apply `update` to the twin: (why it is refused or None, the field keys it changed)."""
        if self.last is not None and self.last[0] == update:
            return self.last[1], self.last[2]
        self.doc.apply_update(shared.doc.get_update(self.doc.get_state()))  # catch up, unrecorded
        roots = set(self.doc.keys())
        topics_before = self._topics()
        self.refusals, self.touched, self.recording, self.reshaped = [], set(), True, False
        try:
            self.doc.apply_update(update)
        except ValueError:
            self.refusals.append("sent an update that cannot be read")
        except BaseException as error:
            if not _panic(error):
                raise
            self.refusals.append("sent an update that cannot be read")
        finally:
            self.recording = False
        if set(self.doc.keys()) - roots:
            self.refusals.append("may change only the draft")
        if not self.refusals and any(key.split(".")[0] == AGENDA for key in self.touched):
            self._check_topics(topics_before)
        if self.reshaped and not self.refusals:
            try:
                draft_from_data(self.view.draft_data())
            except ValueError:  # pydantic's ValidationError; its text would show the values
                self.refusals.append("may not make the draft invalid")
        reason = self.refusals[0] if self.refusals else None
        self.last = (update, reason, frozenset(self.touched))
        return reason, frozenset(self.touched)

    def _topics(self) -> list[Any]:
        rows = plain_value(self.draft.get(AGENDA)) if AGENDA in self.draft else []
        return rows if isinstance(rows, list) else []

    def _check_topics(self, before: list[Any]) -> None:
        """Who raised a topic is never the participant's to say (a new topic comes without it)."""
        known = {row.get("id"): row for row in before if isinstance(row, dict)}
        after = [row for row in self._topics() if isinstance(row, dict)]
        ids = [row.get("id") for row in after]
        if len(set(ids)) != len(ids):
            self.refusals.append("may not give two topics one id")
            return
        for row in after:
            old = known.get(row.get("id"))
            if old is not None:
                if _provenance(row) != _provenance(old):
                    self.refusals.append("may not change who raised a topic")
                    return
            elif not isinstance(row.get("id"), str) or not _TOPIC_ID.fullmatch(row["id"]):
                self.refusals.append("may add a topic only with a new id")
                return
            elif any(row.get(key) for key in PROVENANCE if key != "id"):
                self.refusals.append("may not say who raised a topic: the host does")
                return
            else:
                self.touched.add(f"{AGENDA}.{row['id']}")


def _provenance(row: dict[str, Any]) -> tuple[Any, ...]:
    """Who raised a topic, where and when; the time as an instant (`Z` or `+00:00` alike)."""
    values = [row.get(key) for key in PROVENANCE]
    at = PROVENANCE.index("raised_at")
    if isinstance(values[at], str):
        with contextlib.suppress(ValueError):  # not a time: compared as written
            values[at] = dt.datetime.fromisoformat(values[at])
    return tuple(values)


_twins: weakref.WeakKeyDictionary[SharedDraft, _Twin] = weakref.WeakKeyDictionary()
"""Each room's twin, gone with its SharedDraft (a twin holds no reference to it)."""


def _attempt(shared: SharedDraft, update: bytes) -> tuple[str | None, frozenset[str]]:
    twin = _twins.get(shared)
    if twin is None:
        twin = _twins[shared] = _Twin(shared.doc.get_update())
    reason, touched = twin.attempt(shared, update)
    if reason is not None:
        # The twin now holds what was refused: the next try starts from the host's document.
        # (The cached answer is kept, so asking again about the same update gives the same one.)
        fresh = _twins[shared] = _Twin(shared.doc.get_update())
        fresh.last = twin.last
    return reason, touched


def refusal(shared: SharedDraft, update: bytes) -> str | None:
    """Why a participant's `update` may not be applied to `shared` ("may not change the room",
    "may not change employee_confirmed", ...), or None when it is allowed."""
    return _attempt(shared, update)[0]


def fields_changed(shared: SharedDraft, update: bytes) -> set[str]:
    """The field keys `update` changes in the draft (`reading`, `partners.0.name`, `partners`)."""
    return set(_attempt(shared, update)[1])

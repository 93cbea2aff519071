"""The host's room journal beside the draft: kept, compacted, resumed, and hostile files refused."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from pycrdt import Doc

from factories import csm_review_draft
from reviewtui.errors import ReviewtuiError
from reviewtui.room.shared_draft import SharedDraft, resumed
from reviewtui.room.text_ops import push_edit
from reviewtui.storage.drafts import save_draft
from reviewtui.storage.room_journal import (
    MAGIC,
    MAX_JOURNAL_BYTES,
    RoomJournalError,
    frame,
    journal_path,
    open_journal,
    read_journal,
    remove_journal,
)

SECRET = "Ana's confidential reading 🙂"


def _hosted(sessions: Path) -> tuple[SharedDraft, str, str]:
    """A host's room on a saved review draft, journaled: (shared, draft id, sha of the draft file)."""
    draft = csm_review_draft(2).model_copy(update={"reading": SECRET})
    sha = save_draft(draft, sessions)
    shared = SharedDraft()
    shared.load(draft.model_dump(mode="json"))
    return shared, draft.id, sha


def _journaled(sessions: Path) -> tuple[SharedDraft, str, str]:
    shared, draft_id, sha = _hosted(sessions)
    journal = open_journal(sessions, draft_id)
    journal.compact(shared.doc.get_update(), sha)
    subscription = shared.doc.observe(lambda event: journal.append(event.update))
    for word in (" one", " 漢字", " 🙂"):
        text = shared.text_at("comments")
        push_edit(text, str(text), str(text) + word)
    del subscription
    journal.close()
    return shared, draft_id, sha


def test_a_killed_hosts_room_is_resumed_with_every_update(tmp_path: Path) -> None:
    shared, draft_id, sha = _journaled(tmp_path)
    back = resumed(tmp_path, draft_id, sha)
    assert back is not None
    assert back.draft_data() == shared.draft_data()
    assert back.draft_data()["comments"] == " one 漢字 🙂"
    path = journal_path(tmp_path, draft_id)
    assert path.parent.name == ".drafts" and stat.S_IMODE(path.stat().st_mode) == 0o600
    # a participant who kept its Doc merges with the resumed one without losing anything
    assert back.doc.get_state() == shared.doc.get_state()


def test_compaction_leaves_one_update_and_a_new_draft_version(tmp_path: Path) -> None:
    shared, draft_id, sha = _journaled(tmp_path)
    journal = open_journal(tmp_path, draft_id)
    journal.compact(shared.doc.get_update(), "f" * 64)
    journal.append(b"")  # appends go to the new file
    journal.close()
    assert read_journal(tmp_path, draft_id, sha) is None  # the journal continues another draft file now
    assert read_journal(tmp_path, draft_id, "f" * 64) == [shared.doc.get_update(), b""]


def test_no_journal_and_a_removed_one(tmp_path: Path) -> None:
    _, draft_id, sha = _journaled(tmp_path)
    assert read_journal(tmp_path, "0" * 32, sha) is None
    remove_journal(tmp_path, draft_id)
    remove_journal(tmp_path, draft_id)  # twice: nothing there is fine
    assert read_journal(tmp_path, draft_id, sha) is None
    assert resumed(tmp_path, draft_id, sha) is None


def test_append_before_the_journal_is_started_is_refused(tmp_path: Path) -> None:
    journal = open_journal(tmp_path, "ab" * 16)
    with pytest.raises(ReviewtuiError, match="compact it first"):
        journal.append(b"x")


def _assert_refused(error: ReviewtuiError, path: Path) -> None:
    text = str(error)
    assert path.name in text and ("remove" in text or "move it out" in text)
    assert SECRET not in text and "confidential" not in text and "Traceback" not in text


def _rewrite(path: Path, data: bytes) -> None:
    path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, data)
    os.close(fd)


def _damage_cases(raw: bytes, draft_id: str) -> dict[str, bytes]:
    header_end = len(MAGIC) + 8 + int.from_bytes(raw[len(MAGIC) : len(MAGIC) + 4], "big")
    flipped = bytearray(raw)
    flipped[-2] ^= 0xFF
    return {
        "cut short in an entry": raw[:-5],
        "cut short in a frame head": raw[: header_end + 3],
        "garbage": os.urandom(300),
        "no magic": raw[len(MAGIC) :],
        "a flipped byte": bytes(flipped),
        "no header": MAGIC,
        "header not json": MAGIC + frame(b"\xff{not json"),
        "header for another draft": MAGIC + frame(b'{"draft": "other", "draft_sha256": "x"}'),
        "text in place of bytes": SECRET.encode() * 3,
    }


@pytest.mark.parametrize(
    "case",
    [
        "cut short in an entry",
        "cut short in a frame head",
        "garbage",
        "no magic",
        "a flipped byte",
        "no header",
        "header not json",
        "header for another draft",
        "text in place of bytes",
    ],
)
def test_a_damaged_journal_is_named_with_what_to_do(tmp_path: Path, case: str) -> None:
    _, draft_id, sha = _journaled(tmp_path)
    path = journal_path(tmp_path, draft_id)
    _rewrite(path, _damage_cases(path.read_bytes(), draft_id)[case])
    with pytest.raises(RoomJournalError) as caught:
        read_journal(tmp_path, draft_id, sha)
    _assert_refused(caught.value, path)


def test_valid_frames_holding_garbage_updates_are_refused_by_the_room(tmp_path: Path) -> None:
    _, draft_id, sha = _journaled(tmp_path)
    path = journal_path(tmp_path, draft_id)
    header = frame(f'{{"draft": "{draft_id}", "draft_sha256": "{sha}"}}'.encode())
    for updates in (
        [b"\xff" * 40],
        [os.urandom(64)],
        [SECRET.encode()],
        [Doc().get_update()],  # readable, but no draft in it
    ):
        _rewrite(path, MAGIC + header + b"".join(frame(update) for update in updates))
        assert read_journal(tmp_path, draft_id, sha) == updates
        with pytest.raises(RoomJournalError) as caught:
            resumed(tmp_path, draft_id, sha)
        _assert_refused(caught.value, path)


def test_a_journal_of_another_draft_is_refused_by_the_room(tmp_path: Path) -> None:
    _, draft_id, sha = _journaled(tmp_path)
    other = SharedDraft()
    other.load(csm_review_draft(1).model_copy(update={"id": "e" * 32}).model_dump(mode="json"))
    path = journal_path(tmp_path, draft_id)
    header = frame(f'{{"draft": "{draft_id}", "draft_sha256": "{sha}"}}'.encode())
    _rewrite(path, MAGIC + header + frame(other.doc.get_update()))
    with pytest.raises(RoomJournalError, match="another draft"):
        resumed(tmp_path, draft_id, sha)


@pytest.mark.parametrize("where", ["outside the folder", "inside the folder"])
def test_a_symlink_in_place_of_the_journal_is_refused_and_never_followed(tmp_path: Path, where: str) -> None:
    shared, draft_id, sha = _journaled(tmp_path)
    path = journal_path(tmp_path, draft_id)
    target = tmp_path / ("elsewhere.room" if where == "outside the folder" else ".drafts/other.room")
    target.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(target)
    with pytest.raises(ReviewtuiError) as caught:
        read_journal(tmp_path, draft_id, sha)
    _assert_refused(caught.value, path)
    assert "symbolic link" in str(caught.value)
    with pytest.raises(ReviewtuiError, match="symbolic link"):
        open_journal(tmp_path, draft_id).compact(shared.doc.get_update(), sha)
    assert target.read_bytes().startswith(MAGIC) and path.is_symlink()
    remove_journal(tmp_path, draft_id)  # removes the link only
    assert not os.path.lexists(path) and target.exists()


def test_a_fifo_in_place_of_the_journal_is_refused_without_hanging(tmp_path: Path) -> None:
    shared, draft_id, sha = _journaled(tmp_path)
    path = journal_path(tmp_path, draft_id)
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(RoomJournalError) as caught:
        read_journal(tmp_path, draft_id, sha)
    _assert_refused(caught.value, path)
    assert "FIFO" in str(caught.value)
    with pytest.raises(ReviewtuiError, match="FIFO"):
        open_journal(tmp_path, draft_id).compact(shared.doc.get_update(), sha)


def test_an_oversized_journal_is_refused_unread(tmp_path: Path) -> None:
    _, draft_id, sha = _journaled(tmp_path)
    path = journal_path(tmp_path, draft_id)
    with path.open("r+b") as handle:
        handle.truncate(MAX_JOURNAL_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(RoomJournalError) as caught:
        read_journal(tmp_path, draft_id, sha)
    _assert_refused(caught.value, path)
    assert "larger than" in str(caught.value)


def test_the_journal_matches_the_draft_file_it_continues(tmp_path: Path) -> None:
    _, draft_id, sha = _journaled(tmp_path)
    on_disk = hashlib.sha256((tmp_path / ".drafts" / f"{draft_id}.toml").read_bytes()).hexdigest()
    assert on_disk == sha and read_journal(tmp_path, draft_id, on_disk) is not None

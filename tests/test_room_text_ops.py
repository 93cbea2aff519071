"""Text edits between a widget's str and a pycrdt Text (UTF-8 byte offsets in pycrdt 0.14)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map, Text

from reviewtui.room.text_ops import apply_delta, moved_cursor, push_edit, splice

# What people type in a review, at its hardest: accents, CJK, emoji (4 UTF-8 bytes, and ZWJ
# sequences of several characters), combining marks, line breaks.
_pieces = st.sampled_from(
    ["a", "Z", " ", "é", "e\u0301", "漢", "字", "🙂", "👩‍💻", "ß", "\n", "\r\n", "\t", "ы"]
)
typed = st.lists(_pieces, max_size=30).map("".join)


def _text_doc(value: str) -> tuple[Doc, Text]:
    doc = Doc()
    fields = doc.get("fields", type=Map)
    with doc.transaction():
        fields["comment"] = Text(value)
    return doc, fields["comment"]


def test_offsets_are_utf8_bytes_in_this_pycrdt() -> None:
    # The reason text_ops exists: if a pycrdt upgrade makes offsets characters, this fails first.
    _, text = _text_doc("a🙂bé漢c")
    assert len(text) == len("a🙂bé漢c".encode())


def test_splice_keeps_the_common_prefix_and_suffix() -> None:
    assert splice("héllo wörld", "héllo big wörld") == (6, 6, "big ")
    assert splice("abc", "abc") == (3, 3, "")
    assert splice("aaa", "aa") == (2, 3, "")
    assert splice("", "🙂") == (0, 0, "🙂")


def test_push_edit_after_an_emoji_lands_where_the_user_typed() -> None:
    _, text = _text_doc("a🙂b")
    push_edit(text, "a🙂b", "a🙂Xb")
    assert str(text) == "a🙂Xb"
    push_edit(text, "a🙂Xb", "a🙂b")
    assert str(text) == "a🙂b"


def test_push_edit_is_one_splice() -> None:
    doc, text = _text_doc("the quick 🦊 jumps")
    updates: list[bytes] = []
    subscription = doc.observe(lambda event: updates.append(event.update))
    push_edit(text, "the quick 🦊 jumps", "the quick brown 🦊 jumps")
    push_edit(text, "the quick brown 🦊 jumps", "the quick brown 🦊 jumps")  # no change: nothing sent
    assert len(updates) == 1 and str(text) == "the quick brown 🦊 jumps"
    del subscription


@settings(max_examples=300, deadline=None)
@given(st.lists(typed, min_size=2, max_size=8))
def test_a_remote_copy_follows_every_edit_through_its_deltas(values: list[str]) -> None:
    local, text = _text_doc(values[0])
    remote = Doc()
    remote_fields = remote.get("fields", type=Map)
    remote.apply_update(local.get_update())
    remote_text = remote_fields["comment"]
    mirror = [str(remote_text)]
    cursor = [len(mirror[0])]

    def follow(event) -> None:
        cursor[0] = moved_cursor(mirror[0], event.delta, cursor[0])
        mirror[0] = apply_delta(mirror[0], event.delta)

    subscription = remote_text.observe(follow)
    for old, new in itertools.pairwise(values):
        state = remote.get_state()
        push_edit(text, old, new)
        assert str(text) == new
        remote.apply_update(local.get_update(state))
        assert mirror[0] == str(remote_text) == new
        assert 0 <= cursor[0] <= len(new)
    del subscription


def _delta_of(old: str, new: str) -> list[dict]:
    _doc, text = _text_doc(old)
    deltas: list = []
    subscription = text.observe(lambda event: deltas.append(event.delta))
    push_edit(text, old, new)
    del subscription
    return deltas[0] if deltas else []


def test_moved_cursor_after_a_remote_insert_and_delete() -> None:
    old = "漢字 🙂 tail"
    # An insert before the cursor (the cursor sits after "tail"'s "t") pushes it right.
    insert = _delta_of(old, "漢字 new 🙂 tail")
    assert moved_cursor(old, insert, old.index("t") + 1) == old.index("t") + 1 + len("new ")
    # At the cursor too: the remote typist's text lands before the local one's.
    assert moved_cursor(old, insert, 3) == 3 + len("new ")
    # After the cursor: it stays.
    assert moved_cursor(old, insert, 1) == 1
    # A delete before the cursor pulls it left; one spanning it leaves it at the deletion.
    delete = _delta_of(old, "漢 tail")
    assert moved_cursor(old, delete, len(old)) == len("漢 tail")
    assert moved_cursor(old, delete, 3) == 1
    assert moved_cursor(old, delete, 0) == 0


def test_two_typists_in_one_text_keep_every_character_in_their_own_order() -> None:
    host, host_text = _text_doc("")
    guest = Doc()
    guest_fields = guest.get("fields", type=Map)
    guest.apply_update(host.get_update())
    guest_text = guest_fields["comment"]
    # Disjoint characters, so each typist's own text can be read back out of the merge.
    manager, employee = "manager·types·漢字·é", "EMPLOYEE_TYPES_🙂_Ω"
    assert not set(manager) & set(employee)
    for step in range(max(len(manager), len(employee))):
        for text, words in ((host_text, manager), (guest_text, employee)):
            if step < len(words):
                old = str(text)
                # each typist types at the end of their own text, as the cursor would be
                push_edit(text, old, old + words[step])
        if step % 3 == 2:
            host_state, guest_state = host.get_state(), guest.get_state()
            host.apply_update(guest.get_update(host_state))
            guest.apply_update(host.get_update(guest_state))
    host.apply_update(guest.get_update(host.get_state()))
    guest.apply_update(host.get_update(guest.get_state()))
    merged = str(host_text)
    assert merged == str(guest_text)
    assert sorted(merged) == sorted(manager + employee)
    for words, others in ((manager, set(employee)), (employee, set(manager))):
        # each typist's characters, read in order out of the merged text, are what they typed
        assert "".join(ch for ch in merged if ch not in others) == words

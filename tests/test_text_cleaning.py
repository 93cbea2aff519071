"""Text cleaning drops exactly Unicode's control and surrogate characters, keeping tabs (and newlines in long text)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reviewtui.models.base import _drop_control_chars


def _by_category(text: str, keep: str) -> str:
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) not in ("Cc", "Cs"))


@given(
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60),
    st.sampled_from(["\t", "\t\n"]),
)
def test_the_fast_cleaner_agrees_with_unicode_categories(text: str, keep: str) -> None:
    assert _drop_control_chars(text, keep) == _by_category(text, keep)


def test_every_control_and_surrogate_code_point_is_covered() -> None:
    everything = "".join(chr(code) for code in range(0x10000))
    for keep in ("\t", "\t\n"):
        assert _drop_control_chars(everything, keep) == _by_category(everything, keep)

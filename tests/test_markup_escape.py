"""The UI's markup `escape` shows any text exactly as written, whatever markup is around it.

Textual 8's parser reads every `[` not preceded by a backslash as the start of a tag, so `[0m`,
`[31m` (what a pasted ANSI colour code leaves once its ESC is stripped), `[$error]` or `[ b]`
taken as tags garbled the text, and a later `[/]` in the same markup raised MarkupError.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from textual.content import Content

from reviewtui.shown import terminal_text
from reviewtui.ui.shown_markup import escape, markup_message, markup_path, markup_text

WORD_JOINER = "\u2060"

# (markup before, its plain text, markup after, its plain text): real tags, closing ones too.
SURROUNDINGS = [
    ("", "", "", ""),
    ("[b]", "", "[/b]", ""),
    ("  ", "  ", "\n    [i]Notes: x.[/]", "\n    Notes: x."),
    ("[b]Agenda for ", "Agenda for ", "[/]: open topics", ": open topics"),
    ("[dim]• ", "• ", "[/] [i]more[/i] [$accent]★[/]", " more ★"),
    ("[i][b]", "", "[/b][/i]", ""),
    ("[@click=app.quit]", "", "[/]", ""),
]

EXAMPLES = [
    "[0m",
    "[0m x",
    "[1m",
    "[31m",
    "[0;31m",
    "esc [31mRED[0m code",
    "Pasted log line [0m reset",
    "[red]x[/]",
    "[/]",
    "[/b]",
    "[b]",
    "[Bold]x",
    "[ 1]",
    "[ b]x",
    "[@click=app.quit]x[/]",
    "[$error]",
    "[#ff0000]x",
    "[]",
    "[[b]x[/b]",
    "]",
    "\\",
    "\\\\",
    "a\\",
    "a\\\\",
    "\\[",
    "\\[b]x",
    "\\\\[b]x[/b]",
    "x\\[0m",
    "C:\\temp\\",
    "$name",
    "line\n[b]next[/]\t",
]

# What the markup parser treats specially, and enough else to make text around it.
MARKUPISH = st.text(
    alphabet=st.sampled_from(list("[]\\/=@$#;.,:() \n\t") + list("0123456789") + list("abmrBRZ_-"))
)


def shown(markup: str) -> str:
    return Content.from_markup(markup).plain


def expected(text: str) -> str:
    """What `escape` shows of text: controls escaped, a trailing backslash followed by a word joiner."""
    text = terminal_text(text)
    return text + WORD_JOINER if text.endswith("\\") else text


@pytest.mark.parametrize("text", EXAMPLES)
@pytest.mark.parametrize(("before", "before_plain", "after", "after_plain"), SURROUNDINGS)
def test_examples_show_literally(
    text: str, before: str, before_plain: str, after: str, after_plain: str
) -> None:
    assert shown(before + escape(text) + after) == before_plain + expected(text) + after_plain


@pytest.mark.parametrize("text", EXAMPLES)
def test_styles_around_stay_put(text: str) -> None:
    """The tags around the text style exactly the text: none is opened or closed inside it."""
    content = Content.from_markup("[b]" + escape(text) + "[/b] [i]tail[/]")
    length = len(expected(text))
    spans = sorted((span.start, span.end, span.style) for span in content.spans)
    want = [(0, length, "b")] if length else []
    assert spans == [*want, (length + 1, length + 5, "i")]


@given(text=MARKUPISH | st.text(), surrounding=st.sampled_from(SURROUNDINGS))
@example(text="[0m", surrounding=SURROUNDINGS[2])
@example(text="[31mRED[0m", surrounding=SURROUNDINGS[1])
@example(text="a\\", surrounding=SURROUNDINGS[3])
@example(text="\\[", surrounding=SURROUNDINGS[1])
def test_any_text_shows_literally(text: str, surrounding: tuple[str, str, str, str]) -> None:
    before, before_plain, after, after_plain = surrounding
    assert shown(before + escape(text) + after) == before_plain + expected(text) + after_plain


@given(texts=st.lists(MARKUPISH, min_size=1, max_size=4))
def test_many_escaped_texts_in_one_markup(texts: list[str]) -> None:
    markup = " · ".join(f"[b]{escape(text)}[/] [dim]{escape(text)}[/dim]" for text in texts)
    plain = " · ".join(f"{expected(text)} {expected(text)}" for text in texts)
    assert shown(markup) == plain


@given(text=MARKUPISH | st.text())
def test_the_other_helpers_escape_markup_too(text: str) -> None:
    for helper in (markup_text, markup_path, markup_message):
        markup = "[b]" + helper(text) + "[/] [i]x[/]"
        shown_here = shown(markup)
        assert shown_here.endswith(" x")
        assert shown_here.removesuffix(" x").removesuffix(WORD_JOINER).count("[") == text.count("[")


def test_trailing_backslash_does_not_escape_the_next_tag() -> None:
    content = Content.from_markup("[b]" + escape("C:\\") + "[/] [i]y[/]")
    assert content.plain == "C:\\" + WORD_JOINER + " y"
    assert sorted((span.start, span.end, span.style) for span in content.spans) == [(0, 4, "b"), (5, 6, "i")]

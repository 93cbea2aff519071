"""The key-to-line scanner that lets every validation error name a line."""

from __future__ import annotations

from reviewtui.storage.keylines import key_lines, line_for

DOCUMENT = '''\
id = "x"  # a comment with [brackets]
title = """multi
[[not_a_table]]
line"""
[[metrics]]
id = "a"
bands = { basis = "p", thresholds = [1, 2,
  3] }
[[metrics]]
id = 'b'
prompts = [
  "one",  # [x]
  "two",
]
[[metrics.actuals]]
value = 1
[[metrics.actuals]]
value = 2
[scoring]
a.b = 2
'''


def test_keys_tables_and_elements_get_their_lines() -> None:
    lines = key_lines(DOCUMENT)
    assert lines[("id",)] == 1
    assert lines[("title",)] == 2
    assert ("not_a_table",) not in lines
    assert lines[("metrics", 0)] == 5
    assert lines[("metrics", 0, "bands", "thresholds", 2)] == 8
    assert lines[("metrics", 1, "id")] == 10
    assert lines[("metrics", 1, "prompts", 1)] == 13
    assert lines[("metrics", 1, "actuals", 1, "value")] == 18
    assert lines[("scoring", "a", "b")] == 20


def test_missing_keys_fall_back_to_the_enclosing_table() -> None:
    lines = key_lines(DOCUMENT)
    assert line_for(lines, ("metrics", 1, "unit")) == 9
    assert line_for(lines, ("metrics", 1, "actuals", 0, "as_of")) == 15
    assert line_for(lines, ("nowhere",)) is None


def test_scanner_survives_text_it_does_not_understand() -> None:
    assert key_lines("= = [[[ '''") is not None

"""Shared building blocks for the rubric and record formats."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .text_checks import TEXT_CONFLICT_ADVICE, conflict_marker_lines, is_blank

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 20_000

_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


# Unicode's control (Cc) and surrogate (Cs) characters, tab kept, and newline kept for long text.
# One regex instead of a category lookup per character: validation was 60-70% this loop.
_CONTROL_CHARS = {
    "\t": re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]"),
    "\t\n": re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]"),
}


def _drop_control_chars(text: str, keep: str) -> str:
    # Pasted terminal escapes and NULs carry no meaning in a review and break
    # some editors; tabs and (for long text) newlines are the only controls kept.
    return _CONTROL_CHARS[keep].sub("", text)


def clean_line(value: Any) -> Any:
    """Single-line text: no control characters, no newlines, no outer spaces."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    value = _drop_control_chars(value, "\t").strip()
    # Only format and space characters (a zero-width space, a direction mark) show nothing: empty.
    return "" if is_blank(value) else value


def clean_text(value: Any) -> Any:
    """Multi-line text: Unix newlines, no trailing spaces, no control characters."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _drop_control_chars(value, "\t\n")
    # Lines of zero-width spaces and direction marks show nothing either: such text is empty,
    # so a required text (an evidence entry) made only of them is refused like an empty one.
    return "" if is_blank(value) else _TRAILING_SPACE.sub("", value).strip("\n")


def _no_conflict_markers(value: str) -> str:
    # A record whose text still holds a merge conflict is not what anyone agreed or signed.
    if conflict_marker_lines(value):
        raise ValueError(TEXT_CONFLICT_ADVICE)
    return value


def _finite_decimal(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    if value and value.adjusted() >= 15:
        raise ValueError("is too large; numbers here stay below 10^15")
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        raise ValueError("has more than 6 decimal places")
    # -0 is read back from TOML as 0, so store it as 0 to keep saves stable.
    return value.copy_abs() if value.is_zero() else value


def _plain_timestamp(value: dt.datetime) -> dt.datetime:
    # Whole seconds and a fixed offset in whole minutes: what TOML can write and
    # a person can read. Historic zone offsets with seconds fall back to UTC.
    offset = value.utcoffset() or dt.timedelta(0)
    if offset.seconds % 60 == 0:
        # The same instant under a fixed offset; astimezone() would go through UTC
        # and overflow at the ends of the calendar (0001-01-01T00:00:00+23:59).
        return value.replace(tzinfo=dt.timezone(offset), microsecond=0)
    try:
        return value.astimezone(dt.UTC).replace(microsecond=0)
    except OverflowError:
        raise ValueError("is too close to the year 1 or 9999 to be converted to UTC") from None


Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=64)]
"""A short identifier: lower-case letters, digits, '-' and '_'."""

Name = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=SHORT_TEXT_MAX)]
"""One line of text that must not be empty (names, titles, labels)."""

Line = Annotated[str, BeforeValidator(clean_line), Field(max_length=SHORT_TEXT_MAX)]
"""One line of text that may be empty."""

Text = Annotated[
    str, BeforeValidator(clean_text), Field(max_length=LONG_TEXT_MAX), AfterValidator(_no_conflict_markers)
]
"""Free text that may span several lines and may be empty."""


def _number_input(value: Any) -> Any:
    # Lax decimals would take "95" (a string) for a number; TOML users mean a string.
    if isinstance(value, (str, bool)):
        raise PydanticCustomError("decimal_type", "Decimal input should be a number")
    return value


NUMBER_LIMIT = 10**15

Number = Annotated[
    Decimal,
    Field(strict=False, allow_inf_nan=False),
    BeforeValidator(_number_input),
    AfterValidator(_finite_decimal),
    # What the validation takes, not pydantic's lax-decimal schema (which also allows a string).
    WithJsonSchema({"type": "number", "exclusiveMinimum": -NUMBER_LIMIT, "exclusiveMaximum": NUMBER_LIMIT}),
]
"""An exact decimal number; TOML integers and floats are both read exactly."""

Timestamp = Annotated[AwareDatetime, AfterValidator(_plain_timestamp)]
"""A date and time with its UTC offset, to the second."""

Weight = Annotated[int, Field(ge=0, le=100)]
"""A whole number of percentage points, 0 to 100."""


class Model(BaseModel):
    """Base of every format model: unknown keys are errors, docstrings document fields.

    Field docstrings reach `reviewtui schema` through `reviewtui.record.schema`, read from the
    source only then (pydantic's `use_attribute_docstrings` reads it at every start).
    """

    # Strict: a quoted "95" or "2026-07-01" is a string in TOML and must not
    # pass for a number or a date; numbers opt back in to ints and floats.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        validate_default=True,
    )


class Problems(ValueError):
    """Several problems found by a model's own checks, each at a key path.

    Raised from model validators so that pydantic reports them; storage unpacks
    the list to point at each key and line instead of at the whole table.
    """

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def duplicates(values: list[str]) -> list[int]:
    """Positions of values already seen earlier in the list."""
    seen: set[str] = set()
    repeated = []
    for index, value in enumerate(values):
        if value in seen:
            repeated.append(index)
        seen.add(value)
    return repeated

"""Validation errors in TOML words, pointing at a key and a line, never echoing values."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import LoadError, Problem
from ..models.base import ID_PATTERN, Problems
from ..models.settings import KEYS_PATTERN
from ..shown import shown_text
from .keylines import Path, key_lines, line_for
from .tomlfile import TomlDocument

M = TypeVar("M", bound=BaseModel)

_TABLE = "must be a table"
_NUMBER = "must be a number"
_WHOLE = "must be a whole number"
_DATE = "must be a date such as 2026-07-01 (written without quotes)"
_DATETIME = "must be a date and time with its UTC offset, such as 2026-07-01T09:30:00+02:00 (without quotes)"

_BY_TYPE = {
    "model_type": _TABLE,
    "model_attributes_type": _TABLE,
    "dict_type": _TABLE,
    "list_type": "must be an array",
    "tuple_type": "must be an array",
    "string_type": "must be a string (text in quotes)",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": "must be a finite number",
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_from_datetime_parsing": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "timezone_aware": "needs a UTC offset (such as +02:00 or Z) after the time",
}

_PATTERNS = {
    KEYS_PATTERN: "must be a key as Textual names it (such as `ctrl+k`, `f2` or `p`), or several separated by commas",
    ID_PATTERN: "must be a short id: lower-case letters, digits, '-' or '_', starting with a letter or digit",
    r"^[0-9a-f]{32}$": "must be 32 lower-case hexadecimal digits",
    r"^[0-9a-f]{64}$": "must be 64 lower-case hexadecimal digits (a SHA-256)",
    r"^[0-9a-f]{12}$": "must be 12 lower-case hexadecimal digits",
}


_SHOWN_KEY_MAX = 40


def shown_key(key: str) -> str:
    """A key from a file as a message may show it on a terminal.

    A quoted TOML key can hold anything: escape sequences that would rewrite the
    screen, newlines that would split the `path:line:` report, bidirectional
    overrides that make it read backwards, thousands of characters. Those
    characters are shown escaped (`\\x1b`, `\\u202e`, by `shown.shown_text`) and a long key is cut.
    """
    if not key:
        return '""'
    text = shown_text(key)
    return text if len(text) <= _SHOWN_KEY_MAX else text[: _SHOWN_KEY_MAX - 1] + "…"


def dotted(path: Path) -> str:
    """`("metrics", 2, "weight")` as `metrics[2].weight`."""
    text = ""
    for part in path:
        shown = f"[{part}]" if isinstance(part, int) else shown_key(str(part))
        text += shown if isinstance(part, int) or not text else f".{shown}"
    return text or "(top level)"


def toml_kind(value: Any) -> str:
    """The TOML name of a value's type, to say what was found without showing it."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, (float, Decimal)):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, (dt.date, dt.time)):
        return "a date or time"
    return "a value of another type"


def _unwrap(annotation: Any) -> Any:
    """`Annotated[X, ...]` and `X | None` as plain `X`."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(options) == 1:
                annotation = options[0]
                continue
        return annotation


def _model_at(model: type[BaseModel], path: Path) -> type[BaseModel] | None:
    annotation: Any = model
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            if typing.get_origin(annotation) is not list:
                return None
            annotation = typing.get_args(annotation)[0]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            if field is None:
                return None
            annotation = field.annotation
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _known_keys(model: type[BaseModel], path: Path) -> list[str]:
    owner = _model_at(model, path[:-1])
    return list(owner.model_fields) if owner else []


def _suggestion(model: type[BaseModel], path: Path) -> str | None:
    close = difflib.get_close_matches(str(path[-1]), _known_keys(model, path), n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_key(model: type[BaseModel], path: Path) -> str:
    key = shown_key(str(path[-1]))
    close = _suggestion(model, path)
    if close:
        return f"unknown key `{key}`; did you mean `{close}`?"
    known = _known_keys(model, path)
    if known:
        return f"unknown key `{key}`; this table accepts: {', '.join(known)}"
    return f"unknown key `{key}`; remove it"


def _message(model: type[BaseModel], error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    path = tuple(error["loc"])
    found = f", found {toml_kind(error.get('input'))}"
    if kind == "missing":
        if _model_at(model, path) is not None:
            return f"missing table `[{dotted(path)}]`; add it"
        return f"missing key `{path[-1]}`; add it to this table" if path else "missing a required key"
    if kind == "extra_forbidden":
        return _unknown_key(model, path)
    if kind in _BY_TYPE:
        message = _BY_TYPE[kind]
        return message + found if kind.endswith("_type") else message
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(ctx.get("pattern")), "does not have the expected form")
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters; shorten it"
    if kind == "too_short" and isinstance(error.get("input"), str):
        return "must not be empty"
    if kind == "too_long" and isinstance(error.get("input"), str):
        return f"is longer than {ctx.get('max_length')} characters; shorten it"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} entr{'y' if ctx.get('min_length') == 1 else 'ies'}"
    if kind == "too_long":
        return f"has more than {ctx.get('max_length')} entries"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind == "value_error":
        return str(ctx.get("error", "is not valid"))
    # pydantic's own wording names the rule, never the input.
    return str(error.get("msg", "is not valid")).lower()


def problems_from(model: type[BaseModel], error: ValidationError, lines: dict[Path, int]) -> list[Problem]:
    """Turn a pydantic ValidationError into problems with keys and lines, sorted by line."""
    problems: list[Problem] = []
    errors = error.errors(include_url=False, include_input=True)
    # A misspelt key is reported once, as unknown with a suggestion, not also as missing.
    suggested = {
        (*item["loc"][:-1], close)
        for item in errors
        if item["type"] == "extra_forbidden" and (close := _suggestion(model, tuple(item["loc"])))
    }
    for item in errors:
        path = tuple(item["loc"])
        if item["type"] == "missing" and path in suggested:
            continue
        cause = (item.get("ctx") or {}).get("error")
        if item["type"] == "value_error" and isinstance(cause, Problems):
            for inner, message in cause.problems:
                full = (*path, *inner)
                problems.append(Problem(message, line_for(lines, full) or 1, dotted(full)))
            continue
        line = line_for(lines, path) or 1
        problems.append(Problem(_message(model, item), line, dotted(path)))
    problems.sort(key=lambda problem: problem.line or 0)
    return problems


def field_problems(model: type[BaseModel], error: ValidationError) -> list[str]:
    """`key.path: message` for each problem, in the same words as for files; never the values."""
    lines = [
        f"{dotted((*tuple(item['loc']), *inner))}: {message}"
        for item in error.errors(include_url=False, include_input=True)
        if isinstance(cause := (item.get("ctx") or {}).get("error"), Problems)
        for inner, message in cause.problems
    ]
    lines += [
        f"{dotted(tuple(item['loc']))}: {_message(model, item)}"
        for item in error.errors(include_url=False, include_input=True)
        if not isinstance((item.get("ctx") or {}).get("error"), Problems)
    ]
    return lines


def validated(model: type[M], document: TomlDocument) -> M:
    """A parsed document as `model`, or a LoadError naming every problem with its key and line."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        raise LoadError(document.path, problems_from(model, error, key_lines(document.text))) from None

"""The JSON Schema of the formats, with each field's docstring as its description.

Field docstrings are read from the models' source only when a schema is asked for: having
pydantic read every model's source at import (`use_attribute_docstrings`) cost about a third
of the app's start-up.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from typing import Any

from pydantic import BaseModel

from ..models.base import Model

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def attribute_docs(cls: type) -> dict[str, str]:
    """`{field: docstring}` for the string literals written right under a class's annotated fields."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):  # no source (a frozen install): schema without them
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs = {}
    for node, following in itertools.pairwise(body):
        documented = (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        )
        if documented:
            docs[node.target.id] = inspect.cleandoc(following.value.value)  # type: ignore[union-attr]
    return docs


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _describe(definition: dict[str, Any], cls: type) -> None:
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):  # a subclass's docstring wins over its base's
        if issubclass(klass, BaseModel) and klass not in (BaseModel, Model):
            docs |= attribute_docs(klass)
    for field, prop in definition.get("properties", {}).items():
        if field in docs:
            prop.setdefault("description", docs[field])


# A TOML language server (Taplo, Even Better TOML) hands a TOML date to the schema as its text,
# so a quoted "2026-07-01" looks the same to the schema; `validate` refuses it. Say so where it helps.
_UNQUOTED = {
    "date": "Written as a TOML date, not in quotes: 2026-07-01.",
    "date-time": "Written as a TOML date and time with its UTC offset, not in quotes: 2026-07-01T09:30:00+02:00.",
}


def _formats(prop: dict[str, Any]) -> set[str]:
    options = [
        prop,
        *prop.get("anyOf", []),
        *([prop["items"]] if isinstance(prop.get("items"), dict) else []),
    ]
    return {option["format"] for option in options if option.get("format") in _UNQUOTED}


def _say_unquoted(definition: dict[str, Any]) -> None:
    for prop in definition.get("properties", {}).values():
        for fmt in sorted(_formats(prop)):
            prop["description"] = f"{prop.get('description', '')} {_UNQUOTED[fmt]}".strip()


def json_schema(model: type[Model]) -> dict[str, Any]:
    """The model's JSON Schema (validation mode) with a description on every documented field.

    Validation mode with the models' strict types: a number is `type: number` (never a string),
    a date `format: date` and a date-time `format: date-time`, which is how Taplo checks TOML dates.
    """
    schema = model.model_json_schema(mode="validation")
    classes = {cls.__name__: cls for cls in _subclasses(Model)}
    _describe(schema, model)
    _say_unquoted(schema)
    for name, definition in schema.get("$defs", {}).items():
        if name in classes:
            _describe(definition, classes[name])
        _say_unquoted(definition)
    return {"$schema": DIALECT, **schema}

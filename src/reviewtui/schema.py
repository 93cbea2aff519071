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

from .models.base import Model

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


def json_schema(model: type[Model]) -> dict[str, Any]:
    """The model's JSON Schema (validation mode) with a description on every documented field."""
    schema = model.model_json_schema(mode="validation")
    classes = {cls.__name__: cls for cls in _subclasses(Model)}
    _describe(schema, model)
    for name, definition in schema.get("$defs", {}).items():
        if name in classes:
            _describe(definition, classes[name])
    return {"$schema": DIALECT, **schema}

"""A draft from its JSON data (`model_dump(mode="json")`), as the live shared session holds it.

The models are strict: a JSON string is no date, and a figure (an exact Decimal, which JSON
mode writes as a string so that nothing is rounded) must be a number. So the data is revived
first, led by the model's own field types: the strings of Decimal, datetime and date fields
become those values again, exactly, and the strict model then validates them as it validates a
record read from TOML. Anything that is not what its field expects is left for validation to
name.
"""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel

from .draft import AlignmentDraft, CheckinDraft, ReviewDraft

_DRAFT_KINDS: dict[str, type[AlignmentDraft]] = {"review": ReviewDraft, "check-in": CheckinDraft}


def draft_model_of(data: dict[str, Any]) -> type[AlignmentDraft]:
    """The draft model for this data, by its `kind` (as a draft file is read; none: alignment)."""
    kind = data.get("kind")
    return _DRAFT_KINDS.get(kind, AlignmentDraft) if isinstance(kind, str) else AlignmentDraft


def _revived_scalar(annotation: Any, value: str) -> Any:
    try:
        if annotation is Decimal:
            return Decimal(value)
        if annotation in (dt.datetime, AwareDatetime):
            return dt.datetime.fromisoformat(value)
        if annotation is dt.date:
            return dt.date.fromisoformat(value)
    except (ValueError, InvalidOperation):
        pass  # validation names it
    return value


def revived(annotation: Any, value: Any) -> Any:
    """`value` (JSON data) with the strings of Decimal, datetime and date fields made those values."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return revived(get_args(annotation)[0], value)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        for option in get_args(annotation):
            if option is not type(None) and (found := revived(option, value)) is not value:
                return found
        return value
    if origin is list and isinstance(value, list):
        (item,) = get_args(annotation) or (Any,)
        return [revived(item, element) for element in value]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        fields = annotation.model_fields
        return {
            key: revived(fields[key].annotation, element) if key in fields else element
            for key, element in value.items()
        }
    if isinstance(value, str):
        return _revived_scalar(annotation, value)
    return value


def draft_from_data(data: dict[str, Any]) -> AlignmentDraft:
    """The draft (alignment, review or check-in) this JSON data is; a ValidationError when it is none."""
    model = draft_model_of(data)
    return model.model_validate(revived(model, data))

"""Pydantic's errors in Laravel's 422 shape, honouring a form request's messages and names.

Wording comes from :mod:`foundry.http.validation` (the same as any other 422 of the app); a form
request's ``messages()`` can replace it by Laravel's rule name (``"email.required"``) or by the
pydantic error type (``"email.missing"``), and ``attributes()`` renames the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from foundry.http.validation import field_name, message_for
from foundry.validation import Messages
from foundry.validation.fields import PRESENCE_ERRORS, PresentMarker

__all__ = ["RULE_NAMES", "format_pydantic_errors", "with_present_errors"]

# pydantic error type -> Laravel's name for the rule it enforces.
RULE_NAMES: Final[Mapping[str, str]] = {
    "missing": "required",
    "required": "required",
    "filled": "filled",
    "present": "present",
    "prohibited": "prohibited",
    "extra_forbidden": "prohibited",
    "string_type": "string",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_type": "numeric",
    "float_parsing": "numeric",
    "decimal_type": "numeric",
    "decimal_parsing": "numeric",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "list_type": "array",
    "dict_type": "array",
    "model_type": "array",
    "string_too_short": "min_length",
    "string_too_long": "max_length",
    "too_short": "min_length",
    "too_long": "max_length",
    "greater_than_equal": "min",
    "less_than_equal": "max",
    "literal_error": "in",
    "enum": "in",
    "string_pattern_mismatch": "regex",
    "datetime_type": "date",
    "datetime_parsing": "date",
    "datetime_from_date_parsing": "date",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "uuid_type": "uuid",
    "uuid_parsing": "uuid",
}

# ctx names -> the placeholder names Laravel's messages use.
_PLACEHOLDERS: Final[Mapping[str, str]] = {
    "min_length": "min",
    "max_length": "max",
    "ge": "min",
    "le": "max",
    "gt": "min",
    "lt": "max",
    "expected": "values",
}


def _replacements(error: Mapping[str, Any]) -> dict[str, str]:
    context = {str(k): str(v) for k, v in (error.get("ctx") or {}).items()}
    for name, placeholder in _PLACEHOLDERS.items():
        if name in context:
            context.setdefault(placeholder, context[name])
    return context


def format_pydantic_errors(
    errors: Iterable[Mapping[str, Any]], messages: Messages
) -> dict[str, list[str]]:
    """``{field: [messages]}`` for pydantic's errors, custom messages and names applied."""
    bag: dict[str, list[str]] = {}
    for error in errors:
        field = field_name(tuple(error.get("loc", ())))
        kind = str(error.get("type", ""))
        keys = [key for key in (RULE_NAMES.get(kind), kind) if key]
        # ``items.1.sku`` also answers to the ``items.*.sku`` keys of messages()/attributes().
        pattern = ".".join("*" if part.isdigit() else part for part in field.split("."))
        custom = messages.custom(field, *keys, pattern=pattern)
        if custom is not None:
            message = messages.render(custom, field, _replacements(error), pattern)
        elif kind in PRESENCE_ERRORS:
            message = messages.render(PRESENCE_ERRORS[kind], field, pattern=pattern)
        else:
            message = message_for(error, messages.attribute(field, pattern))
        listed = bag.setdefault(field, [])
        if message not in listed:
            listed.append(message)
    return bag


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field's annotation holds (``Line``, ``list[Line]``, ``Line | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _field_at(model: type[BaseModel], loc: Sequence[int | str]) -> FieldInfo | None:
    """The declaration of the field an error's ``loc`` points at, through nested models."""
    current: type[BaseModel] | None = model
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue  # an index into a list of models
        if current is None:
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _model_in(info.annotation)
    return info


def with_present_errors(
    errors: Iterable[Mapping[str, Any]], model: type[BaseModel]
) -> list[Mapping[str, Any]]:
    """``errors``, with "missing" turned into "present" for fields declared ``Present[...]``."""
    result: list[Mapping[str, Any]] = []
    for error in errors:
        if error.get("type") == "missing":
            info = _field_at(model, tuple(error.get("loc", ())))
            if info is not None and any(isinstance(m, PresentMarker) for m in info.metadata):
                error = {**error, "type": "present"}
        result.append(error)
    return result

"""Pydantic validation errors as Laravel's 422 ``errors`` bag: ``{"field.path": ["message"]}``.

Field names are dotted paths without the ``body``/``query``/... prefix FastAPI puts in front
(``items.0.name``), and the common messages read like Laravel's ("The name field is required.").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["field_name", "format_validation_errors", "message_for"]

# Where FastAPI says a value came from; Laravel merges all input, so the source is dropped.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})

# pydantic error type -> message template; ``{field}`` is the readable field name, other names
# come from the error's ``ctx``.
_TEMPLATES: Mapping[str, str] = {
    "missing": "The {field} field is required.",
    "extra_forbidden": "The {field} field is prohibited.",
    "string_type": "The {field} field must be a string.",
    "int_type": "The {field} field must be an integer.",
    "int_parsing": "The {field} field must be an integer.",
    "int_from_float": "The {field} field must be an integer.",
    "float_type": "The {field} field must be a number.",
    "float_parsing": "The {field} field must be a number.",
    "bool_type": "The {field} field must be true or false.",
    "bool_parsing": "The {field} field must be true or false.",
    "list_type": "The {field} field must be a list.",
    "dict_type": "The {field} field must be an object.",
    "model_type": "The {field} field must be an object.",
    "model_attributes_type": "The {field} field must be an object.",
    "string_too_short": "The {field} field must be at least {min_length} characters.",
    "string_too_long": "The {field} field must not be greater than {max_length} characters.",
    "too_short": "The {field} field must have at least {min_length} items.",
    "too_long": "The {field} field must not have more than {max_length} items.",
    "greater_than": "The {field} field must be greater than {gt}.",
    "greater_than_equal": "The {field} field must be greater than or equal to {ge}.",
    "less_than": "The {field} field must be less than {lt}.",
    "less_than_equal": "The {field} field must be less than or equal to {le}.",
    "enum": "The selected {field} is invalid.",
    "literal_error": "The selected {field} is invalid.",
    "string_pattern_mismatch": "The {field} field format is invalid.",
    "uuid_type": "The {field} field must be a valid UUID.",
    "uuid_parsing": "The {field} field must be a valid UUID.",
    "datetime_type": "The {field} field must be a valid date and time.",
    "datetime_parsing": "The {field} field must be a valid date and time.",
    "date_type": "The {field} field must be a valid date.",
    "date_parsing": "The {field} field must be a valid date.",
    "file": "The {field} field must be a file.",
}


def field_name(loc: Sequence[int | str]) -> str:
    """``("body", "items", 0, "name")`` -> ``"items.0.name"``; the whole body is ``"body"``."""
    parts = list(loc)
    if len(parts) > 1 and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) if parts else "body"


def message_for(error: Mapping[str, Any], field: str) -> str:
    """A readable message for one pydantic error about ``field``."""
    kind = str(error.get("type", ""))
    readable = field.replace("_", " ")
    template = _TEMPLATES.get(kind)
    if template is not None:
        context = {str(k): v for k, v in (error.get("ctx") or {}).items()}
        try:
            return template.format(field=readable, **context)
        except (KeyError, IndexError):
            pass
    message = str(error.get("msg", "The value is invalid."))
    # Custom validators raise ValueError("..."); pydantic prefixes it with "Value error, ".
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message if message.endswith(".") else message + "."


def format_validation_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Group pydantic (or FastAPI) errors by field, keeping each field's messages in order."""
    bag: dict[str, list[str]] = {}
    for error in errors:
        field = field_name(tuple(error.get("loc", ())))
        message = message_for(error, field)
        messages = bag.setdefault(field, [])
        if message not in messages:
            messages.append(message)
    return bag

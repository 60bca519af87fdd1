"""Laravel's presence rules as pydantic field types, for form requests.

    class UpdatePostRequest(FormRequest):
        title: Sometimes[str]          # may be left out; when sent, a string (null is refused)
        summary: Nullable[str]         # may be left out or null
        body: Filled[str]              # may be left out; when sent, not null and not blank
        slug: Required[str]            # must be sent, not null and not blank
        published_at: Present[datetime]  # must be sent, null allowed
        author_id: Prohibited          # must be left out (or sent empty)

A field left out holds ``None``; ``request.validated()`` lists only the fields that were sent,
so an update can tell "left out" from "set to null". The failures read as Laravel's (``The
title field must have a value.``) and answer to the rule names in ``messages()``
(``"body.filled"``, ``"slug.required"``, ``"published_at.present"``, ``"author_id.prohibited"``).

mypy sees ``Sometimes[str]``, ``Nullable[str]``, ``Filled[str]`` and ``Present[str]`` as
``str | None``, ``Required[str]`` as ``str`` and ``Prohibited`` as ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final, TypeVar

from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from foundry.validation.presence import (
    FILLED_MESSAGE,
    PRESENT_MESSAGE,
    PROHIBITED_MESSAGE,
    REQUIRED_MESSAGE,
)
from foundry.validation.rule import is_empty

__all__ = [
    "PRESENCE_ERRORS",
    "Filled",
    "Nullable",
    "Present",
    "PresentMarker",
    "Prohibited",
    "Required",
    "Sometimes",
]

T = TypeVar("T")

# pydantic error type -> Laravel's message; the form request renders ``:attribute``.
PRESENCE_ERRORS: Final = {
    "required": REQUIRED_MESSAGE,
    "filled": FILLED_MESSAGE,
    "present": PRESENT_MESSAGE,
    "prohibited": PROHIBITED_MESSAGE,
}


def _left_out() -> None:
    return None


def _not_null(schema: CoreSchema) -> CoreSchema:
    """The schema of ``T`` inside the ``T | None`` one (a null then fails T's type check)."""
    return schema["schema"] if schema["type"] == "nullable" else schema


def _refusing_empty(kind: str, schema: CoreSchema) -> CoreSchema:
    """``schema`` preceded by a check that fails with ``kind`` on an empty value."""

    def check(value: Any, validate: Callable[[Any], Any]) -> Any:
        if is_empty(value):
            raise PydanticCustomError(kind, PRESENCE_ERRORS[kind].replace(":attribute ", ""))
        return validate(value)

    return core_schema.no_info_wrap_validator_function(check, schema)


class _NotNull:
    """Refuses an explicit null on an optional field (Laravel's ``sometimes``)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return _not_null(handler(source))


class _NotEmpty:
    """Refuses an empty value with the error ``kind`` (``required`` or ``filled``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return _refusing_empty(self.kind, _not_null(handler(source)))


class _Empty:
    """Accepts only an empty value, stored as ``None`` (Laravel's ``prohibited``)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        def check(value: Any) -> None:
            if not is_empty(value):
                raise PydanticCustomError("prohibited", "This field is prohibited.")
            return None

        return core_schema.no_info_plain_validator_function(
            check, json_schema_input_schema=core_schema.none_schema()
        )


class PresentMarker:
    """Marks a field that must be sent, null or not: its "missing" error reads "present"."""


Sometimes = Annotated[T | None, Field(default_factory=_left_out), _NotNull()]
Nullable = Annotated[T | None, Field(default_factory=_left_out)]
Filled = Annotated[T | None, Field(default_factory=_left_out), _NotEmpty("filled")]
Required = Annotated[T, _NotEmpty("required")]
Present = Annotated[T | None, PresentMarker()]
Prohibited = Annotated[None, Field(default_factory=_left_out), _Empty()]

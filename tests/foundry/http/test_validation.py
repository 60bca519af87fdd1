"""Pydantic errors become Laravel's ``{field: [messages]}`` bag."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from pydantic import field_validator

from foundry.http.validation import field_name, format_validation_errors


class Address(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    city: str


class Signup(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    first_name: str = Field(min_length=2)
    age: int = Field(ge=18)
    addresses: list[Address]
    nickname: str

    @field_validator("nickname")
    @classmethod
    def _no_admin(cls, value: str) -> str:
        if value == "admin":
            raise ValueError("The nickname is reserved")
        return value


def _errors(data: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(PydanticValidationError) as caught:
        Signup.model_validate(data)
    return format_validation_errors(caught.value.errors())


def test_messages_read_like_laravels() -> None:
    errors = _errors(
        {"first_name": "A", "age": 12, "addresses": [{"city": 5}], "nickname": "admin", "x": 1}
    )
    assert errors == {
        "first_name": ["The first name field must be at least 2 characters."],
        "age": ["The age field must be greater than or equal to 18."],
        "addresses.0.city": ["The addresses.0.city field must be a string."],
        "nickname": ["The nickname is reserved."],
        "x": ["The x field is prohibited."],
    }


def test_missing_fields_are_required() -> None:
    errors = _errors({})
    assert errors["first_name"] == ["The first name field is required."]
    assert set(errors) == {"first_name", "age", "addresses", "nickname"}


@pytest.mark.parametrize(
    ("loc", "name"),
    [
        (("body", "email"), "email"),
        (("query", "page"), "page"),
        (("body", "items", 0, "sku"), "items.0.sku"),
        (("body",), "body"),
        (("email",), "email"),
        ((), "body"),
    ],
)
def test_field_names_drop_the_input_source(loc: tuple[int | str, ...], name: str) -> None:
    assert field_name(loc) == name


def test_unknown_error_types_keep_pydantics_message() -> None:
    errors = format_validation_errors(
        [{"type": "url_parsing", "loc": ("body", "homepage"), "msg": "Input should be a valid URL"}]
    )
    assert errors == {"homepage": ["Input should be a valid URL."]}


def test_duplicate_messages_for_one_field_are_kept_once() -> None:
    error = {"type": "missing", "loc": ("body", "name"), "msg": "Field required"}
    assert format_validation_errors([error, error]) == {"name": ["The name field is required."]}

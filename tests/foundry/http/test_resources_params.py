"""Page parameters from the query string: defaults, limits and Laravel's 422 messages."""

from __future__ import annotations

import pytest

from foundry.http.resources import (
    CursorParams,
    PageParams,
    check_page_size,
    cursor_params,
    page_params,
)
from foundry.kernel.errors import ValidationError
from tests.foundry.http.test_resources import make_request


async def test_defaults_and_given_values() -> None:
    read = page_params(default_per_page=20, max_per_page=50)
    assert await read(make_request()) == PageParams(page=1, per_page=20)
    assert await read(make_request("page=3&per_page=50")) == PageParams(page=3, per_page=50)
    assert PageParams(page=3, per_page=50).as_kwargs() == {"page": 3, "per_page": 50}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("per_page=51", "per_page", "The per page field must not be greater than 50."),
        ("per_page=0", "per_page", "The per page field must be at least 1."),
        ("page=0", "page", "The page field must be at least 1."),
        ("page=-2", "page", "The page field must be at least 1."),
        ("page=two", "page", "The page field must be an integer."),
        ("page=1.5", "page", "The page field must be an integer."),
        ("page=", "page", "The page field must be an integer."),
        ("page=%C2%B2", "page", "The page field must be an integer."),  # superscript two
        ("page=" + "9" * 40, "page", "The page field must be an integer."),
        ("page=1&page=2", "page", "The page field must be given only once."),
    ],
)
async def test_bad_page_input_is_a_422(query: str, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await page_params(max_per_page=50)(make_request(query))
    assert caught.value.errors == {field: [message]}


async def test_cursor_params() -> None:
    read = cursor_params(default_per_page=10, max_per_page=10)
    assert await read(make_request("cursor=abc&per_page=5")) == CursorParams("abc", 5)
    assert await read(make_request()) == CursorParams(None, 10)
    with pytest.raises(ValidationError):
        await read(make_request("cursor=a&cursor=b"))


def test_a_default_above_the_maximum_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="default_per_page"):
        page_params(default_per_page=20, max_per_page=10)


def test_check_page_size_enforces_the_maximum_for_direct_callers() -> None:
    check_page_size(50, 50)
    check_page_size(1000)  # no maximum given
    with pytest.raises(ValidationError) as caught:
        check_page_size(51, 50)
    assert caught.value.errors == {"per_page": ["The per page field must not be greater than 50."]}

from __future__ import annotations

from typing import Any

import httpx
import pytest

from foundry.testing import TestResponse


def respond(
    status: int = 200, body: Any = None, headers: dict[str, str] | None = None
) -> TestResponse:
    return TestResponse(httpx.Response(status, json=body, headers=headers))


USERS = {"data": [{"id": 1, "name": "Ada", "roles": ["admin"]}, {"id": 2, "name": "Bob"}]}


def test_status_assertions_pass_and_fail_with_the_body() -> None:
    respond(201, {"id": 1}).assert_created().assert_successful()
    with pytest.raises(AssertionError, match=r'expected status 200, got 404 \{"message"'):
        respond(404, {"message": "Not Found."}).assert_ok()


def test_assert_json_is_a_subset_match() -> None:
    response = respond(200, USERS)
    response.assert_json({"data": [{"name": "Bob"}]})
    with pytest.raises(AssertionError, match="does not contain"):
        response.assert_json({"data": [{"name": "Eve"}]})


def test_assert_json_path_walks_dicts_and_lists() -> None:
    response = respond(200, USERS)
    response.assert_json_path("data.0.name", "Ada").assert_json_path("data.-1.id", 2)
    response.assert_json_path("data.0.roles", lambda roles: "admin" in roles)
    response.assert_json_count(2, "data").assert_json_missing_path("data.2")
    with pytest.raises(AssertionError, match="expected 'Eve', got 'Ada'"):
        response.assert_json_path("data.0.name", "Eve")
    with pytest.raises(AssertionError, match="has no path 'data.5.name'"):
        response.assert_json_path("data.5.name", "Ada")


def test_assert_json_structure() -> None:
    response = respond(200, USERS)
    response.assert_json_structure({"data": {"*": ["id", "name"]}})
    with pytest.raises(AssertionError, match="missing key data.0.email"):
        response.assert_json_structure({"data": {"*": ["email"]}})


def test_validation_error_assertions_read_laravels_shape() -> None:
    body = {"message": "The email field is required.", "errors": {"email": ["is required"]}}
    response = respond(422, body)
    response.assert_json_validation_errors("email")
    response.assert_json_validation_errors({"email": "required"})
    response.assert_json_missing_validation_errors(["name"])
    with pytest.raises(AssertionError, match="no validation error for 'name'"):
        response.assert_json_validation_errors(["email", "name"])
    with pytest.raises(AssertionError, match="expected status 422"):
        respond(200, {}).assert_json_validation_errors("email")


def test_header_assertions() -> None:
    response = respond(200, {}, {"X-Request-ID": "abc"})
    response.assert_header("x-request-id", "abc").assert_header_missing("Retry-After")
    with pytest.raises(AssertionError, match="expected 'xyz', got 'abc'"):
        response.assert_header("X-Request-ID", "xyz")


def test_a_non_json_body_fails_json_assertions_clearly() -> None:
    response = TestResponse(httpx.Response(500, text="<html>oops</html>"))
    with pytest.raises(AssertionError, match="response is not JSON"):
        response.assert_json({"a": 1})

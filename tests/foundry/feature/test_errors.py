"""Every error leaves the app as JSON in the documented shape, with its status, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict

from foundry.http.kernel import HttpKernel
from foundry.kernel.errors import (
    AuthenticationError,
    AuthorizationError,
    ConflictError,
    NotFoundError,
    TooManyRequestsError,
    ValidationError,
)
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp


class NewItem(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str
    quantity: int


class Order(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    items: list[NewItem]


router = APIRouter()


@router.post("/items", status_code=201)
async def create_item(item: NewItem) -> dict[str, Any]:
    return {"name": item.name, "quantity": item.quantity}


@router.post("/orders", status_code=201)
async def create_order(order: Order) -> dict[str, int]:
    return {"items": len(order.items)}


@router.get("/search")
async def search(page: int) -> dict[str, int]:
    return {"page": page}


@router.get("/unauthenticated")
async def unauthenticated() -> None:
    raise AuthenticationError()


@router.get("/forbidden")
async def forbidden() -> None:
    raise AuthorizationError("You may not see this invoice.")


@router.get("/missing")
async def missing() -> None:
    raise NotFoundError("No invoice 42.")


@router.get("/conflict")
async def conflict() -> None:
    raise ConflictError("The e-mail address is taken.", error="email_taken")


@router.get("/starlette-401")
async def starlette_unauthorized() -> None:
    raise HTTPException(401, headers={"WWW-Authenticate": "Bearer"})


@router.get("/throttled")
async def throttled() -> None:
    raise TooManyRequestsError(retry_after=42)


@router.get("/invalid")
async def invalid() -> None:
    raise ValidationError({"email": ["The email has already been taken."]})


@router.get("/crash")
async def crash() -> None:
    raise RuntimeError("database password is hunter2")


def _app(make_http_app: MakeHttpApp, **env: str) -> FastAPI:
    app = make_http_app(**env)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    return app


@pytest.fixture
async def client(make_http_app: MakeHttpApp) -> AsyncIterator[TestClient]:
    async with TestClient(_app(make_http_app)) as client:
        yield client


async def test_unknown_route_is_a_json_404(client: TestClient) -> None:
    response = await client.get("/api/nothing-here")
    response.assert_not_found().assert_exact_json({"message": "Not Found.", "error": "not_found"})
    response.assert_header("X-Request-ID")


async def test_wrong_method_is_a_json_405_with_allow(client: TestClient) -> None:
    response = await client.delete("/api/items")
    response.assert_status(405).assert_header("Allow", "POST")
    response.assert_exact_json({"message": "Method Not Allowed.", "error": "method_not_allowed"})


async def test_wrong_method_outside_any_group(client: TestClient) -> None:
    (await client.post("/health")).assert_status(405).assert_json({"error": "method_not_allowed"})


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/api/unauthenticated", 401, {"message": "Unauthenticated.", "error": "unauthenticated"}),
        ("/api/forbidden", 403, {"message": "You may not see this invoice.", "error": "forbidden"}),
        ("/api/missing", 404, {"message": "No invoice 42.", "error": "not_found"}),
        ("/api/conflict", 409, {"message": "The e-mail address is taken.", "error": "email_taken"}),
    ],
)
async def test_http_errors_raised_by_services(
    client: TestClient, path: str, status: int, body: dict[str, str]
) -> None:
    (await client.get(path)).assert_status(status).assert_exact_json(body)


async def test_starlette_http_exception_keeps_its_headers(client: TestClient) -> None:
    response = await client.get("/api/starlette-401")
    response.assert_unauthorized().assert_header("WWW-Authenticate", "Bearer")
    response.assert_exact_json({"message": "Unauthenticated.", "error": "unauthenticated"})


async def test_too_many_requests_carries_retry_after(client: TestClient) -> None:
    response = await client.get("/api/throttled")
    response.assert_too_many_requests().assert_header("Retry-After", "42")
    response.assert_exact_json({"message": "Too Many Attempts.", "error": "too_many_requests"})


async def test_validation_error_raised_by_a_service_has_laravels_shape(client: TestClient) -> None:
    response = await client.get("/api/invalid")
    response.assert_unprocessable().assert_exact_json(
        {
            "message": "The email has already been taken.",
            "errors": {"email": ["The email has already been taken."]},
        }
    )


async def test_invalid_body_lists_every_field(client: TestClient) -> None:
    response = await client.post("/api/items", json={"name": 7, "colour": "red"})
    response.assert_unprocessable()
    response.assert_json_validation_errors(["name", "quantity", "colour"])
    body = response.json()
    assert body["errors"]["quantity"] == ["The quantity field is required."]
    assert body["errors"]["colour"] == ["The colour field is prohibited."]
    assert body["message"] == "The name field must be a string. (and 2 more errors)"


async def test_nested_fields_are_dotted_paths(client: TestClient) -> None:
    response = await client.post("/api/orders", json={"items": [{"name": "a", "quantity": "2"}]})
    response.assert_unprocessable().assert_json_validation_errors(["items.0.quantity"])


async def test_invalid_query_parameter_is_a_422_without_source_prefix(client: TestClient) -> None:
    response = await client.get("/api/search", params={"page": "two"})
    response.assert_unprocessable().assert_json_validation_errors(["page"])


async def test_malformed_json_is_a_400(client: TestClient) -> None:
    response = await client.post(
        "/api/items", content=b'{"name": "a",', headers={"Content-Type": "application/json"}
    )
    response.assert_status(400).assert_json({"error": "invalid_json"})
    assert "not valid JSON" in response.json()["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_body_not_sent_as_json_is_a_415(client: TestClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post(
        "/api/items", content=b'{"name": "a", "quantity": 1}', headers=headers
    )
    response.assert_status(415).assert_json({"error": "unsupported_media_type"})


async def test_json_that_is_not_an_object_is_a_422(client: TestClient) -> None:
    response = await client.post("/api/items", json=[1, 2])
    response.assert_unprocessable().assert_json_validation_errors(["body"])


async def test_valid_body_still_works(client: TestClient) -> None:
    response = await client.post("/api/items", json={"name": "bolt", "quantity": 3})
    response.assert_created().assert_exact_json({"name": "bolt", "quantity": 3})


async def test_server_error_hides_internals(client: TestClient) -> None:
    response = await client.get("/api/crash")
    response.assert_status(500).assert_exact_json(
        {"message": "Server Error.", "error": "server_error"}
    )
    response.assert_header("X-Request-ID").assert_header("X-Content-Type-Options", "nosniff")
    assert "hunter2" not in response.text


async def test_server_error_in_debug_shows_exception_and_trace(make_http_app: MakeHttpApp) -> None:
    async with TestClient(_app(make_http_app, APP_DEBUG="true")) as client:
        response = await client.get("/api/crash")
    response.assert_status(500).assert_json(
        {
            "message": "database password is hunter2",
            "error": "server_error",
            "exception": "builtins.RuntimeError",
        }
    )
    assert any("raise RuntimeError" in line for line in response.json()["trace"])

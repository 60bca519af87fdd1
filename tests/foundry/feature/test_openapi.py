"""The API documents itself at /openapi.json, /docs and /redoc."""

from __future__ import annotations

from fastapi import APIRouter

from foundry.http.kernel import HttpKernel
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter(tags=["widgets"])


@router.get("/widgets")
async def list_widgets() -> list[str]:
    return ["sprocket"]


async def test_openapi_lists_routes_with_their_group_prefix(make_http_app: MakeHttpApp) -> None:
    app = make_http_app(APP_NAME="Widget Shop")
    HttpKernel.of(app).include(router, group="api", prefix="/api/v1")
    async with TestClient(app) as client:
        response = await client.get("/openapi.json")
    response.assert_ok()
    schema = response.json()
    assert schema["info"]["title"] == "Widget Shop"
    assert {"/health", "/health/ready", "/api/v1/widgets"} <= set(schema["paths"])
    assert "503" in schema["paths"]["/health/ready"]["get"]["responses"]


async def test_docs_pages_are_served(make_http_app: MakeHttpApp) -> None:
    async with TestClient(make_http_app()) as client:
        docs = await client.get("/docs")
        redoc = await client.get("/redoc")
    assert docs.assert_ok().headers["content-type"].startswith("text/html")
    assert "/openapi.json" in docs.text
    assert "/openapi.json" in redoc.assert_ok().text


async def test_docs_can_be_turned_off(make_http_app: MakeHttpApp) -> None:
    async with TestClient(make_http_app(API_DOCS="false")) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            (await client.get(path)).assert_not_found()

"""``/docs`` and ``/redoc``: every asset from this origin, served by the app, under a CSP."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from foundry.http.app import create_app
from foundry.testing import TestClient
from tests.conftest import MakeApplication

_REFERENCES = re.compile(r'(?:src|href|spec-url|data-[a-z0-9-]*url)="([^"]*)"')
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


@pytest.fixture
def docs_app(make_application: MakeApplication) -> FastAPI:
    return create_app(make_application(APP_ENV="local"))


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/docs/oauth2-redirect"])
async def test_a_docs_page_loads_only_assets_the_app_serves(docs_app: FastAPI, page: str) -> None:
    async with TestClient(docs_app) as client:
        response = (await client.get(page)).assert_ok()
        assert response.headers["content-type"].startswith("text/html")
        html = response.text
        assert "http://" not in html and "https://" not in html and "//" not in html
        references = _REFERENCES.findall(html)
        assert references and all(ref.startswith("/") for ref in references)
        assert "<script>" not in html  # no inline script: the CSP forbids them
        for reference in references:
            served = (await client.get(reference)).assert_ok()
            suffix = reference[reference.rfind(".") :]
            if suffix in _MEDIA_TYPES:
                assert served.headers["content-type"].startswith(_MEDIA_TYPES[suffix])
                assert len(served.response.content) > 100


async def test_swagger_ui_gets_its_bundle_and_starts_with_pkce(docs_app: FastAPI) -> None:
    async with TestClient(docs_app) as client:
        html = (await client.get("/docs")).text
        init = (await client.get("/docs/assets/swagger-init.js")).assert_ok().text
        bundle = (await client.get("/docs/assets/swagger-ui-bundle.js")).assert_ok()

    assert (
        '/docs/assets/swagger-ui-bundle.js"' in html and 'data-openapi-url="/openapi.json"' in html
    )
    assert "usePkceWithAuthorizationCodeGrant: true" in init
    assert "SwaggerUIBundle" in bundle.text


async def test_docs_pages_send_a_policy_allowing_scripts_from_this_origin_only(
    docs_app: FastAPI,
) -> None:
    async with TestClient(docs_app) as client:
        for page in ("/docs", "/redoc"):
            policy = (await client.get(page)).headers["content-security-policy"]
            directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
            assert directives["script-src"] == "'self'"
            assert directives["frame-ancestors"] == "'none'"
            assert "blob:" in directives["worker-src"]  # ReDoc's worker


async def test_an_unknown_asset_is_a_json_404(docs_app: FastAPI) -> None:
    async with TestClient(docs_app) as client:
        response = await client.get("/docs/assets/../../pyproject.toml")
        missing = await client.get("/docs/assets/nothing.js")

    assert response.status_code == 404
    missing.assert_not_found().assert_json({"error": "not_found"})


async def test_without_api_docs_nothing_is_served(make_application: MakeApplication) -> None:
    app = create_app(make_application(APP_ENV="local", API_DOCS="false"))
    async with TestClient(app) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/assets/swagger-ui-bundle.js"):
            (await client.get(path)).assert_not_found()


async def test_pages_without_security_headers_send_no_policy(
    make_application: MakeApplication,
) -> None:
    app = create_app(make_application(APP_ENV="local", SECURITY_HEADERS="false"))
    async with TestClient(app) as client:
        response = (await client.get("/docs")).assert_ok()

    assert "content-security-policy" not in response.headers

"""``/openapi.json`` tells the truth: statuses, error shapes, security, resources, parameters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from starlette.responses import JSONResponse

from foundry.http.app import create_app
from foundry.http.auth import CurrentUser
from foundry.http.kernel import HttpKernel
from foundry.http.openapi import responds_with
from foundry.http.resources.user import UserResource
from foundry.http.scopes import require_any_scope
from foundry.testing import TestClient
from tests.conftest import MakeApplication

Document = dict[str, Any]


@pytest.fixture
def app(make_application: MakeApplication) -> FastAPI:
    return create_app(make_application(APP_ENV="local"))


async def _document(app: FastAPI) -> Document:
    async with TestClient(app) as client:
        document: Document = (await client.get("/openapi.json")).assert_ok().json()
    return document


def _operations(document: Document) -> Iterator[tuple[str, str, Document]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node))
    return set()


async def test_every_error_response_has_the_real_error_shape(app: FastAPI) -> None:
    document = await _document(app)
    schemas = document["components"]["schemas"]

    assert "HTTPValidationError" not in schemas and '"detail"' not in str(document)
    for ref in _refs(document):  # every reference resolves
        _, _, kind, name = ref.split("/")
        assert name in document["components"][kind], ref
    assert schemas["Error"]["required"] == ["message"]
    assert set(schemas["Error"]["properties"]) == {"message", "errors", "error"}
    assert schemas["ValidationError"]["required"] == ["message", "errors"]
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if status[0] not in "45":
                continue
            assert response.get("content") or "$ref" in response, (method, path, status)
            json_refs = _refs(response.get("content", {}).get("application/json", {}))
            if status == "422":
                assert "#/components/schemas/ValidationError" in json_refs, (method, path)
            elif json_refs:
                allowed = {"#/components/schemas/Error", "#/components/schemas/OAuthError"}
                assert json_refs <= allowed, (method, path, status)


async def test_statuses_follow_what_each_route_depends_on(app: FastAPI) -> None:
    paths = (await _document(app))["paths"]

    def statuses(method: str, path: str) -> set[str]:
        return set(paths[path][method]["responses"])

    # Public, no input, outside the api group: only the maintenance 503 besides success.
    assert statuses("get", "/health") == {"200", "503"}
    # Guarded, permission- and scope-checked, a path parameter, throttled.
    assert statuses("get", "/api/v1/roles/{role_id}") == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "422",
        "429",
        "503",
    }
    # A public JSON body: no 403, but bad JSON, size, media type and validation.
    assert statuses("post", "/api/v1/auth/forgot-password") == {
        "200",
        "400",
        "413",
        "415",
        "422",
        "429",
        "503",
    }
    assert "401" in statuses("post", "/api/v1/auth/login")  # wrong credentials
    assert "409" in statuses("post", "/api/v1/roles")  # the name is taken


async def test_security_schemes_describe_the_real_servers_flows(
    make_application: MakeApplication,
) -> None:
    application = make_application(APP_ENV="local", OAUTH2_PASSWORD_GRANT="true")
    schemes = (await _document(create_app(application)))["components"]["securitySchemes"]
    without_password = await _document(create_app(make_application(APP_ENV="local")))

    assert schemes["bearerAuth"] == schemes["bearerAuth"] | {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    flows = schemes["oauth2"]["flows"]
    code = flows["authorizationCode"]
    assert (code["authorizationUrl"], code["tokenUrl"]) == ("/oauth/authorize", "/oauth/token")
    assert {"profile", "users:read", "admin", "offline_access"} <= set(code["scopes"])
    assert flows["clientCredentials"]["tokenUrl"] == "/oauth/token"
    assert flows["password"]["tokenUrl"] == "/oauth/token"
    assert "PKCE" in schemes["oauth2"]["description"]
    oauth2 = without_password["components"]["securitySchemes"]["oauth2"]
    assert "password" not in oauth2["flows"]


async def test_operations_list_the_tokens_they_accept(app: FastAPI) -> None:
    paths = (await _document(app))["paths"]

    assert paths["/api/v1/users"]["get"]["security"] == [
        {"bearerAuth": []},
        {"oauth2": ["users:read"]},
    ]
    # Account management takes first-party login tokens only.
    assert paths["/api/v1/auth/me"]["patch"]["security"] == [{"bearerAuth": []}]
    assert paths["/api/v1/auth/me"]["get"]["security"] == [{"bearerAuth": []}, {"oauth2": []}]
    assert "security" not in paths["/api/v1/auth/login"]["post"]


async def test_resources_and_the_query_builder_are_documented(app: FastAPI) -> None:
    document = await _document(app)
    paths, schemas = document["paths"], document["components"]["schemas"]

    me = paths["/api/v1/auth/me"]["get"]["responses"]["200"]["content"]["application/json"]
    assert me["schema"] == {"$ref": "#/components/schemas/UserResponse"}
    assert schemas["UserResponse"]["required"] == ["data"]
    user = schemas["UserData"]
    assert {"id", "name", "email", "email_verified_at"} <= set(user["required"])
    assert "password" not in user["properties"] and "roles" not in user["required"]
    index = paths["/api/v1/users"]["get"]
    page = index["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schemas[page["$ref"].rsplit("/", 1)[1]]["required"]) == {"data", "links", "meta"}
    parameters = {p["name"]: p for p in index["parameters"]}
    assert {"filter[email]", "sort", "page", "per_page"} <= set(parameters)
    assert parameters["sort"]["schema"]["items"]["enum"] == ["name", "-name"]
    assert "400" in index["responses"]  # an unknown filter or sort


async def test_non_json_answers_have_their_real_content_types(app: FastAPI) -> None:
    paths = (await _document(app))["paths"]

    jwks = paths["/.well-known/jwks.json"]["get"]["responses"]["200"]["content"]
    assert list(jwks) == ["application/jwk-set+json"]
    device = paths["/oauth/device"]["get"]["responses"]
    assert list(device["200"]["content"]) == ["text/html"]
    assert "Location" in device["302"]["headers"]
    token = paths["/oauth/token"]["post"]
    form = token["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert form["required"] == ["grant_type"]
    oauth_error = {"$ref": "#/components/schemas/OAuthError"}
    assert token["responses"]["400"]["content"]["application/json"]["schema"] == oauth_error


async def test_an_application_route_documents_its_own_statuses_and_resource(
    app: FastAPI,
) -> None:
    await _document(app)  # built once before the route is added: the document follows
    router = APIRouter()

    @router.post(
        "/teams/{team}/invite",
        response_model=None,
        status_code=201,
        dependencies=[Depends(require_any_scope("teams:write", "admin"))],
        responses={
            409: {"description": "Already a member"},
            **responds_with(UserResource, status=201),
        },
    )
    async def invite(team: int, user: CurrentUser) -> JSONResponse:
        return JSONResponse({})

    HttpKernel.of(app).include(router, group="api", prefix="/api/v1")
    operation = (await _document(app))["paths"]["/api/v1/teams/{team}/invite"]["post"]
    responses = operation["responses"]

    assert responses["409"]["description"] == "Already a member"
    assert responses["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert responses["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/UserResponse"
    }
    assert {"401", "403", "404", "422", "429"} <= set(responses)
    assert operation["security"] == [
        {"bearerAuth": []},
        {"oauth2": ["teams:write"]},
        {"oauth2": ["admin"]},
    ]

"""Form requests through the real app: strict input, authorize(), database rules, 422 shape.

Runs on SQLite and PostgreSQL; the test tables live on their own metadata.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime

import pytest
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, event, insert
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request

from foundry import validation as v
from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.http.requests import FormRequest, Validated
from foundry.kernel.application import Application
from foundry.testing import TestClient

metadata = MetaData()
users = Table(
    "fr_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(100), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
)
roles = Table(
    "fr_roles", metadata, Column("id", Integer, primary_key=True), Column("name", String(50))
)


class StoreUserRequest(FormRequest):
    email: str
    password: str
    password_confirmation: str
    role_id: int
    kind: str = "person"
    company: str | None = None
    starts_at: datetime | None = None

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {
            "email": [v.email(), v.unique("fr_users", "email")],
            "password": [v.min_length(8), v.confirmed()],
            "role_id": [v.exists("fr_roles", "id")],
            "kind": [v.in_(["person", "business"])],
            "company": [v.required_if("kind", "business")],
        }


class UpdateUserRequest(FormRequest):
    email: str

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"email": [v.unique("fr_users", ignore=self.route("user_id"))]}

    def messages(self) -> Mapping[str, str]:
        return {
            "email.unique": "The :attribute belongs to someone else.",
            "email.required": "Tell us your :attribute.",
        }

    def attributes(self) -> Mapping[str, str]:
        return {"email": "email address"}


class AdminOnlyRequest(FormRequest):
    email: str

    async def authorize(self, request: Request) -> bool:
        return request.headers.get("x-role") == "admin"

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"email": [v.unique("fr_users")]}


class Line(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    sku: str
    quantity: int


class StoreOrderRequest(FormRequest):
    lines: list[Line]
    coupon: str | None = None

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {
            "lines.*.sku": [v.regex(r"^[A-Z0-9-]+$"), v.exists("fr_roles", "name")],
            "lines.*.quantity": [v.min(1)],
            "coupon": [v.regex(r"^[A-Z]+$"), v.unique("fr_users", "email")],
        }

    def messages(self) -> Mapping[str, str]:
        return {"lines.*.quantity.integer": "Line quantities are whole numbers."}

    def attributes(self) -> Mapping[str, str]:
        return {"lines.*.sku": "SKU"}


router = APIRouter()


@router.post("/users", status_code=201)
async def store(data: Validated[StoreUserRequest]) -> dict[str, object]:
    return {"email": data.email, "starts_at": data.starts_at, "kind": data.kind}


@router.put("/users/{user_id:int}")
async def update(user_id: int, data: Validated[UpdateUserRequest]) -> dict[str, object]:
    return {"id": user_id, "email": data.email}


@router.post("/admin")
async def admin(data: Validated[AdminOnlyRequest]) -> dict[str, str]:
    return {"email": data.email}


@router.post("/orders")
async def order(data: Validated[StoreOrderRequest]) -> dict[str, int]:
    return {"lines": len(data.lines)}


@pytest.fixture
async def api(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    await db.run_sync(metadata.create_all)
    await db.execute(insert(roles), [{"id": 1, "name": "admin"}, {"id": 2, "name": "SKU-1"}])
    await db.execute(
        insert(users),
        [{"id": 1, "email": "taken@example.com"}, {"id": 2, "email": "mine@example.com"}],
    )
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


VALID = {
    "email": "new@example.com",
    "password": "correct horse",
    "password_confirmation": "correct horse",
    "role_id": 2,
}


async def test_valid_input_reaches_the_controller_as_the_typed_model(api: TestClient) -> None:
    payload = {**VALID, "starts_at": "2026-01-02T03:04:05Z"}
    response = await api.post("/api/users", json=payload)
    response.assert_created().assert_json(
        {"email": "new@example.com", "starts_at": "2026-01-02T03:04:05Z", "kind": "person"}
    )


async def test_unique_and_exists_are_checked_against_the_database(api: TestClient) -> None:
    payload = {**VALID, "email": "taken@example.com", "role_id": 99}
    response = await api.post("/api/users", json=payload)
    response.assert_exact_json(
        {
            "message": "The email has already been taken. (and 1 more error)",
            "errors": {
                "email": ["The email has already been taken."],
                "role_id": ["The selected role id is invalid."],
            },
        }
    )


async def test_database_rules_cost_one_query(api: TestClient, db: AsyncConnection) -> None:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        payload = {**VALID, "email": "taken@example.com", "role_id": 99}
        (await api.post("/api/users", json=payload)).assert_unprocessable()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len([s for s in statements if "fr_users" in s or "fr_roles" in s]) == 1


async def test_confirmed_and_input_rules_report_laravel_messages(api: TestClient) -> None:
    payload = {
        **VALID,
        "password": "short",
        "password_confirmation": "other",
        "kind": "alien",
        "email": "not-an-email",
    }
    response = await api.post("/api/users", json=payload)
    response.assert_json_validation_errors(
        {
            "email": "The email field must be a valid email address.",
            "password": "The password field confirmation does not match.",
            "kind": "The selected kind is invalid.",
        }
    )
    assert response.json()["errors"]["password"] == [
        "The password field must be at least 8 characters.",
        "The password field confirmation does not match.",
    ]


async def test_required_if_applies_only_when_the_other_field_matches(api: TestClient) -> None:
    response = await api.post("/api/users", json={**VALID, "kind": "business"})
    response.assert_json_validation_errors(
        {"company": "The company field is required when kind is business."}
    )
    ok = await api.post("/api/users", json={**VALID, "kind": "business", "company": "Acme"})
    ok.assert_created()


async def test_update_ignores_the_record_being_updated(api: TestClient) -> None:
    own = await api.put("/api/users/2", json={"email": "mine@example.com"})
    own.assert_ok().assert_json({"id": 2, "email": "mine@example.com"})
    other = await api.put("/api/users/2", json={"email": "taken@example.com"})
    other.assert_json_validation_errors({"email": "The email address belongs to someone else."})


async def test_custom_messages_apply_to_pydantic_errors_too(api: TestClient) -> None:
    response = await api.put("/api/users/2", json={})
    response.assert_exact_json(
        {
            "message": "Tell us your email address.",
            "errors": {"email": ["Tell us your email address."]},
        }
    )


async def test_authorize_false_answers_403_before_any_database_rule(api: TestClient) -> None:
    response = await api.post("/api/admin", json={"email": "taken@example.com"})
    response.assert_forbidden().assert_exact_json(
        {"message": "This action is unauthorized.", "error": "forbidden"}
    )
    allowed = await api.with_headers({"X-Role": "admin"}).post(
        "/api/admin", json={"email": "taken@example.com"}
    )
    allowed.assert_json_validation_errors({"email": "The email has already been taken."})


async def test_extra_field_is_refused(api: TestClient) -> None:
    response = await api.post("/api/users", json={**VALID, "is_admin": True})
    response.assert_json_validation_errors({"is_admin": "The is admin field is prohibited."})


async def test_wrong_types_are_refused_and_merged_with_rule_errors(api: TestClient) -> None:
    payload = {**VALID, "role_id": "2", "kind": "alien", "starts_at": "yesterday"}
    response = await api.post("/api/users", json=payload)
    response.assert_json_validation_errors(
        {
            "role_id": "The role id field must be an integer.",
            "starts_at": "The starts at field must be a valid date and time.",
            "kind": "The selected kind is invalid.",
        }
    )


async def test_missing_fields_and_empty_body_are_422(api: TestClient) -> None:
    response = await api.post("/api/users")
    response.assert_json_validation_errors(
        {"email": "The email field is required.", "role_id": "The role id field is required."}
    )


@pytest.mark.parametrize("body", [b'{"email": ', b"{'a': 1}", b"\xff\xfe"])
async def test_malformed_json_is_400(api: TestClient, body: bytes) -> None:
    response = await api.post(
        "/api/users", content=body, headers={"Content-Type": "application/json"}
    )
    response.assert_status(400).assert_json_path("error", "invalid_json")


async def test_non_object_body_is_422_and_form_data_is_415(api: TestClient) -> None:
    (await api.post("/api/users", json=[1, 2])).assert_json_validation_errors(
        {"body": "The body field must be an object."}
    )
    (await api.post("/api/users", data={"email": "a@b.c"})).assert_status(415)


async def test_hostile_values_never_cause_a_500(api: TestClient) -> None:
    hostile: list[object] = [
        None,
        {"$ne": 1},
        [1, 2],
        1e308,
        "x" * 10_000,
        True,
        "a\u0000b",
        10**30,
        -(2**63) - 1,
    ]
    for value in hostile:
        for field in ("email", "role_id", "password"):
            response = await api.post("/api/users", json={**VALID, field: value})
            assert response.status_code in {201, 422}, response.text


async def test_nested_items_use_wildcard_rules_names_and_messages(api: TestClient) -> None:
    ok = await api.post("/api/orders", json={"lines": [{"sku": "admin", "quantity": 2}]})
    ok.assert_json_validation_errors({"lines.0.sku": "The SKU field format is invalid."})
    payload = {"lines": [{"sku": "SKU-1", "quantity": 0}, {"sku": "NOPE", "quantity": 1}]}
    response = await api.post("/api/orders", json=payload)
    response.assert_exact_json(
        {
            "message": "The selected SKU is invalid. (and 1 more error)",
            "errors": {
                "lines.1.sku": ["The selected SKU is invalid."],
                "lines.0.quantity": ["The lines.0.quantity field must be at least 1."],
            },
        }
    )


async def test_shape_errors_merge_input_rules_but_not_database_rules(api: TestClient) -> None:
    payload = {"lines": [{"sku": "A", "quantity": 1.5}], "coupon": "lower"}
    response = await api.post("/api/orders", json=payload)
    response.assert_exact_json(
        {
            "message": "Line quantities are whole numbers. (and 1 more error)",
            "errors": {
                "lines.0.quantity": ["Line quantities are whole numbers."],
                "coupon": ["The coupon field format is invalid."],
            },
        }
    )
    # "ZZZ" is well-formed, so only the database could object: it is not asked yet.
    payload = {"lines": [{"sku": "A", "quantity": "1"}], "coupon": "ZZZ"}
    response = await api.post("/api/orders", json=payload)
    response.assert_json_missing_validation_errors("coupon")


async def test_openapi_documents_the_form_request_body(api: TestClient) -> None:
    spec = (await api.get("/openapi.json")).assert_ok().json()
    body = spec["paths"]["/api/orders"]["post"]["requestBody"]["content"]["application/json"]
    schema = body["schema"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["lines"]
    line = schema["properties"]["lines"]["items"]
    assert set(line["properties"]) == {"sku", "quantity"}
    assert "$ref" not in str(schema)

"""Every failing field in one 422, as Laravel reports them: pydantic's errors, the rules'
(database rules included) and the ``after`` hooks', on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import pytest
from fastapi import APIRouter
from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request

from foundry import validation as v
from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.http.requests import FormRequest, Validated
from foundry.kernel.application import Application
from foundry.testing import TestClient

metadata = MetaData()
accounts = Table(
    "fr_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handle", String(50), nullable=False),
)


class OpenAccountRequest(FormRequest):
    handle: str
    age: int
    referrer_id: int | None = None
    plan: str = "free"
    seats: int = 1

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {
            "handle": [v.unique("fr_accounts")],
            "referrer_id": [v.exists("fr_accounts", "id")],
            "plan": [v.in_(["free", "team"])],
        }

    def after(self) -> Sequence[v.AfterHook]:
        return [self.team_needs_seats, self.no_reserved_handle]

    def team_needs_seats(self, errors: v.ErrorBag) -> None:
        if self.plan == "team" and self.seats < 2:
            errors.add("seats", "A team plan needs at least 2 seats.")

    async def no_reserved_handle(self, errors: v.ErrorBag) -> None:
        if self.handle == "root":
            errors.add("handle", "The handle root is reserved.")


class StaffOnlyRequest(FormRequest):
    handle: str
    age: int

    async def authorize(self, request: Request) -> bool:
        return request.headers.get("x-staff") == "yes"

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"handle": [v.unique("fr_accounts")]}


router = APIRouter()


@router.post("/accounts", status_code=201)
async def open_account(data: Validated[OpenAccountRequest]) -> dict[str, Any]:
    return {"handle": data.handle}


@router.post("/staff", status_code=201)
async def staff(data: Validated[StaffOnlyRequest]) -> dict[str, Any]:
    return {"handle": data.handle}


@pytest.fixture
async def api(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    await db.run_sync(metadata.create_all)
    await db.execute(insert(accounts), [{"id": 1, "handle": "taken"}])
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


async def test_type_errors_database_rules_and_after_hooks_come_in_one_422(
    api: TestClient,
) -> None:
    payload = {"handle": "taken", "age": "twelve", "referrer_id": 99, "plan": "team"}
    response = await api.post("/api/accounts", json=payload)
    response.assert_exact_json(
        {
            "message": "The age field must be an integer. (and 3 more errors)",
            "errors": {
                "age": ["The age field must be an integer."],
                "handle": ["The handle has already been taken."],
                "referrer_id": ["The selected referrer id is invalid."],
                "seats": ["A team plan needs at least 2 seats."],
            },
        }
    )


async def test_after_hooks_run_when_the_rules_pass_and_may_be_async(api: TestClient) -> None:
    response = await api.post("/api/accounts", json={"handle": "root", "age": 30})
    response.assert_exact_json(
        {
            "message": "The handle root is reserved.",
            "errors": {"handle": ["The handle root is reserved."]},
        }
    )
    ok = await api.post(
        "/api/accounts", json={"handle": "new", "age": 30, "plan": "team", "seats": 3}
    )
    ok.assert_created()


async def test_a_hook_needing_a_refused_field_is_skipped(api: TestClient) -> None:
    # ``plan`` is refused, so team_needs_seats cannot run; its field's error is the one shown.
    response = await api.post("/api/accounts", json={"handle": "new", "age": 30, "plan": 5})
    response.assert_exact_json(
        {
            "message": "The plan field must be a string.",
            "errors": {"plan": ["The plan field must be a string."]},
        }
    )


async def test_database_rules_wait_for_authorization_even_on_malformed_input(
    api: TestClient,
) -> None:
    refused = await api.post("/api/staff", json={"handle": "taken", "age": "x"})
    refused.assert_forbidden()
    allowed = await api.with_headers({"X-Staff": "yes"}).post(
        "/api/staff", json={"handle": "taken", "age": "x"}
    )
    allowed.assert_json_validation_errors(
        {"age": "The age field must be an integer.", "handle": "The handle has already been taken."}
    )


async def test_registration_reports_the_email_and_the_password_together(
    client: TestClient,
) -> None:
    body = {
        "name": "Ada",
        "email": "not-an-email",
        "password": "short",
        "password_confirmation": "short",
    }
    response = await client.post("/api/v1/auth/register", json=body)
    response.assert_unprocessable()
    errors = response.json()["errors"]
    assert errors == {
        "email": ["The email field must be a valid email address."],
        "password": ["The password field must be at least 12 characters."],
    }


async def test_registration_reports_a_taken_email_with_a_missing_name(client: TestClient) -> None:
    password = "correct horse battery staple"
    first = {
        "name": "Ada",
        "email": "ada@example.com",
        "password": password,
        "password_confirmation": password,
    }
    (await client.post("/api/v1/auth/register", json=first)).assert_created()
    again = {**first, "name": 5, "email": "ADA@example.com", "password_confirmation": "other"}
    response = await client.post("/api/v1/auth/register", json=again)
    response.assert_exact_json(
        {
            "message": "The name field must be a string. (and 2 more errors)",
            "errors": {
                "name": ["The name field must be a string."],
                "email": ["The email has already been taken."],
                "password": ["The password field confirmation does not match."],
            },
        }
    )


async def test_patch_me_refuses_a_null_name_and_keeps_the_stored_one(client: TestClient) -> None:
    password = "correct horse battery staple"
    body = {"name": "Ada", "email": "ada@example.com", "password": password}
    tokens = (
        await client.post("/api/v1/auth/register", json={**body, "password_confirmation": password})
    ).assert_created()
    headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    response = await client.patch("/api/v1/auth/me", json={"name": None}, headers=headers)
    response.assert_json_validation_errors({"name": "The name field must be a string."})
    me = await client.get("/api/v1/auth/me", headers=headers)
    me.assert_ok().assert_json_path("data.name", "Ada")
    renamed = await client.patch("/api/v1/auth/me", json={"name": "Ada L."}, headers=headers)
    renamed.assert_ok().assert_json_path("data.name", "Ada L.")

"""The ``/api/v1/auth`` endpoints end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from foundry.auth.events import Login, LoginFailed, Registered
from foundry.events import EventDispatcher
from foundry.kernel.application import Application
from foundry.testing import TestClient, TestResponse

PASSWORD = "correct horse battery staple"
API = "/api/v1/auth"


async def register(client: TestClient, email: str = "ada@example.com") -> TestResponse:
    return await client.post(
        f"{API}/register",
        json={
            "name": "Ada",
            "email": email,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
    )


async def login(
    client: TestClient, password: str = PASSWORD, email: str = "ada@example.com"
) -> TestResponse:
    return await client.post(f"{API}/login", json={"email": email, "password": password})


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_register_logs_in_and_me_answers(
    client: TestClient, application: Application
) -> None:
    fake = application.container.make(EventDispatcher).fake()
    response = (await register(client, "Ada@Example.COM")).assert_created()
    response.assert_json({"status": "authenticated", "token_type": "Bearer", "expires_in": 900})
    response.assert_json_path("user.email", "ada@example.com")
    me = await client.get(f"{API}/me", headers=bearer(response.json()))
    me.assert_ok().assert_json_path("data.email", "ada@example.com")
    me.assert_json_missing_path("data.password")
    fake.assert_dispatched(Registered, lambda event: event.user.email == "ada@example.com")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short", "password_confirmation": "short"}, "password"),
        ({"password": "aaaaaaaaaaaa", "password_confirmation": "aaaaaaaaaaaa"}, "password"),
        ({"password": "password1234", "password_confirmation": "password1234"}, "password"),
        ({"password_confirmation": "something else entirely"}, "password"),
        ({"admin": True}, "admin"),
    ],
)
async def test_registration_refuses_bad_input(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    body = {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}
    body["password_confirmation"] = PASSWORD
    response = await client.post(f"{API}/register", json={**body, **changes})
    response.assert_json_validation_errors(field)


async def test_duplicate_registration_is_refused_whatever_the_case(client: TestClient) -> None:
    (await register(client)).assert_created()
    (await register(client, "ADA@example.com")).assert_json_validation_errors(
        {"email": "already been taken"}
    )


async def test_login_answers_the_same_for_unknown_email_and_wrong_password(
    client: TestClient, application: Application
) -> None:
    (await register(client)).assert_created()
    fake = application.container.make(EventDispatcher).fake()
    wrong = (await login(client, "wrong password here")).assert_unauthorized()
    unknown = (await login(client, email="nobody@example.com")).assert_unauthorized()
    assert (
        wrong.json()
        == unknown.json()
        == {
            "message": "These credentials do not match our records.",
            "error": "invalid_credentials",
        }
    )
    fake.assert_dispatched_times(LoginFailed, 2)
    (await login(client)).assert_ok().assert_json({"status": "authenticated"})
    fake.assert_dispatched(Login)


async def test_login_is_throttled_per_email_and_ip(client: TestClient) -> None:
    (await register(client)).assert_created()
    for _ in range(5):
        (await login(client, "wrong password here")).assert_unauthorized()
    throttled = (await login(client)).assert_too_many_requests()
    assert 0 < int(throttled.headers["Retry-After"]) <= 60


async def test_refresh_rotates_and_a_reused_token_ends_the_login(client: TestClient) -> None:
    tokens = (await register(client)).json()
    refreshed = await client.post(f"{API}/refresh", json={"refresh_token": tokens["refresh_token"]})
    second = refreshed.assert_ok().json()
    assert second["refresh_token"] != tokens["refresh_token"]
    reused = await client.post(f"{API}/refresh", json={"refresh_token": tokens["refresh_token"]})
    reused.assert_unauthorized()
    after = await client.post(f"{API}/refresh", json={"refresh_token": second["refresh_token"]})
    after.assert_unauthorized()
    # The stolen login's access tokens die with it.
    (await client.get(f"{API}/me", headers=bearer(second))).assert_unauthorized()


async def test_logout_revokes_the_access_and_refresh_tokens(client: TestClient) -> None:
    tokens = (await register(client)).json()
    (await client.post(f"{API}/logout", headers=bearer(tokens))).assert_no_content()
    (await client.get(f"{API}/me", headers=bearer(tokens))).assert_unauthorized()
    refresh = await client.post(f"{API}/refresh", json={"refresh_token": tokens["refresh_token"]})
    refresh.assert_unauthorized()


async def test_logout_all_ends_every_session(client: TestClient) -> None:
    (await register(client)).assert_created()
    phone, laptop = (await login(client)).json(), (await login(client)).json()
    (await client.post(f"{API}/logout-all", headers=bearer(laptop))).assert_no_content()
    (await client.get(f"{API}/me", headers=bearer(phone))).assert_unauthorized()
    refresh = await client.post(f"{API}/refresh", json={"refresh_token": phone["refresh_token"]})
    refresh.assert_unauthorized()


async def test_changing_the_password_ends_other_sessions(client: TestClient) -> None:
    first = (await register(client)).json()
    other = (await login(client)).json()
    wrong = await client.post(
        f"{API}/password",
        headers=bearer(first),
        json={
            "current_password": "not it at all",
            "password": "a brand new passphrase",
            "password_confirmation": "a brand new passphrase",
        },
    )
    wrong.assert_json_validation_errors("current_password")
    changed = await client.post(
        f"{API}/password",
        headers=bearer(first),
        json={
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "password_confirmation": "a brand new passphrase",
        },
    )
    fresh = changed.assert_ok().json()
    (await client.get(f"{API}/me", headers=bearer(other))).assert_unauthorized()
    (await client.get(f"{API}/me", headers=bearer(fresh))).assert_ok()
    (await login(client)).assert_unauthorized()
    (await login(client, "a brand new passphrase")).assert_ok()


async def test_profile_update_and_a_new_email_needs_verifying_again(client: TestClient) -> None:
    tokens = (await register(client)).json()
    (await register(client, "bob@example.com")).assert_created()
    taken = await client.patch(
        f"{API}/me", headers=bearer(tokens), json={"email": "BOB@example.com"}
    )
    taken.assert_json_validation_errors("email")
    updated = await client.patch(
        f"{API}/me", headers=bearer(tokens), json={"name": "Ada L.", "email": "ada@new.example"}
    )
    updated.assert_ok().assert_json_path("data.name", "Ada L.")
    updated.assert_json_path("data.email_verified_at", None)

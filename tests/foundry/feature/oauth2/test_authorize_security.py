"""The authorization endpoint's RFC 9700 cases: redirect URIs, PKCE, errors, consent, CSRF."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from tests.foundry.feature.oauth2.browser import approve, hidden_fields, sign_in
from tests.foundry.feature.oauth2.conftest import PASSWORD, REDIRECT, MakeClient
from tests.foundry.testbench.models import User

VERIFIER = secrets.token_urlsafe(48)


def authorize_url(client_id: str, **overrides: str | None) -> str:
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": "profile",
        "state": "xyz",
        "code_challenge": create_s256_code_challenge(VERIFIER),
        "code_challenge_method": "S256",
        **overrides,
    }
    return "/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


async def signed_in(http: httpx.AsyncClient, client_id: str) -> httpx.Response:
    """Sign in through a valid request; returns its consent page."""
    return await sign_in(http, authorize_url(client_id))


def query_of(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://client.example.com/callback/extra",  # suffix
        "https://client.example.com/call",  # prefix
        "https://CLIENT.example.com/callback",  # case
        "https://client.example.com/callback/../evil",  # path traversal
        "https://client.example.com@evil.example/callback",  # userinfo trick
        "https://evil.example/callback",
        "https://client.example.com/callback?x=1",
        "https://client.example.com/callback#frag",
    ],
)
async def test_unregistered_redirect_uris_get_an_error_page_not_a_redirect(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, redirect_uri: str
) -> None:
    registered = await make_client()
    await signed_in(http, registered.client_id)
    response = await http.get(authorize_url(registered.client_id, redirect_uri=redirect_uri))
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "text/html" in response.headers["content-type"]
    assert response.headers["x-frame-options"] == "DENY"


async def test_unknown_client_gets_an_error_page(http: httpx.AsyncClient) -> None:
    response = await http.get(authorize_url("no-such-client"))
    assert response.status_code == 400
    assert "invalid_client" in response.text


async def test_loopback_redirects_may_change_only_the_port(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(
        public=True, redirect_uris=["http://127.0.0.1/callback"], first_party=True
    )
    page = await sign_in(
        http, authorize_url(registered.client_id, redirect_uri="http://127.0.0.1:53682/callback")
    )
    assert page.status_code == 302
    assert page.headers["location"].startswith("http://127.0.0.1:53682/callback?code=")
    other_path = await http.get(
        authorize_url(registered.client_id, redirect_uri="http://127.0.0.1:53682/other")
    )
    assert other_path.status_code == 400
    other_host = await http.get(
        authorize_url(registered.client_id, redirect_uri="http://localhost:53682/callback")
    )
    assert other_host.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"scope": "profile admin"}, "invalid_scope"),
        ({"scope": "offline_access"}, "invalid_scope"),  # known, but not allowed for the client
    ],
)
async def test_errors_redirect_to_the_verified_uri_with_state(
    http: httpx.AsyncClient,
    make_client: MakeClient,
    user: User,
    overrides: dict[str, str | None],
    error: str,
) -> None:
    registered = await make_client()
    await signed_in(http, registered.client_id)
    response = await http.get(authorize_url(registered.client_id, **overrides))
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    assert query_of(location)["error"] == [error]
    assert query_of(location)["state"] == ["xyz"]


async def test_duplicated_parameters_are_refused(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client()
    await signed_in(http, registered.client_id)
    response = await http.get(authorize_url(registered.client_id) + "&scope=users:read")
    assert response.status_code == 400
    assert "invalid_request" in response.text


async def test_access_tokens_in_the_query_string_are_refused(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client()
    response = await http.get(authorize_url(registered.client_id) + "&access_token=abc")
    assert response.status_code == 400
    me = await http.get("/api/v1/auth/me?access_token=abc")
    assert me.status_code == 401


async def test_deny_redirects_with_access_denied_and_state(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client()
    location = await approve(http, await signed_in(http, registered.client_id), "deny")
    assert query_of(location)["error"] == ["access_denied"]
    assert query_of(location)["state"] == ["xyz"]


async def test_consent_is_remembered_unless_prompt_consent_or_more_scopes(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client()
    await approve(http, await signed_in(http, registered.client_id))
    again = await http.get(authorize_url(registered.client_id))
    assert again.status_code == 302 and "code=" in again.headers["location"]
    forced = await http.get(authorize_url(registered.client_id, prompt="consent"))
    assert forced.status_code == 200 and "Authorize" in forced.text
    wider = await http.get(authorize_url(registered.client_id, scope="profile users:read"))
    assert wider.status_code == 200 and "List the users of this site" in wider.text


async def test_first_party_clients_skip_consent(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(first_party=True)
    answer = await signed_in(http, registered.client_id)
    assert answer.status_code == 302
    assert query_of(answer.headers["location"])["state"] == ["xyz"]


async def test_prompt_none_without_a_session_redirects_login_required(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client()
    response = await http.get(authorize_url(registered.client_id, prompt="none"))
    assert response.status_code == 302
    assert query_of(response.headers["location"])["error"] == ["login_required"]


async def test_consent_form_needs_the_csrf_token(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client()
    fields = hidden_fields((await signed_in(http, registered.client_id)).text)
    fields["csrf_token"] = "forged"
    response = await http.post("/oauth/authorize", data={**fields, "decision": "approve"})
    assert response.status_code == 403
    assert "location" not in response.headers


async def test_a_first_party_spa_may_post_with_a_bearer_login_token(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(public=True, first_party=True)
    login = await http.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    token = login.json()["access_token"]
    params = parse_qs(urlsplit(authorize_url(registered.client_id)).query)
    form = {k: v[0] for k, v in params.items()} | {"decision": "approve"}
    response = await http.post(
        "/oauth/authorize", data=form, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 303
    assert "code=" in response.headers["location"]


async def test_the_login_page_refuses_wrong_passwords_and_foreign_next_urls(
    http: httpx.AsyncClient, user: User
) -> None:
    page = await http.get("/oauth/login?next=https://evil.example/")
    fields = hidden_fields(page.text)
    assert fields["next"] == "/oauth/device"
    wrong = await http.post(
        "/oauth/login", data={**fields, "email": "ada@example.com", "password": "wrong"}
    )
    assert wrong.status_code == 401
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


@pytest.mark.parametrize(
    "overrides",
    [
        {"response_type": 'to"ken'},
        {"response_type": "tö\\ken"},
        {"scope": 'pro"file'},
        {"redirect_uri": 'https://e"vil/\\'},
        {"code_challenge_method": "S256\\"},
    ],
)
async def test_malformed_parameters_get_a_400_page_never_a_500(
    http: httpx.AsyncClient,
    make_client: MakeClient,
    user: User,
    overrides: dict[str, str | None],
) -> None:
    registered = await make_client()
    await signed_in(http, registered.client_id)
    response = await http.get(authorize_url(registered.client_id, **overrides))
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_the_login_page_lets_its_form_end_at_the_client(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client()
    first = await http.get(authorize_url(registered.client_id))
    login = await http.get(first.headers["location"].removeprefix("https://testserver"))
    policy = login.headers["content-security-policy"]
    assert "form-action 'self' https://client.example.com;" in policy
    assert login.headers["x-frame-options"] == "DENY"

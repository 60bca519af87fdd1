"""The client snapshot authlib sees: secrets, auth methods, grants, scopes."""

from __future__ import annotations

from foundry.oauth2.client import OAuth2Client, hash_secret


def client(**overrides: object) -> OAuth2Client:
    values: dict[str, object] = {
        "pk": 1,
        "client_id": "c",
        "name": "C",
        "secret_hash": hash_secret("s3cret"),
        "redirect_uris": ("https://a.example/cb",),
        "grant_types": ("authorization_code", "password", "client_credentials"),
        "scopes": ("profile", "users:read"),
        "public": False,
        "first_party": False,
        "owner_id": None,
        **overrides,
    }
    return OAuth2Client(**values)  # type: ignore[arg-type]  # built from a dict of overrides


def test_secrets_compare_by_hash() -> None:
    assert client().check_client_secret("s3cret")
    assert not client().check_client_secret("S3cret")
    assert not client(secret_hash=None, public=True).check_client_secret("")


def test_auth_methods_follow_the_client_type() -> None:
    assert client().check_endpoint_auth_method("client_secret_basic", "token")
    assert not client().check_endpoint_auth_method("none", "token")
    public = client(public=True, secret_hash=None)
    assert public.check_endpoint_auth_method("none", "token")
    assert not public.check_endpoint_auth_method("client_secret_post", "token")


def test_password_needs_the_server_switch_and_public_clients_have_no_client_credentials() -> None:
    assert not client().check_grant_type("password")
    assert client(password_grant_enabled=True).check_grant_type("password")
    assert not client(public=True).check_grant_type("client_credentials")
    assert not client().check_grant_type("refresh_token")
    assert client().check_response_type("code")
    assert not client().check_response_type("token")


def test_allowed_scopes() -> None:
    assert client().get_allowed_scope("profile profile") == "profile"
    assert client().get_allowed_scope("profile admin") is None
    assert client().get_allowed_scope(None) == ""

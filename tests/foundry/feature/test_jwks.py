"""``GET /.well-known/jwks.json``: a third party verifies our tokens from it alone.

PyJWT is not installed, so the independent verifier is joserfc used directly (its ``KeySet`` and
claims registry), fed only the JSON fetched over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from foundry.auth.jwt import JwtService, KeyStore, MissingKeysError
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.testing import TestClient
from tests.foundry.auth.test_jwt_helpers import jwt_env

MakeApplication = Callable[..., Application]


@pytest.fixture
def application(make_application: MakeApplication, tmp_path: Path) -> Application:
    return make_application(**jwt_env(tmp_path / "keys"))


@pytest.fixture
async def client(application: Application) -> AsyncIterator[TestClient]:
    async with TestClient(create_app(application)) as test_client:
        yield test_client


def _verify_independently(token: str, jwks_json: str) -> dict[str, object]:
    key_set = KeySet.import_key_set(json.loads(jwks_json))
    decoded = jwt.decode(token, key_set, algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": "http://127.0.0.1:8000"},
        aud={"essential": True, "value": "foundry"},
        exp={"essential": True},
        sub={"essential": True},
    ).validate(decoded.claims)
    return decoded.claims


async def test_a_standard_library_verifies_our_tokens_from_the_jwks(
    client: TestClient, application: Application
) -> None:
    issued = application.container.make(JwtService).issue("42", claims={"scope": "read"})

    response = (await client.get("/.well-known/jwks.json")).assert_ok()

    assert response.headers["content-type"] == "application/jwk-set+json"
    assert response.headers["cache-control"] == "public, max-age=300"
    claims = _verify_independently(issued.token, response.text)
    assert claims["sub"] == "42" and claims["jti"] == issued.jti and claims["scope"] == "read"
    for key in response.json()["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


async def test_after_rotation_the_jwks_verifies_old_and_new_tokens(
    client: TestClient, application: Application
) -> None:
    service = application.container.make(JwtService)
    old = service.issue("1")
    service.keys.rotate(retain_for=930)
    new = service.issue("2")

    document = (await client.get("/.well-known/jwks.json")).assert_ok().text

    assert len(json.loads(document)["keys"]) == 2
    assert _verify_independently(old.token, document)["sub"] == "1"
    assert _verify_independently(new.token, document)["sub"] == "2"
    header = jwt.decode(new.token, KeySet.import_key_set(json.loads(document))).header
    assert header["kid"] == service.keys.current_kid


async def test_a_tampered_token_fails_the_independent_check(
    client: TestClient, application: Application
) -> None:
    token = application.container.make(JwtService).issue("42").token
    head, payload, signature = token.split(".")
    document = (await client.get("/.well-known/jwks.json")).text

    with pytest.raises(BadSignatureError):
        _verify_independently(f"{head}.{payload}.{signature[:-4]}AAAA", document)


async def test_keys_are_parsed_once_however_many_requests(
    client: TestClient, application: Application
) -> None:
    service = application.container.make(JwtService)
    loads = application.container.make(KeyStore).pem_loads
    for _ in range(5):
        (await client.get("/.well-known/jwks.json")).assert_ok()
        service.decode(service.issue("1").token)

    assert application.container.make(KeyStore).pem_loads == loads == 1


def test_booting_again_reuses_the_generated_key(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    env = jwt_env(tmp_path / "keys")
    first = make_application(**env).container.make(JwtService)
    second = make_application(**env).container.make(JwtService)

    assert first.keys.current_kid == second.keys.current_kid
    assert second.decode(first.issue("1").token).subject == "1"


def test_production_refuses_to_start_without_keys(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    with pytest.raises(MissingKeysError, match="artisan jwt:keys"):
        make_application(**jwt_env(tmp_path / "keys", APP_ENV="production"))
    assert not (tmp_path / "keys").exists()

    KeyStore(tmp_path / "keys").generate()
    app = make_application(**jwt_env(tmp_path / "keys", APP_ENV="production"))
    assert app.container.make(JwtService).issue("1").expires_in == 900

"""RFC 8414 metadata, validated with authlib's own metadata model; the JWKS is unchanged."""

from __future__ import annotations

import httpx
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata


async def test_metadata_lists_every_endpoint_grant_scope_and_method(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    body = response.json()
    AuthorizationServerMetadata(body).validate()
    assert body["token_endpoint"].endswith("/oauth/token")
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["response_types_supported"] == ["code"]
    assert set(body["grant_types_supported"]) >= {
        "authorization_code",
        "client_credentials",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
    }
    assert {"profile", "users:read"} <= set(body["scopes_supported"])
    assert "none" in body["token_endpoint_auth_methods_supported"]
    jwks = (await http.get("/.well-known/jwks.json")).json()
    assert jwks["keys"] and jwks["keys"][0]["alg"] == "RS256"

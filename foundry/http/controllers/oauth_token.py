"""``POST /oauth/token``, ``/oauth/introspect``, ``/oauth/revoke``, and the RFC 8414 metadata."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OAuth2Settings
from foundry.http.dependencies import Inject, container_for
from foundry.http.oauth_request import NO_STORE, read_oauth_request
from foundry.oauth2.metadata import server_metadata
from foundry.oauth2.server import OAuth2Response
from foundry.oauth2.services.oauth2_service import OAuth2Service

__all__ = ["render", "router"]

router = APIRouter(tags=["oauth2"])


def render(response: OAuth2Response) -> Response:
    """authlib's answer as a JSON response that no cache keeps."""
    headers = {k: v for k, v in response.headers if k.lower() != "content-type"}
    headers.update(NO_STORE)
    return JSONResponse(response.body, status_code=response.status, headers=headers)


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post("/oauth/token", response_model=None)
async def token(request: Request) -> Response:
    """Every grant: authorization_code (+PKCE), client_credentials, refresh_token, password,
    device_code. Errors follow RFC 6749 section 5.2."""
    adapted = await read_oauth_request(request)
    if isinstance(adapted, OAuth2Response):
        return render(adapted)
    # The service comes from the request's container scope as ``Inject[OAuth2Service]`` would
    # give it, without FastAPI's sub-dependency machinery: that costs ~25 us a request, ~4% of
    # a client_credentials token, the one endpoint machine clients call in a loop.
    oauth = container_for(request).make(OAuth2Service)
    return render(await oauth.token(adapted, _ip(request)))


@router.post("/oauth/introspect", response_model=None)
async def introspect(request: Request, oauth: Inject[OAuth2Service]) -> Response:
    """RFC 7662: whether a token is active, and its claims."""
    adapted = await read_oauth_request(request)
    if isinstance(adapted, OAuth2Response):
        return render(adapted)
    return render(await oauth.introspect(adapted, _ip(request)))


@router.post("/oauth/revoke", response_model=None)
async def revoke(request: Request, oauth: Inject[OAuth2Service]) -> Response:
    """RFC 7009: revoke an access or refresh token (200 even for an unknown token)."""
    adapted = await read_oauth_request(request)
    if isinstance(adapted, OAuth2Response):
        return render(adapted)
    return render(await oauth.revoke(adapted, _ip(request)))


@router.get("/.well-known/oauth-authorization-server", response_model=None)
async def metadata(settings: Inject[OAuth2Settings], jwt: Inject[JwtService]) -> JSONResponse:
    """RFC 8414 authorization server metadata."""
    body: dict[str, Any] = server_metadata(settings, jwt.settings.issuer)
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})

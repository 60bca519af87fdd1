"""``GET /.well-known/jwks.json``: the public keys that verify our access tokens (RFC 7517).

Any JWT library can verify our tokens with this document: pick the key whose ``kid`` matches the
token header's. It lists the current key and every retired key still within its retention.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import JSONResponse

from foundry.auth.jwt.service import JwtService
from foundry.http.dependencies import Inject

__all__ = ["CACHE_SECONDS", "router"]

#: How long clients may cache the key set; short, so a rotation is seen within minutes.
CACHE_SECONDS = 300

router = APIRouter(tags=["auth"])


@router.get("/.well-known/jwks.json", response_model=None)
async def jwks(service: Inject[JwtService]) -> JSONResponse:
    """The JSON Web Key Set of the token signing keys."""
    body: dict[str, Any] = service.jwks()
    return JSONResponse(
        body,
        media_type="application/jwk-set+json",
        headers={"Cache-Control": f"public, max-age={CACHE_SECONDS}"},
    )

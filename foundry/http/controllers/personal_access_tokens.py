"""``/api/v1/personal-access-tokens``: a user's tokens for scripts (shown once at creation)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from foundry.auth.models.personal_access_token import PersonalAccessToken
from foundry.http.auth import FirstPartyUser
from foundry.http.dependencies import Inject
from foundry.http.ids import RecordId
from foundry.http.requests import Validated
from foundry.http.requests.oauth import CreatePersonalAccessTokenRequest
from foundry.kernel.errors import NotFoundError
from foundry.oauth2.services.personal_access_token_service import PersonalAccessTokenService

__all__ = ["router"]

router = APIRouter(prefix="/personal-access-tokens", tags=["oauth2"])


def _show(token: PersonalAccessToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "scopes": token.scopes.split(),
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "created_at": token.created_at,
    }


@router.get("")
async def index(user: FirstPartyUser, tokens: Inject[PersonalAccessTokenService]) -> dict[str, Any]:
    """The user's live tokens (never the token itself)."""
    return {"data": [_show(t) for t in await tokens.for_user(user)]}


@router.post("", status_code=201)
async def store(
    data: Validated[CreatePersonalAccessTokenRequest],
    user: FirstPartyUser,
    tokens: Inject[PersonalAccessTokenService],
) -> dict[str, Any]:
    """Create a token; ``access_token`` is in this answer only."""
    created = await tokens.create(user, data.name, data.scopes, data.expiry())
    return {"data": _show(created.token), "access_token": created.plain_text_token}


@router.delete("/{token_id}", status_code=204, response_model=None)
async def destroy(
    token_id: RecordId, user: FirstPartyUser, tokens: Inject[PersonalAccessTokenService]
) -> Response:
    """Revoke one of the user's tokens (404 if it is not theirs)."""
    if not await tokens.revoke(user, token_id):
        raise NotFoundError()
    return Response(status_code=204)

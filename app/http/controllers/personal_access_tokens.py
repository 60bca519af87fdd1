"""``/api/v1/personal-access-tokens``: a user's tokens for scripts (shown once at creation)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.auth.personal_access_tokens import PersonalAccessTokens
from app.events import EventDispatcher
from app.http.auth import FirstPartyUser
from app.http.dependencies import Inject
from app.http.requests import Validated
from app.http.requests.oauth import CreatePersonalAccessTokenRequest
from app.models.oauth_consent import PersonalAccessToken
from app.oauth2.events import TokenRevoked
from app.support.errors import NotFoundError

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
async def index(user: FirstPartyUser, session: Inject[AsyncSession]) -> dict[str, Any]:
    """The user's live tokens (never the token itself)."""
    return {"data": [_show(t) for t in await PersonalAccessTokens(session).for_user(user.id)]}


@router.post("", status_code=201)
async def store(
    data: Validated[CreatePersonalAccessTokenRequest],
    user: FirstPartyUser,
    session: Inject[AsyncSession],
) -> dict[str, Any]:
    """Create a token; ``access_token`` is in this answer only."""
    created = await user.create_token(data.name, data.scopes, data.expiry(), session=session)
    await session.commit()
    return {"data": _show(created.token), "access_token": created.plain_text_token}


@router.delete("/{token_id}", status_code=204, response_model=None)
async def destroy(
    request: Request,
    token_id: int,
    user: FirstPartyUser,
    session: Inject[AsyncSession],
    events: Inject[EventDispatcher],
) -> Response:
    """Revoke one of the user's tokens (404 if it is not theirs)."""
    if not await PersonalAccessTokens(session).revoke(user.id, token_id):
        raise NotFoundError()
    await events.dispatch(TokenRevoked(None, "personal_access_token"))
    await session.commit()
    return Response(status_code=204)

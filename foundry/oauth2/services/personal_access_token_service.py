"""``PersonalAccessTokenService``: a user's tokens for scripts, each action one unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.has_api_tokens import NewAccessToken
from foundry.auth.models.personal_access_token import PersonalAccessToken
from foundry.auth.personal_access_tokens import PersonalAccessTokens
from foundry.auth.user import AuthUser
from foundry.events import EventDispatcher
from foundry.oauth2.events import PersonalAccessTokenCreated, TokenRevoked

__all__ = ["PersonalAccessTokenService"]


class PersonalAccessTokenService:
    """Lists, creates and revokes personal access tokens, and commits."""

    def __init__(
        self, session: AsyncSession, tokens: PersonalAccessTokens, events: EventDispatcher
    ) -> None:
        self.session = session
        self.tokens = tokens
        self.events = events

    async def for_user(self, user: AuthUser) -> list[PersonalAccessToken]:
        """The user's live tokens, newest first (never the token itself)."""
        return await self.tokens.for_user(user.id)

    async def create(
        self, user: AuthUser, name: str, scopes: Iterable[str], expires_at: datetime | None
    ) -> NewAccessToken:
        """A new token; its plain text is in the result only. 422 for a bad name or scope."""
        created = await user.create_token(name, scopes, expires_at, session=self.session)
        await self.events.dispatch(
            PersonalAccessTokenCreated(None, user.id, created.token.id, created.token.name)
        )
        await self.session.commit()
        return created

    async def revoke(self, user: AuthUser, token_id: int) -> bool:
        """Revoke one of the user's tokens; false when they hold no such live token."""
        if not await self.tokens.revoke(user.id, token_id):
            return False
        await self.events.dispatch(TokenRevoked(None, "personal_access_token"))
        await self.session.commit()
        return True

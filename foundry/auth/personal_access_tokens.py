"""Personal access tokens: authenticate, list and revoke (creation: ``user.create_token``)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.has_api_tokens import PAT_PREFIX, hash_personal_token
from foundry.auth.models.personal_access_token import PersonalAccessToken
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.database import utcnow

__all__ = ["PAT_PREFIX", "PersonalAccessTokens"]

#: ``last_used_at`` is written at most this often, so a busy token does not write per request.
_TOUCH_EVERY = timedelta(minutes=5)


class PersonalAccessTokens:
    """Personal access tokens in the caller's session."""

    def __init__(self, session: AsyncSession, users: UserProvider) -> None:
        self.users = users
        self.session = session

    async def authenticate(self, token: str) -> tuple[AuthUser, PersonalAccessToken] | None:
        """The user and token row of a live token, else ``None``."""
        if not token.startswith(PAT_PREFIX) or len(token) > 200:
            return None
        row = await self.session.scalar(
            select(PersonalAccessToken).where(
                PersonalAccessToken.token_hash == hash_personal_token(token),
                PersonalAccessToken.revoked_at.is_(None),
            )
        )
        now = utcnow()
        if row is None or (row.expires_at is not None and row.expires_at <= now):
            return None
        user = await self.users.find(self.session, row.user_id)
        if user is None:
            return None
        if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
            # End the read first: on SQLite a read-then-write transaction fails at once when
            # another request wrote in between, while a fresh write waits for the lock.
            await self.session.commit()
            await self.session.execute(
                update(PersonalAccessToken)
                .where(PersonalAccessToken.id == row.id)
                .values(last_used_at=now)
                .execution_options(synchronize_session=False)
            )
            await self.session.commit()
            row.last_used_at = now
        return user, row

    async def for_user(self, user_id: int) -> list[PersonalAccessToken]:
        """The user's live tokens, newest first."""
        rows = await self.session.scalars(
            select(PersonalAccessToken)
            .where(
                PersonalAccessToken.user_id == user_id,
                PersonalAccessToken.revoked_at.is_(None),
            )
            .order_by(PersonalAccessToken.id.desc())
        )
        return list(rows)

    async def revoke(self, user_id: int, token_id: int) -> bool:
        """Revoke one of the user's tokens; false if there is no such live token."""
        row = await self.session.scalar(
            select(PersonalAccessToken).where(
                PersonalAccessToken.id == token_id,
                PersonalAccessToken.user_id == user_id,
                PersonalAccessToken.revoked_at.is_(None),
            )
        )
        if row is None:
            return False
        row.revoked_at = utcnow()
        await self.session.flush()
        return True

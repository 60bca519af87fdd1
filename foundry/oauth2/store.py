"""Asynchronous loading and writing of OAuth2 rows around authlib's synchronous calls.

Loaders turn rows into the snapshots of :mod:`foundry.oauth2.records`; writers apply what authlib
decided, with compare-and-set updates so that of two requests racing with one code or refresh
token exactly one wins.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import InvalidTokenError, JwtService
from foundry.auth.refresh_tokens import hash_token
from foundry.config.oauth2 import OAuth2Settings
from foundry.database import utcnow
from foundry.database.lazy_session import LazySession
from foundry.oauth2.client import OAuth2Client
from foundry.oauth2.client_cache import ClientCache
from foundry.oauth2.context import IssuedGrantToken, NewAuthorizationCode
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.models.oauth_token import (
    OAuthAccessToken,
    OAuthAuthorizationCode,
    OAuthRefreshToken,
)
from foundry.oauth2.records import AccessRecord, CodeRecord, RefreshRecord

__all__ = ["OAuth2Store"]


async def _rowcount(session: AsyncSession, statement: Any) -> int:
    result: CursorResult[tuple[()]] = await session.execute(statement)  # type: ignore[assignment]  # DML statements give a CursorResult
    return int(result.rowcount)


class OAuth2Store:
    """Reads and writes in the caller's session; the caller commits.

    The session is opened by the first query (a :class:`LazySession`): a client found in the
    cache costs none. A caller holding an open session passes ``LazySession.opened(session)``.
    """

    def __init__(
        self,
        session: LazySession,
        jwt: JwtService,
        settings: OAuth2Settings,
        cache: ClientCache | None = None,
    ) -> None:
        self._session = session
        self.jwt = jwt
        self.settings = settings
        self.cache = cache

    @property
    def session(self) -> AsyncSession:
        """The session the store reads and writes in."""
        return self._session.get()

    # -- loading -------------------------------------------------------------------------------

    async def client(self, client_id: str | None) -> OAuth2Client | None:
        """The live client called ``client_id``."""
        if not client_id or len(client_id) > 64:
            return None
        if self.cache is not None:
            cached = self.cache.get(client_id)
            if cached is not None:
                return cached
        row = await self.session.scalar(
            select(OAuthClient).where(
                OAuthClient.client_id == client_id, OAuthClient.revoked_at.is_(None)
            )
        )
        if row is None:
            return None
        client = OAuth2Client.from_model(row, password_grant_enabled=self.settings.password_grant)
        if self.cache is not None:
            self.cache.put(client)
        return client

    async def code(self, code: str) -> CodeRecord | None:
        """The authorization code presented (used or not)."""
        row = await self.session.scalar(
            select(OAuthAuthorizationCode).where(
                OAuthAuthorizationCode.code_hash == hash_token(code)
            )
        )
        if row is None:
            return None
        return CodeRecord(
            pk=row.id,
            client_pk=row.client_id,
            user_id=row.user_id,
            redirect_uri=row.redirect_uri,
            scopes=row.scopes,
            code_challenge=row.code_challenge,
            code_challenge_method=row.code_challenge_method,
            family_id=row.family_id,
            expires_at=row.expires_at,
            used=row.used_at is not None,
        )

    async def refresh(self, token: str) -> RefreshRecord | None:
        """The refresh token presented (rotated or not)."""
        row = await self.session.scalar(
            select(OAuthRefreshToken).where(OAuthRefreshToken.token_hash == hash_token(token))
        )
        if row is None:
            return None
        return RefreshRecord(
            pk=row.id,
            client_pk=row.client_id,
            user_id=row.user_id,
            scopes=row.scopes,
            family_id=row.family_id,
            expires_at=row.expires_at,
            rotated=row.rotated_at is not None,
            revoked=row.revoked_at is not None,
        )

    async def access(self, token: str) -> AccessRecord | None:
        """An access token issued by this server (a valid JWT naming a known client).

        User tokens have a record; ``client_credentials`` tokens are stateless (see
        :meth:`save_issued`) and are described by their claims.
        """
        try:
            claims = self.jwt.decode(token)
        except InvalidTokenError:
            return None
        client_id = claims.get("client_id")
        if not isinstance(client_id, str):
            return None
        client = await self.session.scalar(
            select(OAuthClient).where(OAuthClient.client_id == client_id)
        )
        if client is None:
            return None
        row = await self.session.scalar(
            select(OAuthAccessToken).where(OAuthAccessToken.jti == claims.jti)
        )
        if row is None and claims.get("gty") != "client_credentials":
            return None
        scope = claims.get("scope")
        sid = claims.get("sid")
        revoked = (
            client.revoked
            or (row is not None and row.revoked_at is not None)
            or await self.jwt.denylist.is_denied(claims.jti, sid)
        )
        return AccessRecord(
            jti=claims.jti,
            client_pk=client.id,
            client_id=client_id,
            user_id=row.user_id if row is not None else None,
            subject=claims.subject,
            scopes=row.scopes if row is not None else (scope if isinstance(scope, str) else ""),
            issued_at=int(claims.issued_at.timestamp()),
            expires_at=int(claims.expires_at.timestamp()),
            revoked=revoked,
        )

    # -- writing -------------------------------------------------------------------------------

    async def save_code(self, new: NewAuthorizationCode) -> None:
        """Store a new authorization code (its hash) for ``OAUTH2_CODE_TTL`` seconds."""
        self.session.add(
            OAuthAuthorizationCode(
                code_hash=hash_token(new.code),
                client_id=new.client_pk,
                user_id=new.user_id,
                redirect_uri=new.redirect_uri,
                scopes=new.scope,
                code_challenge=new.code_challenge,
                code_challenge_method=new.code_challenge_method,
                family_id=new.family_id,
                expires_at=utcnow() + timedelta(seconds=self.settings.code_ttl),
            )
        )
        await self.session.flush()

    async def spend_code(self, code: CodeRecord) -> bool:
        """Mark the code used; false if another request spent it first."""
        return (
            await _rowcount(
                self.session,
                update(OAuthAuthorizationCode)
                .where(
                    OAuthAuthorizationCode.id == code.pk,
                    OAuthAuthorizationCode.used_at.is_(None),
                )
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False),
            )
            == 1
        )

    async def rotate_refresh(self, token: RefreshRecord) -> bool:
        """Mark the refresh token rotated; false if another request rotated it first."""
        return (
            await _rowcount(
                self.session,
                update(OAuthRefreshToken)
                .where(
                    OAuthRefreshToken.id == token.pk,
                    OAuthRefreshToken.rotated_at.is_(None),
                    OAuthRefreshToken.revoked_at.is_(None),
                )
                .values(rotated_at=utcnow())
                .execution_options(synchronize_session=False),
            )
            == 1
        )

    async def save_issued(self, client_pk: int, issued: Sequence[IssuedGrantToken]) -> None:
        """Record the access tokens of users (and store the refresh tokens' hashes).

        ``client_credentials`` tokens get no record: nothing needs to find them by family, they
        are revoked through the denylist (by ``jti``, or all of a client's through its ``sid``),
        and a machine client asking for many tokens then costs no write each.
        """
        for token in issued:
            if token.user_id is None:
                continue
            self.session.add(
                OAuthAccessToken(
                    jti=token.jti,
                    client_id=client_pk,
                    user_id=token.user_id,
                    scopes=token.scope,
                    family_id=token.family_id,
                    expires_at=token.expires_at,
                )
            )
            if token.refresh_token is not None and token.user_id is not None:
                self.session.add(
                    OAuthRefreshToken(
                        token_hash=hash_token(token.refresh_token),
                        client_id=client_pk,
                        user_id=token.user_id,
                        scopes=token.scope,
                        family_id=token.family_id or secrets.token_hex(16),
                        access_token_jti=token.jti,
                        expires_at=utcnow() + timedelta(seconds=self.settings.refresh_ttl),
                    )
                )
        await self.session.flush()

    async def revoke_family(self, family_id: str) -> int:
        """Revoke every refresh and access token of a grant family; returns how many."""
        now = utcnow()
        refreshed = await _rowcount(
            self.session,
            update(OAuthRefreshToken)
            .where(OAuthRefreshToken.family_id == family_id, OAuthRefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False),
        )
        return refreshed + await self._revoke_access(OAuthAccessToken.family_id == family_id)

    async def revoke_access(self, token: AccessRecord) -> None:
        """Revoke one access token: its record if it has one, and its ``jti`` on the denylist."""
        await self._revoke_access(OAuthAccessToken.jti == token.jti)
        expires_at = datetime.fromtimestamp(token.expires_at, UTC)
        await self.jwt.denylist.revoke(token.jti, expires_at, self.session)

    async def revoke_client_tokens(self, client_pk: int) -> int:
        """Revoke every token of a client (when the client is revoked)."""
        now = utcnow()
        count = await _rowcount(
            self.session,
            update(OAuthRefreshToken)
            .where(OAuthRefreshToken.client_id == client_pk, OAuthRefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False),
        )
        return count + await self._revoke_access(OAuthAccessToken.client_id == client_pk)

    async def _revoke_access(self, condition: ColumnElement[bool]) -> int:
        # One UPDATE ... RETURNING instead of a select then an update: no read precedes the
        # write, so on SQLite the statement waits for the lock instead of failing.
        now = utcnow()
        revoked = (
            await self.session.execute(
                update(OAuthAccessToken)
                .where(condition, OAuthAccessToken.revoked_at.is_(None))
                .values(revoked_at=now)
                .returning(OAuthAccessToken.jti, OAuthAccessToken.expires_at)
                .execution_options(synchronize_session=False)
            )
        ).all()
        live = [(jti, _aware(expires_at)) for jti, expires_at in revoked]
        for jti, expires_at in live:
            if expires_at > now:
                await self.jwt.denylist.revoke(jti, expires_at, self.session)
        return len(live)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

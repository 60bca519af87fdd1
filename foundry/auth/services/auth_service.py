"""Registration, login, token refresh and logout: the use cases behind ``/api/v1/auth``.

Login answers a token pair. A later issue (MFA) answers a second-factor challenge instead for
users who enrolled one; ``AuthTokens.to_dict()`` carries ``"status": "authenticated"`` so clients
can tell the two answers apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.authenticatable import normalize_email
from foundry.auth.events import Login, LoginFailed, Logout, PasswordChanged, Registered
from foundry.auth.jwt import IssuedToken, JwtService, TokenClaims
from foundry.auth.login_claims import login_claims
from foundry.auth.passwords import PasswordHasher, check_password_strength
from foundry.auth.refresh_tokens import (
    InvalidRefreshTokenError,
    IssuedRefreshToken,
    RefreshTokenService,
)
from foundry.auth.services.login_throttle import LoginThrottle
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.events import EventDispatcher
from foundry.kernel.errors import AuthenticationError, ValidationError
from foundry.rate_limiting import RateLimiterManager

__all__ = ["AuthService", "AuthTokens", "InvalidCredentialsError"]


class InvalidCredentialsError(AuthenticationError):
    """401 for an unknown email and a wrong password alike."""

    error = "invalid_credentials"
    default_message = "These credentials do not match our records."


@dataclass(frozen=True)
class AuthTokens:
    """An access token and its refresh token, as a login or refresh answers them."""

    access: IssuedToken
    refresh: IssuedRefreshToken

    def to_dict(self) -> dict[str, Any]:
        """The JSON body (OAuth 2.0 token response fields)."""
        return {
            "status": "authenticated",
            "access_token": self.access.token,
            "token_type": "Bearer",
            "expires_in": self.access.expires_in,
            "refresh_token": self.refresh.token,
            "refresh_expires_in": self.refresh.expires_in,
        }


class AuthService:
    """The authentication use cases; each method commits its own unit of work."""

    def __init__(
        self,
        session: AsyncSession,
        hasher: PasswordHasher,
        jwt: JwtService,
        events: EventDispatcher,
        limiter: RateLimiterManager,
        users: UserProvider,
    ) -> None:
        self.users = users
        self.session = session
        self.hasher = hasher
        self.jwt = jwt
        self.events = events
        self.limiter = limiter
        self.login_throttle = LoginThrottle(limiter)
        self.refresh_tokens = RefreshTokenService(session)

    async def register(self, name: str, email: str, password: str) -> tuple[AuthUser, AuthTokens]:
        """Create the user and log them in. 422 for a taken email or a weak password."""
        email = normalize_email(email)
        problems = check_password_strength(password, email=email, name=name)
        if problems:
            raise ValidationError({"password": problems})
        if await self._find(email) is not None:
            raise ValidationError({"email": ["The email has already been taken."]})
        await self._end_read()
        user = self.users.make(name=name, email=email, password=await self.hasher.hash(password))
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError:  # a concurrent registration won the race for this email
            await self.session.rollback()
            raise ValidationError({"email": ["The email has already been taken."]}) from None
        tokens = await self._issue(user)
        await self.events.dispatch(Registered(user))
        await self.session.commit()
        return user, tokens

    async def login(self, email: str, password: str, ip: str | None) -> AuthTokens:
        """Tokens for valid credentials; 401 otherwise, 429 after too many failures (per email
        and IP, and per IP: see :class:`LoginThrottle`).

        An unknown email costs a dummy hash verification, so it answers like a wrong password
        in about the same time. The MFA flow uses :meth:`check_credentials` and
        :meth:`complete_login` instead, to ask for a second factor in between.
        """
        user = await self.check_credentials(email, password, ip)
        return await self.complete_login(user, amr=["pwd"])

    async def check_credentials(self, email: str, password: str, ip: str | None) -> AuthUser:
        """The user ``email`` names if ``password`` is theirs: the password step of a login,
        throttled like :meth:`login` (401, 429). Issues nothing; a rehashed password is kept
        for the caller's commit."""
        await self.login_throttle.check(email, ip)
        user = await self._find(email)
        await self._end_read()
        check = await self.hasher.check(user.password if user else None, password)
        if user is None or not check.valid:
            await self.login_throttle.failed(email, ip)
            await self.events.dispatch(LoginFailed(normalize_email(email), ip), after_commit=False)
            raise InvalidCredentialsError()
        await self.login_throttle.succeeded(email, ip)
        if check.new_hash is not None:
            user.password = check.new_hash
        return user

    async def complete_login(self, user: AuthUser, *, amr: Sequence[str]) -> AuthTokens:
        """Log ``user`` in once they proved who they are with the methods ``amr`` (RFC 8176:
        ``["pwd", "otp"]`` after a password and a TOTP code, ``["hwk"]`` for a passkey alone).

        The MFA flows call it after the second factor (or a passwordless passkey) succeeded.
        """
        tokens = await self._issue(user, amr=amr)
        await self.events.dispatch(Login(user))
        await self.session.commit()
        return tokens

    async def refresh(self, refresh_token: str) -> AuthTokens:
        """Rotate the refresh token and issue a new access token (401 if it is spent).

        A reused token ends its whole login: the revocation is committed and the login's access
        tokens are refused from then on.
        """
        try:
            user_id, refresh = await self.refresh_tokens.rotate(refresh_token)
        except InvalidRefreshTokenError as exc:
            if exc.revoked_family is not None:
                await self.jwt.revoke_sessions([exc.revoked_family], self.session)
                await self.session.commit()
            raise
        user = await self.users.find(self.session, user_id)
        if user is None:
            await self.refresh_tokens.revoke_family(refresh.family_id)
            await self.session.commit()
            raise InvalidRefreshTokenError()
        # The login's amr/acr/auth_time/mfa_at, as recorded when it began: a refresh proves
        # nothing new. Tokens issued before they were recorded get none.
        claims = {**(refresh.login_claims or {}), "sid": refresh.family_id}
        access = self.jwt.issue(str(user.id), claims=claims)
        await self.session.commit()
        return AuthTokens(access, refresh)

    async def logout(self, user: AuthUser, claims: TokenClaims) -> None:
        """End this login: its access tokens and its refresh tokens stop working."""
        await self.jwt.revoke(claims, self.session)
        family = claims.get("sid")
        if isinstance(family, str):
            await self.refresh_tokens.revoke_family(family)
            await self.jwt.revoke_sessions([family], self.session)
        await self.events.dispatch(Logout(user))
        await self.session.commit()

    async def logout_all(self, user: AuthUser, claims: TokenClaims) -> None:
        """End every login of the user: all refresh tokens, all access tokens."""
        await self._end_sessions(user, claims)
        await self.events.dispatch(Logout(user, everywhere=True))
        await self.session.commit()

    async def _end_sessions(self, user: AuthUser, claims: TokenClaims) -> None:
        families = set(await self.refresh_tokens.live_families(user.id))
        current = claims.get("sid")
        if isinstance(current, str):
            families.add(current)
        await self.jwt.revoke(claims, self.session)
        await self.jwt.end_user_sessions(user.id, sorted(families), self.session)
        await self.refresh_tokens.revoke_all_for_user(user.id)

    async def change_password(
        self, user: AuthUser, claims: TokenClaims, current: str, new: str
    ) -> AuthTokens:
        """Check the current password, store the new one, end every other session and give
        this one fresh tokens."""
        if not await self.hasher.verify(user.password, current):
            raise ValidationError({"current_password": ["The password is incorrect."]})
        problems = check_password_strength(new, email=user.email, name=user.name)
        if problems:
            raise ValidationError({"password": problems})
        user.password = await self.hasher.hash(new)
        await self._end_sessions(user, claims)
        tokens = await self._issue(user, carried=_login_claims_of(claims))
        await self.events.dispatch(PasswordChanged(user))
        await self.session.commit()
        return tokens

    async def update_profile(
        self, user: AuthUser, *, name: str | None, email: str | None
    ) -> AuthUser:
        """Change the name and/or email; a new email must be verified again."""
        if name is not None:
            user.name = name
        if email is not None and normalize_email(email) != user.email:
            if await self._find(email) is not None:
                raise ValidationError({"email": ["The email has already been taken."]})
            user.email = email
            user.email_verified_at = None
        await self.session.commit()
        return user

    async def _end_read(self) -> None:
        # Hashing takes ~50 ms. On SQLite, a transaction that read before it and writes after it
        # fails at once ("database is locked") if another request wrote in between: its snapshot
        # is stale. Ending the read first makes the write start a fresh transaction, which waits
        # for the lock instead. Loaded objects stay usable (expire_on_commit=False).
        await self.session.commit()

    async def _find(self, email: str) -> AuthUser | None:
        return await self.users.find_by_email(self.session, email)

    async def _issue(
        self,
        user: AuthUser,
        amr: Sequence[str] = ("pwd",),
        *,
        carried: dict[str, Any] | None = None,
    ) -> AuthTokens:
        claims = carried or login_claims(amr, int(self.jwt.clock()))
        refresh = await self.refresh_tokens.issue(user.id, login_claims=claims)
        access = self.jwt.issue(str(user.id), claims={**claims, "sid": refresh.family_id})
        return AuthTokens(access, refresh)


_LOGIN_CLAIMS = ("amr", "acr", "auth_time", "mfa_at")


def _login_claims_of(claims: TokenClaims) -> dict[str, Any] | None:
    # A password change keeps the session's strength and its MFA time: the new pair proves what
    # the old one did, no more, no less recently.
    amr = claims.get("amr")
    if not isinstance(amr, list) or not all(isinstance(method, str) for method in amr):
        return None
    return {name: claims.get(name) for name in _LOGIN_CLAIMS if claims.get(name) is not None}

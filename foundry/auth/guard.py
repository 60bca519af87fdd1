"""``TokenGuard``: who a bearer token speaks for, as one typed :class:`Authentication`.

Every bearer token the app issues is understood here, outside HTTP:

* a first-party login JWT (no ``client_id`` claim): its user, every scope;
* an OAuth2 access token issued for a user: its user and the scopes granted;
* a ``client_credentials`` JWT: no user (machine to machine), its client's scopes;
* a personal access token (``fpat_...``): its user and the scopes it was made with.

A token that must not be accepted raises :class:`~foundry.auth.jwt.tokens.InvalidTokenError`
(a 401); the reason never carries the token.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.auth.jwt import JwtService, TokenClaims
from foundry.auth.jwt.tokens import InvalidTokenError
from foundry.auth.personal_access_tokens import PAT_PREFIX, PersonalAccessTokens
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.database.lazy_session import LazySession

__all__ = ["Authentication", "TokenGuard"]


@dataclass(frozen=True, slots=True)
class Authentication:
    """A verified bearer token: who it speaks for and what it may do."""

    #: ``None`` for a ``client_credentials`` token (a client acting for itself).
    user: AuthUser | None
    #: The JWT's verified claims; ``None`` for a personal access token.
    claims: TokenClaims | None
    #: The OAuth2 client the token was issued to; ``None`` for first-party and personal tokens.
    client_id: str | None
    #: ``None``: a first-party login token, which may do everything its user may.
    scopes: frozenset[str] | None

    @property
    def first_party(self) -> bool:
        """Whether this is a login token of the app itself (``/api/v1/auth/login``)."""
        return self.claims is not None and self.client_id is None

    def can(self, scope: str) -> bool:
        """Whether the token carries ``scope``."""
        return self.scopes is None or scope in self.scopes


class TokenGuard:
    """Turns a bearer token into an :class:`Authentication`; bound as a singleton."""

    def __init__(self, jwt: JwtService, users: UserProvider) -> None:
        self.jwt = jwt
        self.users = users

    async def authenticate(self, token: str, session: LazySession) -> Authentication:
        """The token's :class:`Authentication`; the session is opened only to load a user.

        Raises:
            InvalidTokenError: an unknown, expired, revoked or malformed token.
        """
        if token.startswith(PAT_PREFIX):
            found = await PersonalAccessTokens(session.get(), self.users).authenticate(token)
            if found is None:
                raise InvalidTokenError("unknown personal access token")
            owner, row = found
            return Authentication(owner, None, None, frozenset(row.scopes.split()))
        claims = await self.jwt.authenticate(token)
        client = claims.get("client_id")
        client_id = client if isinstance(client, str) else None
        if claims.get("gty") == "client_credentials":
            return Authentication(None, claims, client_id, _scopes(claims))
        try:
            user_id = int(claims.subject)
        except ValueError:
            raise InvalidTokenError("unknown subject") from None
        user = await self.users.find(session.get(), user_id)
        if user is None:
            raise InvalidTokenError("unknown subject")
        return Authentication(user, claims, client_id, None if client is None else _scopes(claims))


def _scopes(claims: TokenClaims) -> frozenset[str]:
    scope = claims.get("scope")
    return frozenset(scope.split()) if isinstance(scope, str) else frozenset()

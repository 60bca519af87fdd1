"""The grants: authlib's classes, answering its database callbacks from the :class:`GrantContext`.

Each grant reads the snapshots the service loaded and records its writes on the context; see
:mod:`foundry.oauth2.context` for why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidScopeError, OAuth2Request
from authlib.oauth2.rfc6749.grants import (
    AuthorizationCodeGrant,
    BaseGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    ResourceOwnerPasswordCredentialsGrant,
)
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8628 import DeviceCodeGrant

from foundry.oauth2.context import GrantContext, NewAuthorizationCode
from foundry.oauth2.records import CodeRecord, GrantUser, RefreshRecord

if TYPE_CHECKING:
    from foundry.oauth2.server import FoundryAuthorizationServer

__all__ = [
    "FoundryAuthorizationCodeGrant",
    "FoundryClientCredentialsGrant",
    "FoundryDeviceCodeGrant",
    "FoundryPasswordGrant",
    "FoundryRefreshTokenGrant",
    "S256CodeChallenge",
    "check_scope",
]

#: Public clients authenticate with ``none``; the grants refuse a confidential client using it.
ALL_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def check_scope(scope: str | None, server: FoundryAuthorizationServer, ctx: GrantContext) -> None:
    """``invalid_scope`` for unknown scopes, too many scopes, or scopes the client may not use."""
    if not scope:
        return
    wanted = scope.split()
    if len(wanted) > server.max_scopes or len(scope) > 2000:
        raise InvalidScopeError("Too many scopes requested.")
    if not set(wanted) <= set(server.scopes_supported or ()):
        raise InvalidScopeError("The requested scope is unknown.")
    if ctx.client is not None and ctx.client.get_allowed_scope(scope) is None:
        raise InvalidScopeError("The client may not request this scope.")


class _ContextGrant(BaseGrant):
    """Gives a grant typed access to the server and the request's context."""

    @property
    def foundry_server(self) -> FoundryAuthorizationServer:
        # Grants are only ever registered on FoundryAuthorizationServer (foundry.oauth2.server, which
        # imports this module); a cast, since an import and isinstance here ran on every access.
        return cast("FoundryAuthorizationServer", self.server)

    @property
    def ctx(self) -> GrantContext:
        return self.foundry_server.ctx

    def validate_requested_scope(self) -> None:
        payload = self.request.payload
        check_scope(payload.scope if payload else None, self.foundry_server, self.ctx)


class S256CodeChallenge(CodeChallenge):
    """PKCE with S256 only (``plain`` is refused; RFC 9700 section 2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def get_authorization_code_challenge(self, authorization_code: CodeRecord) -> str | None:
        """The challenge stored with the code."""
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: CodeRecord) -> str | None:
        """Always ``S256`` for codes issued here."""
        return authorization_code.code_challenge_method


class FoundryAuthorizationCodeGrant(_ContextGrant, AuthorizationCodeGrant):
    """``authorization_code``: codes are single use, bound to client, redirect URI and PKCE."""

    TOKEN_ENDPOINT_AUTH_METHODS = ALL_AUTH_METHODS
    AUTHORIZATION_CODE_LENGTH = 48

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        """Record the new code; the service stores its hash."""
        payload = request.payload
        assert payload is not None and request.user is not None
        data = payload.data
        self.ctx.new_code = NewAuthorizationCode(
            code=code,
            client_pk=request.client.pk,
            user_id=request.user.id,
            redirect_uri=payload.redirect_uri or "",
            scope=request.scope or "",
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Any) -> CodeRecord | None:
        """The loaded code if it is live and was issued to ``client``."""
        found = self.ctx.code
        if found is None or found.used or found.is_expired() or found.client_pk != client.pk:
            return None
        return found

    def delete_authorization_code(self, authorization_code: CodeRecord) -> None:
        """Spend the code (compare-and-set after authlib returns)."""
        self.ctx.spent_code = authorization_code

    def authenticate_user(self, authorization_code: CodeRecord) -> GrantUser:
        """The user who approved the code."""
        return GrantUser(authorization_code.user_id)


class FoundryClientCredentialsGrant(_ContextGrant, ClientCredentialsGrant):
    """``client_credentials``: confidential clients acting for themselves (no user)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class FoundryRefreshTokenGrant(_ContextGrant, RefreshTokenGrant):
    """``refresh_token``: rotated on every use; reuse is caught before authlib runs."""

    TOKEN_ENDPOINT_AUTH_METHODS = ALL_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshRecord | None:
        """The loaded token if it is live."""
        found = self.ctx.refresh
        if found is None or found.is_revoked() or found.is_expired():
            return None
        return found

    def authenticate_user(self, refresh_token: RefreshRecord) -> GrantUser:
        """The user the token belongs to."""
        return GrantUser(refresh_token.user_id)

    def revoke_old_credential(self, refresh_token: RefreshRecord) -> None:
        """Mark the token rotated (compare-and-set after authlib returns)."""
        self.ctx.rotated_refresh = refresh_token


class FoundryPasswordGrant(_ContextGrant, ResourceOwnerPasswordCredentialsGrant):
    """``password``: off unless enabled for the server and listed by the client."""

    TOKEN_ENDPOINT_AUTH_METHODS = ALL_AUTH_METHODS

    def authenticate_user(self, username: str, password: str) -> GrantUser:
        """The user whose password the service verified (off the event loop) beforehand.

        Wrong credentials are ``invalid_grant`` (RFC 6749 section 5.2; authlib would answer
        ``invalid_request``).
        """
        if self.ctx.password_username != username or self.ctx.password_user is None:
            raise InvalidGrantError("The username or password is incorrect.")
        return self.ctx.password_user


class FoundryDeviceCodeGrant(_ContextGrant, DeviceCodeGrant):
    """RFC 8628 device code: the device polls until the user approved on another screen."""

    TOKEN_ENDPOINT_AUTH_METHODS = ALL_AUTH_METHODS

    def query_device_credential(self, device_code: str) -> Any:
        """The loaded device code, unless already exchanged."""
        return self.ctx.device

    def query_user_grant(self, user_code: str) -> tuple[GrantUser, bool] | None:
        """``(user, approved)`` once the user decided; ``None`` while pending."""
        device = self.ctx.device
        if device is None or device.user_code != user_code:
            return None
        if device.denied:
            return GrantUser(0), False
        if device.user_id is None:
            return None
        self.ctx.spent_device = device
        return GrantUser(device.user_id), True

    def should_slow_down(self, credential: Any) -> bool:
        """Polled faster than the interval."""
        return self.ctx.slow_down

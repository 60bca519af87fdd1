"""The client as authlib sees it: a snapshot of an ``oauth_clients`` row (no lazy loads).

Secrets are compared as SHA-256 digests with :func:`hmac.compare_digest` (constant time).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from authlib.oauth2.rfc6749 import ClientMixin

from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.redirects import matches_registered

__all__ = ["CONFIDENTIAL_AUTH_METHODS", "OAuth2Client", "hash_secret"]

CONFIDENTIAL_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


def hash_secret(secret: str) -> str:
    """Client secrets carry 256 random bits, so a plain SHA-256 stores them safely."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class OAuth2Client(ClientMixin):
    """What the grants need to know about a client."""

    pk: int
    client_id: str
    name: str
    secret_hash: str | None
    redirect_uris: tuple[str, ...]
    grant_types: tuple[str, ...]
    scopes: tuple[str, ...]
    public: bool
    first_party: bool
    owner_id: int | None
    #: Whether the server allows the password grant at all (``OAUTH2_PASSWORD_GRANT``).
    password_grant_enabled: bool = False

    @classmethod
    def from_model(cls, model: OAuthClient, *, password_grant_enabled: bool) -> OAuth2Client:
        """A snapshot of ``model``."""
        return cls(
            pk=model.id,
            client_id=model.client_id,
            name=model.name,
            secret_hash=model.secret_hash,
            redirect_uris=tuple(model.redirect_uris or ()),
            grant_types=tuple(model.grant_types or ()),
            scopes=tuple(model.scope_list),
            public=model.public,
            first_party=model.first_party,
            owner_id=model.user_id,
            password_grant_enabled=password_grant_enabled,
        )

    # -- authlib's ClientMixin ---------------------------------------------------------------

    def get_client_id(self) -> str:
        """The public identifier."""
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        """The redirect URI when the request names none: only if exactly one is registered."""
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """``scope`` if the client may ask for all of it, else ``None`` (``invalid_scope``)."""
        if not scope:
            return ""
        wanted = scope.split()
        if not set(wanted) <= set(self.scopes):
            return None
        return " ".join(dict.fromkeys(wanted))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match against a registered URI (loopback: any port)."""
        return matches_registered(redirect_uri, self.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        """Constant-time comparison of digests; a public client has no secret to match."""
        if self.secret_hash is None:
            return False
        return hmac.compare_digest(hash_secret(client_secret), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Public clients authenticate with ``none``, confidential ones with their secret."""
        if self.public:
            return method == "none"
        return method in CONFIDENTIAL_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        """Only ``code`` (the implicit grant is refused, RFC 9700 section 2.1.2)."""
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        """Whether the client lists the grant; password also needs the server switch."""
        if grant_type == "password" and not self.password_grant_enabled:
            return False
        if grant_type == "client_credentials" and self.public:
            return False
        return grant_type in self.grant_types

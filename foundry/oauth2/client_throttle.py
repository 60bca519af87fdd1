"""Failed client authentication throttling for the endpoints that check a client secret.

``/oauth/token``, ``/oauth/introspect``, ``/oauth/revoke`` and ``/oauth/device/code`` count each
``invalid_client`` answer per (client_id, IP). Past ``RATE_LIMIT_CLIENT_AUTH_PER_MINUTE`` that
pair is refused for the rest of the window, with the right secret too, so a secret cannot be
guessed at speed; the same client from another address is unaffected, so an attacker cannot lock
a client out.
"""

from __future__ import annotations

from foundry.oauth2.request import FoundryOAuth2Request
from foundry.oauth2.responses import error_response, presented_client_id
from foundry.oauth2.server import OAuth2Response
from foundry.rate_limiting import RateLimiterManager

__all__ = ["CLIENT_AUTH_DECAY_SECONDS", "ClientAuthThrottle"]

CLIENT_AUTH_DECAY_SECONDS = 60


class ClientAuthThrottle:
    """``refusal`` before authenticating a client; ``record`` with the answer given."""

    def __init__(self, limiter: RateLimiterManager) -> None:
        self.limiter = limiter

    @staticmethod
    def _key(request: FoundryOAuth2Request, ip: str | None) -> str:
        return f"oauth-client:{presented_client_id(request) or ''}|{ip or ''}"

    async def refusal(self, request: FoundryOAuth2Request, ip: str | None) -> OAuth2Response | None:
        """A 429 ``invalid_client`` with ``Retry-After`` while the pair's failures are used up."""
        key = self._key(request, ip)
        if not await self.limiter.too_many_attempts(
            key, self.limiter.settings.client_auth_per_minute
        ):
            return None
        retry_after = max(1, await self.limiter.available_in(key))
        refused = error_response(
            "invalid_client",
            f"Too many failed client authentications; try again in {retry_after} seconds.",
            429,
        )
        refused.headers.append(("Retry-After", str(retry_after)))
        return refused

    async def record(
        self, request: FoundryOAuth2Request, response: OAuth2Response, ip: str | None
    ) -> None:
        """Count ``response`` if it refused the client's credentials."""
        body = response.body if isinstance(response.body, dict) else {}
        if body.get("error") == "invalid_client" and response.status == 401:
            await self.limiter.hit(self._key(request, ip), CLIENT_AUTH_DECAY_SECONDS)

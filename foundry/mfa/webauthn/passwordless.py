"""Passwordless sign-in: a discoverable passkey alone logs its user in (``amr`` ``["hwk"]``).

Failed answers are counted per client IP, against ``RATE_LIMIT_LOGIN_IP_PER_MINUTE`` (20) like
failed password logins: past it the answer is a 429 until the minute ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from foundry.auth.services.auth_service import AuthService, AuthTokens
from foundry.auth.services.login_throttle import LOGIN_DECAY_SECONDS
from foundry.auth.user import AuthUser
from foundry.events import EventDispatcher
from foundry.kernel.errors import HttpError, TooManyRequestsError
from foundry.mfa.events import MfaVerified
from foundry.mfa.factors import MfaClient
from foundry.mfa.webauthn.service import METHOD, WebAuthnService
from foundry.rate_limiting import RateLimiterManager

__all__ = ["PasswordlessLogin"]


class PasswordlessLogin:
    """``options()`` then ``login(credential)``: the two requests of a passkey sign-in."""

    def __init__(
        self,
        webauthn: WebAuthnService,
        auth: AuthService,
        events: EventDispatcher,
        limiter: RateLimiterManager,
    ) -> None:
        self.webauthn = webauthn
        self.auth = auth
        self.events = events
        self.limiter = limiter

    async def options(self) -> dict[str, Any]:
        """Request options with no ``allowCredentials``: the browser offers the passkeys it
        holds for this site and the user picks one."""
        return await self.webauthn.authentication_options(None)

    async def login(
        self, credential: Mapping[str, Any], client: MfaClient
    ) -> tuple[AuthUser, AuthTokens]:
        """The passkey's user and a token pair whose access token records ``amr: ["hwk"]``.

        Refusals are 4xx (see :meth:`WebAuthnService.authenticate`); a passkey whose counter
        went backwards is a 401 ``cloned_authenticator``, audited as ``MfaFailed``; too many
        failures from the client's IP, a 429.
        """
        key = f"passkey-login-ip:{client.ip or ''}"
        if await self.limiter.too_many_attempts(key, self.limiter.settings.login_ip_per_minute):
            retry_after = max(1, await self.limiter.available_in(key))
            raise TooManyRequestsError(
                f"Too many passkey sign-in attempts. Please try again in {retry_after} seconds.",
                retry_after=retry_after,
            )
        try:
            passkey = await self.webauthn.authenticate(None, credential, client)
        except HttpError:
            await self.limiter.hit(key, LOGIN_DECAY_SECONDS)
            raise
        user = await self.webauthn.owner(passkey)
        await self.events.dispatch(MfaVerified(user, METHOD, client))
        return user, await self.auth.complete_login(user, amr=["hwk"])

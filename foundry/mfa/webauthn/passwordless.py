"""Passwordless sign-in: a discoverable passkey alone logs its user in (``amr`` ``["hwk"]``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from foundry.auth.services.auth_service import AuthService, AuthTokens
from foundry.auth.user import AuthUser
from foundry.events import EventDispatcher
from foundry.mfa.events import MfaVerified
from foundry.mfa.factors import MfaClient
from foundry.mfa.webauthn.service import METHOD, WebAuthnService

__all__ = ["PasswordlessLogin"]


class PasswordlessLogin:
    """``options()`` then ``login(credential)``: the two requests of a passkey sign-in."""

    def __init__(
        self, webauthn: WebAuthnService, auth: AuthService, events: EventDispatcher
    ) -> None:
        self.webauthn = webauthn
        self.auth = auth
        self.events = events

    async def options(self) -> dict[str, Any]:
        """Request options with no ``allowCredentials``: the browser offers the passkeys it
        holds for this site and the user picks one."""
        return await self.webauthn.authentication_options(None)

    async def login(
        self, credential: Mapping[str, Any], client: MfaClient
    ) -> tuple[AuthUser, AuthTokens]:
        """The passkey's user and a token pair whose access token records ``amr: ["hwk"]``.

        Refusals are 4xx (see :meth:`WebAuthnService.authenticate`); a passkey whose counter
        went backwards is a 401 ``cloned_authenticator``, audited as ``MfaFailed``.
        """
        passkey = await self.webauthn.authenticate(None, credential, client)
        user = await self.webauthn.owner(passkey)
        await self.events.dispatch(MfaVerified(user, METHOD, client))
        return user, await self.auth.complete_login(user, amr=["hwk"])

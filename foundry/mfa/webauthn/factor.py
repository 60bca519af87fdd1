"""``PasskeyFactor``: a passkey as a second factor of the MFA login and step-up flows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.kernel.errors import HttpError, ValidationError
from foundry.mfa.factors import MfaClient, SecondFactor
from foundry.mfa.webauthn.service import METHOD, WebAuthnService

__all__ = ["PasskeyFactor"]


class PasskeyFactor(SecondFactor):
    """Proof: ``{"credential": <the navigator.credentials.get() answer, as JSON>}`` answering
    the request options :meth:`challenge` gave (``amr`` ``hwk``: a hardware-bound key)."""

    name: ClassVar[str] = METHOD
    amr: ClassVar[str] = "hwk"
    #: Proved with a WebAuthn assertion (``credential``), never with a typed code.
    accepts_code: ClassVar[bool] = False

    def __init__(self, webauthn: WebAuthnService) -> None:
        self.webauthn = webauthn

    async def is_enrolled(self, session: AsyncSession, user: AuthUser) -> bool:
        """Whether the user registered a passkey."""
        return await self.webauthn.has_passkeys(user)

    async def challenge(
        self, session: AsyncSession, user: AuthUser, client: MfaClient
    ) -> Mapping[str, Any] | None:
        """WebAuthn request options listing the user's passkeys, for
        ``navigator.credentials.get({publicKey: options})``."""
        return await self.webauthn.authentication_options(user)

    async def verify(
        self,
        session: AsyncSession,
        user: AuthUser,
        proof: Mapping[str, Any],
        client: MfaClient,
    ) -> bool:
        """Whether ``proof["credential"]`` is a valid assertion of one of the user's passkeys.

        A missing or malformed credential is a 422; an assertion that does not verify (spent
        or expired challenge, another user's passkey, wrong origin, a counter that went
        backwards) is ``False``. The challenge is spent, and the session committed, either way.
        """
        credential = proof.get("credential")
        if not isinstance(credential, Mapping):
            raise ValidationError({"credential": ["The credential field must be an object."]})
        try:
            await self.webauthn.authenticate(user, credential, client)
        except ValidationError:
            raise
        except HttpError:
            return False
        return True

    async def reset(self, session: AsyncSession, user: AuthUser) -> None:
        """Remove every passkey of the user (support staff's ``mfa:reset``)."""
        await self.webauthn.remove_all(user)

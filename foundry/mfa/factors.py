"""The second-factor contract and the registry of the factors an application offers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser

__all__ = ["MfaClient", "SecondFactor", "SecondFactorRegistry", "UnknownFactorError"]


@dataclass(frozen=True)
class MfaClient:
    """Who is attempting a factor: for throttling and the audit trail."""

    ip: str | None = None
    user_agent: str | None = None


class SecondFactor(ABC):
    """One kind of second factor.

    A factor is built by the container in the request's (or command's) scope, so its
    constructor receives services. Proofs are single use: :meth:`verify` consumes what it
    accepts (a TOTP step, an SMS code, a WebAuthn challenge, a recovery code).
    """

    #: The method's name in API answers (``"methods": [...]``), requests and the audit trail:
    #: ``"totp"``, ``"sms"``, ``"webauthn"``, ``"recovery_code"``.
    name: ClassVar[str]
    #: The RFC 8176 authentication method reference the access token's ``amr`` records:
    #: ``"otp"``, ``"sms"``, ``"hwk"``...
    amr: ClassVar[str]
    #: Whether the factor alone lets a user in when they lost the others (recovery codes): it
    #: is not offered as a method to enrol and does not count as "has MFA" on its own.
    fallback_only: ClassVar[bool] = False
    #: Whether a bare ``{"code": ...}`` (no ``method``) may be meant for this factor: the verify
    #: endpoint then tries the user's enrolled code factors in registry order. Passkeys say no.
    accepts_code: ClassVar[bool] = True

    @abstractmethod
    async def is_enrolled(self, session: AsyncSession, user: AuthUser) -> bool:
        """Whether ``user`` has this factor set up and confirmed."""

    async def challenge(
        self, session: AsyncSession, user: AuthUser, client: MfaClient
    ) -> Mapping[str, Any] | None:
        """Start a verification and answer what the client needs for it.

        An SMS factor sends a code; a passkey factor answers WebAuthn request options. Most
        factors need nothing (``None``).
        """
        return None

    @abstractmethod
    async def verify(
        self,
        session: AsyncSession,
        user: AuthUser,
        proof: Mapping[str, Any],
        client: MfaClient,
    ) -> bool:
        """Whether ``proof`` (the request body's fields for this method) proves the factor.

        An accepted proof is consumed and cannot be replayed. Bad input is ``False`` (or a
        :class:`~foundry.kernel.errors.ValidationError` for a malformed body), never a 500.
        """

    async def reset(self, session: AsyncSession, user: AuthUser) -> None:
        """Remove everything ``user`` enrolled for this factor (``artisan mfa:reset``).

        Each factor that stores something overrides it; the default has nothing to remove. The
        caller commits and dispatches :class:`~foundry.mfa.events.MfaReset`.
        """
        return None

    async def enrolled_count(self, session: AsyncSession) -> int | None:
        """How many users enrolled this factor, for ``artisan mfa:stats``, in one query.

        ``None`` (the default) makes the analytics ask :meth:`is_enrolled` user by user.
        """
        return None


class UnknownFactorError(LookupError):
    """No factor of that name is registered."""


class SecondFactorRegistry:
    """The factor classes an application offers, in the order they were added.

    Providers add their factor in ``register`` (``registry.add(TotpFactor)``); flows look them
    up by name and build them in the current scope.
    """

    def __init__(self) -> None:
        self._factors: dict[str, type[SecondFactor]] = {}

    def add(self, factor: type[SecondFactor]) -> None:
        """Offer ``factor``; a later one with the same name replaces the earlier."""
        self._factors[factor.name] = factor

    def get(self, name: str) -> type[SecondFactor]:
        """The factor class called ``name``.

        Raises:
            UnknownFactorError: no factor of that name.
        """
        try:
            return self._factors[name]
        except KeyError:
            raise UnknownFactorError(f"no second factor named {name!r}") from None

    def names(self) -> list[str]:
        """Every factor's name, in the order they were added."""
        return list(self._factors)

    def all(self) -> list[type[SecondFactor]]:
        """Every factor class, in the order they were added."""
        return list(self._factors.values())

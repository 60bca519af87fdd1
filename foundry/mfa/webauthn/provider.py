"""Offers passkeys as a second factor; listed in the framework's providers.

Binds the :class:`~foundry.mfa.factors.SecondFactorRegistry` when no other provider did, and adds
:class:`PasskeyFactor` to it at boot, once every provider registered (whichever bound it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.kernel.providers import ServiceProvider
from foundry.mfa.factors import SecondFactorRegistry
from foundry.mfa.webauthn.factor import PasskeyFactor

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["PasskeyServiceProvider"]


class PasskeyServiceProvider(ServiceProvider):
    """The passkey factor in the application's second-factor registry."""

    def register(self, container: Container) -> None:
        if not container.bound(SecondFactorRegistry):
            container.singleton(SecondFactorRegistry)

    def boot(self, app: Application) -> None:
        app.container.make(SecondFactorRegistry).add(PasskeyFactor)

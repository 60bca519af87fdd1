"""Offers TOTP and SMS codes as second factors (``foundry.mfa.factors_provider``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.config.app import AppSettings
from foundry.kernel.encryption import Encrypter
from foundry.kernel.providers import ServiceProvider
from foundry.mfa.factors import SecondFactorRegistry
from foundry.mfa.sms.factor import SmsFactor
from foundry.mfa.totp.factor import TotpFactor

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["MfaFactorsServiceProvider"]


def _encrypter(container: Container) -> Encrypter:
    return Encrypter.from_app_key(container.make(AppSettings).key)


class MfaFactorsServiceProvider(ServiceProvider):
    """Binds the factor registry (unless another provider did) and adds ``totp`` and ``sms``.

    TOTP secrets are encrypted and SMS codes MACed with the app key: ``Encrypter`` is bound
    here too when the app has a key and no other provider bound it.
    """

    def register(self, container: Container) -> None:
        if not container.bound(SecondFactorRegistry):
            container.singleton(SecondFactorRegistry)
        if self.app.settings.key and not container.bound(Encrypter):
            container.singleton(Encrypter, _encrypter)

    def boot(self, app: Application) -> None:
        registry = app.container.make(SecondFactorRegistry)
        registry.add(TotpFactor)
        registry.add(SmsFactor)

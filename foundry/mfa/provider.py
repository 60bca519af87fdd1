"""Binds the MFA battery: the factor registry (with recovery codes), the login tokens, the
clock, and the audit listeners. Listed among the framework's providers; the factor batteries
(TOTP, SMS, passkeys) add their factor to :class:`SecondFactorRegistry` in their own
``register``, after this provider's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.events import EventDispatcher
from foundry.kernel.providers import ServiceProvider
from foundry.mfa.audit import MFA_EVENTS, RecordMfaEvent
from foundry.mfa.clock import MfaClock
from foundry.mfa.events import MfaEnrolled
from foundry.mfa.factors import SecondFactorRegistry
from foundry.mfa.listeners import GiveRecoveryCodes
from foundry.mfa.login_tokens import MfaLoginTokens
from foundry.mfa.password_gate import MfaPasswordGrantGate
from foundry.mfa.recovery_codes import RecoveryCodeFactor
from foundry.oauth2.password_gate import PasswordGrantGate

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["MfaServiceProvider"]


class MfaServiceProvider(ServiceProvider):
    """Singletons: the registry, the clock, the ``mfa_token`` store. The services
    (``MfaService``, ``MfaPolicyService``, ``MfaAuditService``, ``MfaAnalyticsService``,
    ``RecoveryCodeService``) are built per scope by the container."""

    def register(self, container: Container) -> None:
        registry = SecondFactorRegistry()
        registry.add(RecoveryCodeFactor)
        container.instance(SecondFactorRegistry, registry)
        container.singleton(MfaClock)
        container.singleton(MfaLoginTokens)
        # The OAuth2 password grant proves a password only: users with MFA are refused there.
        container.bind(PasswordGrantGate, MfaPasswordGrantGate)

    def boot(self, app: Application) -> None:
        events = app.container.make(EventDispatcher)
        for event in MFA_EVENTS:
            events.listen(event, RecordMfaEvent)  # type: ignore[arg-type]  # handles the union
        events.listen(MfaEnrolled, GiveRecoveryCodes)

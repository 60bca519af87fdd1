"""Passkeys (WebAuthn, with py_webauthn): registration, passwordless sign-in and a second factor.

:class:`WebAuthnService` runs the ceremonies; :class:`PasskeyFactor` offers passkeys to the MFA
flows; passkeys live in ``webauthn_credentials`` and outstanding challenges in
``webauthn_challenges`` (:mod:`foundry.mfa.models`). The relying party comes from
``config/webauthn.py`` (:class:`~foundry.config.webauthn.WebAuthnSettings`).
"""

from foundry.mfa.webauthn.factor import PasskeyFactor
from foundry.mfa.webauthn.relying_party import RelyingParty
from foundry.mfa.webauthn.service import WebAuthnService

__all__ = ["PasskeyFactor", "RelyingParty", "WebAuthnService"]

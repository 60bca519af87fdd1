"""Passkeys (WebAuthn): the relying party id and name, the allowed origins, challenge lifetime.

The framework's defaults are in :class:`foundry.config.webauthn.WebAuthnSettings`; every value can
be set in the environment or ``.env`` (``WEBAUTHN_RP_ID=example.com``,
``WEBAUTHN_ORIGINS=https://example.com,https://app.example.com``). Unset, they follow ``APP_URL``.
Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.webauthn import WebAuthnSettings

__all__ = ["WebAuthnConfig"]


class WebAuthnConfig(WebAuthnSettings):
    """This application's passkey settings."""


SETTINGS = WebAuthnConfig

"""The app id, key and secret the server and the broadcasters share."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from foundry.config.app import AppSettings
from foundry.config.broadcasting import BroadcastingSettings

__all__ = ["Credentials"]


@dataclass(frozen=True, slots=True)
class Credentials:
    """``REVERB_APP_ID``, ``REVERB_APP_KEY`` and the secret (``REVERB_APP_SECRET``, or one
    derived from ``APP_KEY`` so that no two apps share a default)."""

    app_id: str
    key: str
    secret: str

    @classmethod
    def of(cls, settings: BroadcastingSettings, app: AppSettings) -> Credentials:
        """The credentials ``settings`` name, deriving the secret when none is set."""
        if settings.app_secret is not None and settings.app_secret.get_secret_value():
            secret = settings.app_secret.get_secret_value()
        else:
            secret = hmac.new(
                app.key.encode(), b"foundry.broadcasting.secret", hashlib.sha256
            ).hexdigest()
        return cls(settings.app_id, settings.app_key, secret)

"""Helpers for the JWT tests: an app with the JWT provider, and hand-made hostile tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from foundry.config.app import FRAMEWORK_PROVIDERS

__all__ = ["JWT_PROVIDER", "b64", "jwt_env", "unsigned", "hs256"]

JWT_PROVIDER = "foundry.auth.jwt.provider.JwtServiceProvider"


def jwt_env(keys: Path, **extra: str) -> dict[str, str]:
    """Settings for ``make_application``: the default providers plus the JWT one, own keys."""
    default = FRAMEWORK_PROVIDERS
    providers = [*(p for p in default if p != JWT_PROVIDER), JWT_PROVIDER]
    return {"APP_PROVIDERS": json.dumps(providers), "JWT_KEYS_PATH": str(keys), **extra}


def b64(data: dict[str, Any] | bytes) -> str:
    """Base64url without padding, of JSON for a dict."""
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """A token with an empty signature (``alg: none``)."""
    return f"{b64(header)}.{b64(payload)}."


def hs256(header: dict[str, Any], payload: dict[str, Any], secret: bytes) -> str:
    """An HS256 token with ``secret`` as the HMAC key (the public-key confusion attack)."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"

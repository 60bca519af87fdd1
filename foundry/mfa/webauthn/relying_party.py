"""The relying party: the RP id and name passkeys are made for, and the origins accepted.

Unset settings follow ``APP_URL``. A loopback IP address (the default ``http://127.0.0.1:8000``)
cannot be an RP id, so it becomes ``localhost``, with the ``localhost`` origin on the same port.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from foundry.config.app import AppSettings
from foundry.config.webauthn import WebAuthnSettings

__all__ = ["RelyingParty"]


def _origin(scheme: str, host: str, port: int | None) -> str:
    default = {"http": 80, "https": 443}.get(scheme)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" if port in (None, default) else f"{scheme}://{shown}:{port}"


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """Who passkeys are for (``id``, ``name``) and where ceremonies may run (``origins``)."""

    id: str
    name: str
    origins: tuple[str, ...]

    @classmethod
    def from_settings(cls, webauthn: WebAuthnSettings, app: AppSettings) -> RelyingParty:
        """The configured relying party, with ``APP_URL`` and ``APP_NAME`` filling the gaps."""
        url = urlsplit(app.url)
        scheme, host, port = url.scheme or "http", (url.hostname or "localhost"), url.port
        loopback = _is_loopback_ip(host)
        rp_id = webauthn.rp_id.strip().lower() or ("localhost" if loopback else host)
        origins = list(webauthn.origins)
        if not origins:
            origins.append(_origin(scheme, "localhost" if loopback else host, port))
        return cls(id=rp_id, name=webauthn.rp_name or app.name, origins=tuple(origins))

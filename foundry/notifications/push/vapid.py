"""VAPID (RFC 8292): the key pair that identifies this application to push services.

Browsers subscribe with the public key (``applicationServerKey``); each push request carries
``Authorization: vapid t=<JWT signed with the private key>,k=<public key>``, and the push
service delivers only requests signed by the key the subscription was made with.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from foundry.config.notification_channels import NotificationChannelsSettings

__all__ = ["VapidKeys", "VapidNotConfigured", "b64url_decode", "b64url_encode"]

#: A VAPID JWT may live up to 24 hours; twelve leaves room for clock skew.
_JWT_LIFETIME = 12 * 3600
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (how Web Push writes keys)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raises ``ValueError`` on anything else."""
    if not text or any(c not in _ALPHABET for c in text.rstrip("=")):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))


class VapidNotConfigured(RuntimeError):
    """``VAPID_PUBLIC_KEY``/``VAPID_PRIVATE_KEY`` are not set (``artisan webpush:vapid``)."""


@dataclass(frozen=True)
class VapidKeys:
    """A VAPID key pair, both halves base64url, and the subject push services may contact."""

    public_key: str
    private_key: str
    subject: str

    @classmethod
    def generate(cls, subject: str = "mailto:admin@example.com") -> VapidKeys:
        """A new P-256 key pair."""
        key = ec.generate_private_key(ec.SECP256R1())
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        private = key.private_numbers().private_value.to_bytes(32, "big")
        return cls(b64url_encode(public), b64url_encode(private), subject)

    @classmethod
    def from_settings(cls, settings: NotificationChannelsSettings) -> VapidKeys:
        """The configured pair.

        Raises:
            VapidNotConfigured: a key is missing, or the two do not belong together.
        """
        private = settings.vapid_private_key.get_secret_value()
        if not settings.vapid_public_key or not private:
            raise VapidNotConfigured(
                "Web Push needs VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (artisan webpush:vapid)"
            )
        keys = cls(settings.vapid_public_key, private, settings.vapid_subject)
        if keys.derived_public_key() != keys.public_key.rstrip("="):
            raise VapidNotConfigured("VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY")
        return keys

    @cached_property
    def _signer(self) -> Vapid02:
        try:
            return Vapid02(
                ec.derive_private_key(
                    int.from_bytes(b64url_decode(self.private_key), "big"), ec.SECP256R1()
                )
            )
        except ValueError as exc:
            raise VapidNotConfigured("VAPID_PRIVATE_KEY is not a base64url P-256 key") from exc

    def derived_public_key(self) -> str:
        """The public key of :attr:`private_key` (base64url, uncompressed point)."""
        return b64url_encode(
            self._signer.public_key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def authorization(self, endpoint: str) -> str:
        """The ``Authorization`` header for a push to ``endpoint`` (audience: its origin)."""
        parts = urlsplit(endpoint)
        claims = {
            "aud": f"{parts.scheme}://{parts.netloc}",
            "sub": self.subject,
            "exp": int(time.time()) + _JWT_LIFETIME,
        }
        return self._signer.sign(claims)["Authorization"]

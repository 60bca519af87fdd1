"""``Encrypter`` (the ``Crypt`` facade): authenticated encryption and MACs keyed by ``APP_KEY``.

Laravel's ``Crypt::encryptString`` in Python: AES-256-GCM from ``cryptography``, so a value that
was altered does not decrypt (it raises :class:`DecryptError`) instead of decrypting to garbage.
Tokens are ``v1.`` + URL-safe base64 of nonce and ciphertext. Separate keys for encryption and
for MACs are derived from the app key with HKDF, so one never doubles as the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from foundry.kernel.compare import secrets_match
from foundry.kernel.facades import facade
from foundry.kernel.keys import parse_key

__all__ = ["Crypt", "DecryptError", "Encrypter"]

_VERSION = "v1."
_NONCE_BYTES = 12


class DecryptError(ValueError):
    """The token was altered, truncated, or made with another key."""


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key)


class Encrypter:
    """Encrypts and authenticates with keys derived from the 32-byte application key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the encryption key must be 32 bytes")
        self._aead = AESGCM(_derive(key, b"foundry encryption"))
        self._mac_key = _derive(key, b"foundry mac")

    @classmethod
    def from_app_key(cls, app_key: str) -> Encrypter:
        """An encrypter for an ``APP_KEY`` value (``base64:...``)."""
        return cls(parse_key(app_key))

    def encrypt_string(self, value: str, *, context: str = "") -> str:
        """Encrypt ``value``; ``context`` is authenticated too and must match on decryption."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), context.encode("utf-8"))
        return _VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt_string(self, token: str, *, context: str = "") -> str:
        """Decrypt a token of :meth:`encrypt_string`; raises :class:`DecryptError` if altered."""
        if not token.startswith(_VERSION):
            raise DecryptError("not an encrypted value (unknown format)")
        try:
            raw = base64.urlsafe_b64decode(token[len(_VERSION) :].encode("ascii"))
        except (binascii.Error, ValueError) as exc:
            raise DecryptError("the encrypted value is not valid base64") from exc
        if len(raw) <= _NONCE_BYTES:
            raise DecryptError("the encrypted value is truncated")
        try:
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
        except InvalidTag as exc:
            raise DecryptError("the encrypted value was altered or made with another key") from exc
        return plain.decode("utf-8")

    def mac(self, data: bytes) -> str:
        """An HMAC-SHA256 of ``data`` as hex."""
        return hmac.new(self._mac_key, data, hashlib.sha256).hexdigest()

    def verify_mac(self, data: bytes, signature: str) -> bool:
        """Whether ``signature`` is the MAC of ``data`` (constant-time comparison)."""
        return secrets_match(self.mac(data), signature)


#: The application's :class:`Encrypter`, resolved from the current container on each use.
Crypt: Encrypter = facade(Encrypter)

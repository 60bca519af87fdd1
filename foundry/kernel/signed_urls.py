"""Signed URLs (Laravel's ``URL::temporarySignedRoute``): links that prove we made them.

``signer.sign("https://app.test/verify/1/abc", expires_in=3600)`` appends ``expires`` and
``signature`` (HMAC-SHA256 with a key derived from the app key); ``signer.verify(url)`` checks
both in constant time. Any change to the path or the query breaks the signature.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from foundry.kernel.compare import secrets_match

__all__ = ["UrlSigner"]

_PURPOSE = b"foundry:signed-url"


class UrlSigner:
    """Signs and verifies URLs with ``key`` (the 32-byte app key)."""

    def __init__(self, key: bytes) -> None:
        # A key of its own, so a signature made here is useless anywhere else the app key is used.
        self._key = hmac.new(key, _PURPOSE, hashlib.sha256).digest()

    def _signature(self, url: str) -> str:
        return hmac.new(self._key, url.encode("utf-8"), hashlib.sha256).hexdigest()

    def sign(self, url: str, *, expires_in: int | None = None, now: float | None = None) -> str:
        """``url`` with an ``expires`` timestamp (when ``expires_in`` is given) and a signature."""
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        if any(k in ("expires", "signature") for k, _ in query):
            raise ValueError("the URL already carries 'expires' or 'signature'")
        if expires_in is not None:
            query.append(("expires", str(int((now or time.time()) + expires_in))))
        unsigned = urlunsplit(parts._replace(query=urlencode(query)))
        query.append(("signature", self._signature(unsigned)))
        return urlunsplit(parts._replace(query=urlencode(query)))

    def verify(self, url: str, *, now: float | None = None) -> bool:
        """Whether ``url`` carries our valid signature and has not expired."""
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        signatures = [v for k, v in query if k == "signature"]
        if len(signatures) != 1:
            return False
        rest = [(k, v) for k, v in query if k != "signature"]
        unsigned = urlunsplit(parts._replace(query=urlencode(rest)))
        if not secrets_match(self._signature(unsigned), signatures[0]):
            return False
        expires = [v for k, v in rest if k == "expires"]
        if not expires:
            return True
        return expires[0].isdigit() and int(expires[0]) >= (now or time.time())

"""Signed payloads: every job document carries an HMAC-SHA256 made with the application key.

Whoever can write the queue back end (the ``jobs`` table, Redis, ``failed_jobs``) could
otherwise hand a worker any document it likes. The signature covers the canonical JSON of the
whole payload except the keys that change between attempts (``signature`` itself, the
``exceptions`` count and the rate limiter's ``limited`` count: counters anyone who can write the
back end could also reset by queueing the job again), and a worker checks it before it imports or decodes anything.

Keys rotate the way Laravel's do: payloads are signed with ``APP_KEY``, and verified with it or
with any key listed in ``APP_PREVIOUS_KEYS``, so jobs queued before a key change still run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from foundry.jobs.errors import PayloadSignatureError
from foundry.kernel.encryption import Encrypter

__all__ = ["PayloadSigner", "unsigned_view"]

#: Keys left out of the signature: they change between attempts of the same job.
_MUTABLE = ("signature", "exceptions", "limited")


def unsigned_view(payload: dict[str, Any]) -> bytes:
    """The canonical bytes a signature covers: everything but the mutable keys."""
    stable = {key: value for key, value in payload.items() if key not in _MUTABLE}
    return json.dumps(stable, sort_keys=True, separators=(",", ":")).encode("utf-8")


class PayloadSigner:
    """Signs payloads with the current key; verifies them with the current or a previous one."""

    def __init__(self, current: Encrypter, previous: Sequence[Encrypter] = ()) -> None:
        """
        Args:
            current: the encrypter of ``APP_KEY`` (signs, and encrypts secure fields).
            previous: encrypters of ``APP_PREVIOUS_KEYS``, tried after the current one.
        """
        self.current = current
        self._keys = (current, *previous)

    def sign(self, payload: dict[str, Any]) -> None:
        """Set ``payload["signature"]`` for the payload as it is now."""
        payload["signature"] = self.current.mac(unsigned_view(payload))

    def verify(self, payload: dict[str, Any]) -> Encrypter:
        """The encrypter whose key signed ``payload`` (it also opens its secure fields).

        Raises:
            PayloadSignatureError: no signature, or one none of the keys made.
        """
        signature = payload.get("signature")
        if not isinstance(signature, str) or not signature:
            raise PayloadSignatureError(
                "job payload is not signed: refused, not run (it was queued before payloads "
                "were signed, or written to the queue by something other than this app)"
            )
        view = unsigned_view(payload)
        for key in self._keys:
            if key.verify_mac(view, signature):
                return key
        raise PayloadSignatureError(
            "job payload was tampered with: signature mismatch, refused, not run (it was "
            "altered in the queue back end, or signed with a key that is neither APP_KEY nor "
            "listed in APP_PREVIOUS_KEYS)"
        )

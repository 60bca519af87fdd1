"""Signing webhooks and verifying them on the receiving side.

Each request carries ``X-Foundry-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is
HMAC-SHA256, keyed with the route's secret, over ``f"{t}.{body}"`` (the raw body bytes).
Signing the timestamp with the body lets a receiver refuse an old request replayed by whoever
saw it: :func:`verify_webhook_signature` rejects one older than ``tolerance`` seconds. Within
that window a receiver that must act at most once remembers ``X-Foundry-Delivery`` ids (the
same on every retry of one delivery).
"""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = ["SIGNATURE_HEADER", "sign_webhook", "verify_webhook_signature"]

SIGNATURE_HEADER = "X-Foundry-Signature"


def _digest(secret: str | bytes, timestamp: int, body: bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign_webhook(secret: str | bytes, body: bytes, timestamp: int | None = None) -> str:
    """The ``X-Foundry-Signature`` value for ``body`` (signed now unless ``timestamp`` given)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return f"t={stamp},v1={_digest(secret, stamp, body)}"


def verify_webhook_signature(
    secret: str | bytes,
    header: str | None,
    body: bytes | str,
    tolerance: int = 300,
    *,
    now: float | None = None,
) -> bool:
    """Whether ``header`` (the ``X-Foundry-Signature`` value) signs ``body`` with ``secret``.

    Pass the body exactly as received (bytes), before any JSON parsing. ``False`` when the
    header is missing or malformed, the signature does not match (tampered body, wrong secret),
    or the timestamp is more than ``tolerance`` seconds away from ``now`` (a replay). Several
    ``v1=`` values are accepted, any one matching (a sender rotating its secret).

    Example (a FastAPI receiver)::

        @router.post("/hooks/foundry")
        async def receive(request: Request) -> dict[str, bool]:
            body = await request.body()
            if not verify_webhook_signature(SECRET, request.headers.get("X-Foundry-Signature"), body):
                raise HTTPException(400, "bad signature")
            event = json.loads(body)
            ...
    """
    if not header:
        return False
    raw = body.encode() if isinstance(body, str) else body
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = _digest(secret, timestamp, raw)
    # compare_digest for each: the time taken says nothing about how much of a guess matched.
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)

"""HMAC-SHA256 signatures: channel subscriptions (``/broadcasting/auth``) and HTTP API calls.

Both are Pusher's, so pusher-js, Laravel Echo and the official server libraries sign and check
them unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

__all__ = [
    "InvalidSignatureError",
    "channel_signature",
    "sign_api_request",
    "verify_api_request",
]

#: Seconds an HTTP API call's ``auth_timestamp`` may differ from our clock (Pusher's 600).
MAX_CLOCK_SKEW = 600


class InvalidSignatureError(ValueError):
    """An HTTP API call that is not signed with the app's secret (or signed too long ago)."""


def _hmac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def channel_signature(
    secret: str, socket_id: str, channel: str, channel_data: str | None = None
) -> str:
    """The hex HMAC of ``socket_id:channel[:channel_data]``: what a subscription must carry
    (after ``key:``) to join a private or presence channel."""
    message = f"{socket_id}:{channel}" + (f":{channel_data}" if channel_data is not None else "")
    return _hmac(secret, message)


def _string_to_sign(method: str, path: str, params: Mapping[str, str]) -> str:
    query = "&".join(f"{key.lower()}={params[key]}" for key in sorted(params, key=str.lower))
    return f"{method.upper()}\n{path}\n{query}"


def sign_api_request(
    key: str,
    secret: str,
    method: str,
    path: str,
    params: Mapping[str, str] | None = None,
    body: bytes = b"",
    *,
    now: float | None = None,
) -> dict[str, str]:
    """The query parameters that sign an HTTP API call (``auth_key`` ... ``auth_signature``)."""
    signed = {
        **(params or {}),
        "auth_key": key,
        "auth_timestamp": str(int(time.time() if now is None else now)),
        "auth_version": "1.0",
    }
    if body:
        signed["body_md5"] = hashlib.md5(body, usedforsecurity=False).hexdigest()
    signed["auth_signature"] = _hmac(secret, _string_to_sign(method, path, signed))
    return signed


def verify_api_request(
    key: str,
    secret: str,
    method: str,
    path: str,
    params: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
) -> None:
    """Check an HTTP API call's signature, key, body hash and timestamp.

    Raises:
        InvalidSignatureError: naming what is wrong (never the expected signature).
    """
    if params.get("auth_key") != key:
        raise InvalidSignatureError("unknown auth_key")
    try:
        timestamp = int(params.get("auth_timestamp", ""))
    except ValueError:
        raise InvalidSignatureError("auth_timestamp is missing or not a number") from None
    try:
        skew = abs((time.time() if now is None else now) - timestamp)
    except OverflowError:
        # A timestamp of hundreds of digits does not fit a float: as far off as can be.
        skew = float("inf")
    if skew > MAX_CLOCK_SKEW:
        raise InvalidSignatureError("auth_timestamp is too far from the server's clock")
    signed = {k: v for k, v in params.items() if k != "auth_signature"}
    if body:
        expected_md5 = hashlib.md5(body, usedforsecurity=False).hexdigest()
        if not hmac.compare_digest(signed.get("body_md5", ""), expected_md5):
            raise InvalidSignatureError("body_md5 does not match the body")
    expected = _hmac(secret, _string_to_sign(method, path, signed))
    if not hmac.compare_digest(params.get("auth_signature", ""), expected):
        raise InvalidSignatureError("invalid auth_signature")

"""Form requests of the push subscription endpoints: a browser's ``PushSubscription.toJSON()``."""

from __future__ import annotations

from typing import Literal

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import BaseModel, ConfigDict, Field, field_validator

from foundry.http.requests.form_request import FormRequest
from foundry.notifications.push.vapid import b64url_decode

__all__ = ["DeletePushSubscriptionRequest", "PushKeys", "StorePushSubscriptionRequest"]


class PushKeys(BaseModel):
    """``keys``: the browser's P-256 public key and its 16-byte auth secret, base64url."""

    model_config = ConfigDict(strict=True, extra="forbid")

    p256dh: str = Field(min_length=1, max_length=255)
    auth: str = Field(min_length=1, max_length=255)

    @field_validator("p256dh")
    @classmethod
    def _public_key(cls, value: str) -> str:
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(value))
        except ValueError:
            raise ValueError("The p256dh key must be a base64url P-256 public key.") from None
        return value

    @field_validator("auth")
    @classmethod
    def _auth_secret(cls, value: str) -> str:
        try:
            secret = b64url_decode(value)
        except ValueError:
            raise ValueError("The auth key must be base64url.") from None
        if len(secret) != 16:
            raise ValueError("The auth key must be 16 bytes.")
        return value


class StorePushSubscriptionRequest(FormRequest):
    """``endpoint``, ``keys`` and the ``expirationTime`` browsers include (ignored); the
    endpoint's scheme and host are checked by the controller, which knows the environment."""

    endpoint: str = Field(min_length=1, max_length=2048)
    keys: PushKeys
    expirationTime: int | None = None  # noqa: N815 - the browser's own field name
    content_encoding: Literal["aes128gcm"] = "aes128gcm"


class DeletePushSubscriptionRequest(FormRequest):
    """The ``endpoint`` of the subscription to remove."""

    endpoint: str = Field(min_length=1, max_length=2048)

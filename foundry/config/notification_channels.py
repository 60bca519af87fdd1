"""Settings of the HTTP notification channels: Slack, Discord, signed webhooks and Web Push."""

from __future__ import annotations

from pydantic import Field, SecretStr

from foundry.config.base import Settings

__all__ = ["NotificationChannelsSettings", "SETTINGS"]


class NotificationChannelsSettings(Settings):
    """``NOTIFICATIONS_HTTP_*``, ``WEBHOOK_*`` and ``VAPID_*`` variables.

    Every channel that posts over HTTP (``slack``, ``discord``, ``webhook``, ``push``) waits at
    most ``NOTIFICATIONS_HTTP_TIMEOUT`` seconds per request and tries again after a network
    error, a 5xx or a 429, up to ``NOTIFICATIONS_HTTP_RETRIES`` more times, waiting
    ``NOTIFICATIONS_HTTP_BACKOFF`` seconds, then twice that, and so on (a 429's own
    ``Retry-After`` wins, up to ``NOTIFICATIONS_HTTP_MAX_BACKOFF``).
    """

    http_timeout: float = Field(default=10.0, gt=0, validation_alias="NOTIFICATIONS_HTTP_TIMEOUT")
    http_retries: int = Field(default=2, ge=0, le=10, validation_alias="NOTIFICATIONS_HTTP_RETRIES")
    http_backoff: float = Field(default=1.0, ge=0, validation_alias="NOTIFICATIONS_HTTP_BACKOFF")
    http_max_backoff: float = Field(
        default=30.0, ge=0, validation_alias="NOTIFICATIONS_HTTP_MAX_BACKOFF"
    )
    #: How old a webhook's signed timestamp may be before receivers reject it (seconds).
    webhook_tolerance: int = Field(default=300, ge=1, validation_alias="WEBHOOK_TOLERANCE")
    #: ``notifications:prune-webhook-deliveries`` deletes the ``webhook_deliveries`` rows older
    #: than this many days unless told otherwise.
    webhook_deliveries_retention_days: int = Field(
        default=30, gt=0, validation_alias="WEBHOOK_DELIVERIES_RETENTION_DAYS"
    )
    #: The VAPID key pair (base64url: the public key as the uncompressed P-256 point browsers
    #: take as ``applicationServerKey``, the private key as its 32-byte scalar); make one with
    #: ``artisan webpush:vapid``.
    vapid_public_key: str = Field(default="", validation_alias="VAPID_PUBLIC_KEY")
    vapid_private_key: SecretStr = Field(
        default=SecretStr(""), validation_alias="VAPID_PRIVATE_KEY", repr=False
    )
    #: Who push services contact about this sender: ``mailto:`` or an ``https:`` URL.
    vapid_subject: str = Field(default="mailto:admin@example.com", validation_alias="VAPID_SUBJECT")
    #: Seconds a push service keeps a message for an offline browser when the message sets none.
    push_ttl: int = Field(default=2_419_200, ge=0, validation_alias="PUSH_TTL")


SETTINGS = NotificationChannelsSettings

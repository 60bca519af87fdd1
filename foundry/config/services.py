"""Third-party services (Laravel's ``config/services.php``): default notification routes."""

from __future__ import annotations

from pydantic import Field, SecretStr

from foundry.config.base import Settings

__all__ = ["SETTINGS", "ServicesSettings"]


class ServicesSettings(Settings):
    """``SLACK_*``, ``DISCORD_*`` and ``WEBHOOK_*`` variables.

    Each is the route its channel uses when a notifiable names none (an incoming-webhook URL
    carries its secret in its path, so the URLs are kept as ``SecretStr``).
    """

    slack_webhook_url: SecretStr | None = Field(
        default=None, validation_alias="SLACK_WEBHOOK_URL", repr=False
    )
    discord_webhook_url: SecretStr | None = Field(
        default=None, validation_alias="DISCORD_WEBHOOK_URL", repr=False
    )
    webhook_url: str | None = Field(default=None, validation_alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="WEBHOOK_SECRET", repr=False
    )


SETTINGS = ServicesSettings

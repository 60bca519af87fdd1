"""SMS settings: the default driver and the Twilio-compatible HTTP API."""

from __future__ import annotations

from pydantic import Field, SecretStr

from foundry.config.base import Settings

__all__ = ["SETTINGS", "SmsSettings"]


class SmsSettings(Settings):
    """``SMS_*`` and ``TWILIO_*`` variables.

    ``SMS_DRIVER`` names the default driver: ``log`` (the embedded default: writes each message
    to the ``foundry.sms`` logger, for development), ``twilio`` (sends through a Twilio-compatible
    HTTP API) or ``array`` (keeps the messages in memory). Drivers added with
    ``SmsManager.extend`` may be named here too.
    """

    driver: str = Field(default="log", min_length=1, validation_alias="SMS_DRIVER")
    #: The account SID: the user name of the API's basic auth and part of its URL.
    twilio_sid: str | None = Field(default=None, validation_alias="TWILIO_SID")
    #: The auth token; a ``SecretStr`` so that printing the settings never shows it.
    twilio_token: SecretStr | None = Field(
        default=None, validation_alias="TWILIO_TOKEN", repr=False
    )
    #: The sender: a number in E.164 form (``+14155550100``) or an alphanumeric sender id.
    twilio_from: str | None = Field(default=None, validation_alias="TWILIO_FROM")
    #: Where the API lives; point it at a compatible provider or a local stub.
    twilio_base_url: str = Field(
        default="https://api.twilio.com", min_length=1, validation_alias="TWILIO_BASE_URL"
    )
    #: Seconds to wait for the API to connect and to answer.
    twilio_timeout: float = Field(default=10.0, gt=0, validation_alias="TWILIO_TIMEOUT")


SETTINGS = SmsSettings

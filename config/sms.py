"""SMS: the default driver (``log``, ``array``, ``twilio``) and the Twilio-compatible API.

The framework's defaults are in :class:`foundry.config.sms.SmsSettings`; every value can be set in
the environment or ``.env`` (``SMS_DRIVER``, ``TWILIO_SID``, ``TWILIO_TOKEN``, ``TWILIO_FROM``,
``TWILIO_BASE_URL``). Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.sms import SmsSettings

__all__ = ["SmsConfig"]


class SmsConfig(SmsSettings):
    """This application's SMS settings."""


SETTINGS = SmsConfig

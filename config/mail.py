"""Mail: the default mailer, the default sender and the SMTP server.

The framework's defaults are in :class:`foundry.config.mail.MailSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.mail import MailSettings

__all__ = ["MailConfig"]


class MailConfig(MailSettings):
    """This application's mail settings."""


SETTINGS = MailConfig

"""Mail settings: the default mailer, the default sender and the SMTP server."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from foundry.config.base import BASE_PATH, Settings

__all__ = ["DEFAULT_VIEWS_PATH", "Encryption", "MailSettings", "SETTINGS"]

DEFAULT_VIEWS_PATH = BASE_PATH / "resources" / "views"

#: ``none``: plain SMTP; ``starttls``: upgrade after connecting (port 587); ``tls``: implicit TLS
#: from the first byte (port 465).
Encryption = Literal["none", "starttls", "tls"]


class MailSettings(Settings):
    """``MAIL_*`` variables.

    ``MAIL_MAILER`` names the default mailer: ``log`` (the embedded default: writes each message to
    the ``foundry.mail`` logger), ``smtp`` (sends through ``MAIL_HOST``) or ``array`` (keeps the
    messages in memory). Mailers added with ``MailManager.extend`` may be named here too.
    """

    mailer: str = Field(default="log", min_length=1, validation_alias="MAIL_MAILER")
    from_address: str = Field(default="hello@example.com", validation_alias="MAIL_FROM_ADDRESS")
    from_name: str = Field(default="Foundry", validation_alias="MAIL_FROM_NAME")
    host: str = Field(default="127.0.0.1", validation_alias="MAIL_HOST")
    port: int = Field(default=25, ge=1, le=65535, validation_alias="MAIL_PORT")
    username: str | None = Field(default=None, validation_alias="MAIL_USERNAME")
    #: Kept as a ``SecretStr`` so that printing the settings never shows it.
    password: SecretStr | None = Field(default=None, validation_alias="MAIL_PASSWORD", repr=False)
    encryption: Encryption = Field(default="none", validation_alias="MAIL_ENCRYPTION")
    #: Seconds to wait for the SMTP server on connect and on each command.
    timeout: float = Field(default=10.0, gt=0, validation_alias="MAIL_TIMEOUT")
    #: Verify the server's certificate under ``starttls`` and ``tls`` (turn off only for tests).
    verify_certificates: bool = Field(default=True, validation_alias="MAIL_VERIFY_CERTIFICATES")
    #: The template root; mail templates live in its ``emails/`` folder.
    views_path: Path = Field(default=DEFAULT_VIEWS_PATH, validation_alias="MAIL_VIEWS_PATH")

    @field_validator("views_path")
    @classmethod
    def _from_project_root(cls, value: Path) -> Path:
        return value if value.is_absolute() else BASE_PATH / value


SETTINGS = MailSettings

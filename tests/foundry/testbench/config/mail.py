"""The test application's mail templates (its ``emails/welcome``), before the framework's own."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from foundry.config.mail import MailSettings

__all__ = ["MailConfig"]

VIEWS_PATH = Path(__file__).resolve().parent.parent / "resources" / "views"


class MailConfig(MailSettings):
    """Mail settings of the test application."""

    views_path: Path = Field(default=VIEWS_PATH, validation_alias="MAIL_VIEWS_PATH")


SETTINGS = MailConfig

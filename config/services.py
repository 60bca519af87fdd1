"""Third-party services: the default Slack and Discord webhook URLs and the signed webhook.

The framework's defaults are in :class:`foundry.config.services.ServicesSettings`; every value can
be set in the environment or ``.env``. Change a default for this application by redeclaring its
field below.
"""

from __future__ import annotations

from foundry.config.services import ServicesSettings

__all__ = ["ServicesConfig"]


class ServicesConfig(ServicesSettings):
    """This application's third-party services."""


SETTINGS = ServicesConfig

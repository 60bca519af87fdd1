"""HTTP: CORS, body size, security headers, trusted hosts, request ids, health checks.

The framework's defaults are in :class:`foundry.config.http.HttpSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.http import HttpSettings

__all__ = ["HttpConfig"]


class HttpConfig(HttpSettings):
    """This application's http settings."""


SETTINGS = HttpConfig

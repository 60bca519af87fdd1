"""Binds the OAuth2 client cache and the shared authorization server; checks the token lifetimes
at boot.

List ``foundry.oauth2.provider.OAuth2ServiceProvider`` in ``config/app.py`` after the JWT provider.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from foundry.config.jwt import JwtSettings
from foundry.config.oauth2 import OAuth2Settings
from foundry.kernel.providers import ServiceProvider
from foundry.oauth2.client_cache import ClientCache
from foundry.oauth2.server import SharedAuthorizationServer

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["OAuth2ServiceProvider"]

logger = logging.getLogger("foundry.oauth2")


class OAuth2ServiceProvider(ServiceProvider):
    """One :class:`ClientCache` and one :class:`SharedAuthorizationServer` per application."""

    def register(self, container: Container) -> None:
        container.singleton(
            ClientCache, lambda c: ClientCache(c.make(OAuth2Settings).client_cache_ttl)
        )
        container.singleton(SharedAuthorizationServer)

    def boot(self, app: Application) -> None:
        oauth, jwt = app.container.make(OAuth2Settings), app.container.make(JwtSettings)
        if oauth.access_ttl > jwt.access_ttl:
            logger.warning(
                "OAUTH2_ACCESS_TTL (%s s) exceeds JWT_ACCESS_TTL (%s s): access tokens live "
                "JWT_ACCESS_TTL seconds",
                oauth.access_ttl,
                jwt.access_ttl,
            )

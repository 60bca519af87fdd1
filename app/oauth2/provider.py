"""Binds the OAuth2 client cache and the shared authorization server; checks the token lifetimes
at boot.

List ``app.oauth2.provider.OAuth2ServiceProvider`` in ``config/app.py`` after the JWT provider.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.oauth2.client_cache import ClientCache
from app.oauth2.server import SharedAuthorizationServer
from app.support.providers import ServiceProvider
from config.jwt import JwtSettings
from config.oauth2 import OAuth2Settings

if TYPE_CHECKING:
    from app.support.application import Application
    from app.support.container import Container

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

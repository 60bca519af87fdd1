"""Binds the JWT key store, denylist and service; loads the keys once at boot.

List ``foundry.auth.jwt.provider.JwtServiceProvider`` in ``config/app.py`` after the cache and
database providers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from foundry.auth.jwt.denylist import TokenDenylist
from foundry.auth.jwt.keys import KeyStore, MissingKeysError
from foundry.auth.jwt.service import JwtService
from foundry.cache import Cache
from foundry.config.jwt import JwtSettings
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.manager import DatabaseManager
from foundry.kernel.providers import ServiceProvider

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["JwtServiceProvider"]

logger = logging.getLogger("foundry.auth.jwt")


class JwtServiceProvider(ServiceProvider):
    """Registers :class:`KeyStore`, :class:`TokenDenylist` and :class:`JwtService` as singletons.

    At boot the keys are parsed once. With no key yet, ``local`` and ``testing`` generate one (so
    a fresh checkout runs); production refuses to start (:class:`MissingKeysError`).
    """

    def register(self, container: Container) -> None:
        def keys(c: Container) -> KeyStore:
            settings = c.make(JwtSettings)
            return KeyStore(settings.keys_path, key_size=settings.key_size)

        def denylist(c: Container) -> TokenDenylist:
            settings = c.make(JwtSettings)
            return TokenDenylist(
                Cache,
                c.make(DatabaseManager),
                store=settings.denylist_store or None,
                leeway=settings.leeway,
                negative_ttl=settings.denylist_negative_ttl,
                browser_session_ttl=c.make(OAuth2Settings).session_ttl,
            )

        def service(c: Container) -> JwtService:
            return JwtService(c.make(JwtSettings), c.make(KeyStore), c.make(TokenDenylist))

        container.singleton(KeyStore, keys)
        container.singleton(TokenDenylist, denylist)
        container.singleton(JwtService, service)

    def boot(self, app: Application) -> None:
        store = app.container.make(KeyStore)
        if not store.exists():
            if app.is_production():
                raise MissingKeysError(
                    f"no JWT signing key in {store.path}: production refuses to start without "
                    "one. Run `artisan jwt:keys`."
                )
            logger.warning("no JWT signing key: generating one in %s", store.path)
            store.generate()
            return
        store.load()

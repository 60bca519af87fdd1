"""The application: one container, the config, and the service providers that fill it."""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pydantic import ValidationError

from foundry.config.app import AppSettings
from foundry.config.base import BASE_PATH, Settings
from foundry.kernel.config import ConfigError, ConfigRepository, settings_classes, settings_keys
from foundry.kernel.container import Container, set_root_container
from foundry.kernel.keys import parse_key
from foundry.kernel.providers import ServiceProvider
from foundry.kernel.redis import RedisConnector

__all__ = ["Application", "MissingAppKeyError"]

logger = logging.getLogger("foundry.app")
ShutdownCallback = Callable[[], Awaitable[None] | None]


class MissingAppKeyError(RuntimeError):
    """Production refuses to start without an ``APP_KEY``."""


class Application:
    """Create it, ``bootstrap()`` it, use ``container``; ``await shutdown()`` at the end."""

    def __init__(
        self,
        *,
        config: ConfigRepository | None = None,
        providers: Sequence[type[ServiceProvider] | str] | None = None,
    ) -> None:
        self.container = Container()
        self.config = config or ConfigRepository()
        self.base_path = BASE_PATH
        self._provider_specs = providers
        self.providers: list[ServiceProvider] = []
        self._shutdown: list[ShutdownCallback] = []
        self._after_boot: list[Callable[[], object]] = []
        self._booted = False
        self.container.instance(Application, self)
        self.container.instance(Container, self.container)
        self.container.instance(ConfigRepository, self.config)
        for _, cls in settings_classes():
            # Bound under the framework's class too: services ask for ``CacheSettings``, the
            # app's ``config/cache.py`` may answer with its subclass.
            for key in settings_keys(cls):
                self.container.singleton(key, _settings_factory(self.config, cls))
        self.container.singleton(RedisConnector)
        self.on_shutdown(self._close_redis)

    @property
    def settings(self) -> AppSettings:
        """The ``APP_*`` settings."""
        return self.config.settings(AppSettings)

    @property
    def environment(self) -> str:
        """``local``, ``testing`` or ``production``."""
        return self.settings.env

    def is_production(self) -> bool:
        """Whether ``APP_ENV=production``."""
        return self.environment == "production"

    def key(self) -> bytes:
        """The 32-byte application key."""
        return parse_key(self.settings.key)

    def bootstrap(self) -> Application:
        """Check the key, register then boot every provider, and become the current app."""
        if self._booted:
            return self
        self._check_settings()
        self._check_key()
        set_root_container(self.container)
        specs = self._provider_specs
        if specs is None:
            specs = self.settings.providers
        self.providers = [_load_provider(spec)(self) for spec in specs]
        for provider in self.providers:
            provider.register(self.container)
        for provider in self.providers:
            provider.boot(self)
        self._booted = True
        callbacks, self._after_boot = self._after_boot, []
        for callback in callbacks:
            callback()
        return self

    def booted(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once every provider has booted (at once if they have).

        For start-up checks that must see what a later provider's ``boot`` adds: a cache store
        named in ``CACHE_STORE`` that the app's own provider adds with ``extend``, say.
        """
        if self._booted:
            callback()
        else:
            self._after_boot.append(callback)

    def _check_settings(self) -> None:
        # Every setting is read now, so a bad value stops the start with its variable named,
        # rather than answering the first request that reads it with a 500.
        problems: list[str] = []
        for _, cls in settings_classes():
            try:
                self.config.settings(cls)
            except ValidationError as error:
                problems.extend(_setting_problems(error))
        if problems:
            raise ConfigError("invalid settings: " + "; ".join(problems))

    def _check_key(self) -> None:
        if self.settings.key:
            parse_key(self.settings.key)
        elif self.is_production():
            raise MissingAppKeyError(
                "APP_KEY is not set: production refuses to start without it. "
                "Run `artisan key:generate` or set APP_KEY in the environment."
            )
        else:
            logger.warning("APP_KEY is not set; run `artisan key:generate`")

    async def _close_redis(self) -> None:
        connector = self.container.resolved(RedisConnector)
        if connector is not None:
            await connector.aclose()

    def on_shutdown(self, callback: ShutdownCallback) -> None:
        """Run ``callback`` (sync or async) when the app shuts down, newest first."""
        self._shutdown.append(callback)

    async def shutdown(self) -> None:
        """Run the shutdown callbacks; each runs even if an earlier one failed."""
        callbacks, self._shutdown = self._shutdown, []
        for callback in reversed(callbacks):
            try:
                result = callback()
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception("shutdown callback failed")


def _settings_factory(repo: ConfigRepository, cls: type[Settings]) -> Callable[[Container], Any]:
    return lambda _: repo.settings(cls)


def _load_provider(spec: type[ServiceProvider] | str) -> type[ServiceProvider]:
    if isinstance(spec, type):
        return spec
    module_name, _, attr = spec.rpartition(".")
    provider = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(provider, type) and issubclass(provider, ServiceProvider)):
        raise TypeError(f"{spec} is not a ServiceProvider")
    return provider


def _setting_problems(error: ValidationError) -> list[str]:
    """``VARIABLE=value: what is wrong`` for each bad variable (values of secrets left out)."""
    problems = []
    for detail in error.errors():
        name = ".".join(str(part) for part in detail["loc"]) or "settings"
        shown = "" if _is_secret(name) else f"={detail.get('input')!r}"
        problems.append(f"{name}{shown}: {detail['msg']}")
    return problems


def _is_secret(name: str) -> bool:
    return any(
        word in name.upper() for word in ("KEY", "SECRET", "PASSWORD", "TOKEN", "DSN", "URL")
    )

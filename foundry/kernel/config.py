"""Config access: ``config("database.default")`` by dot path, ``settings(DatabaseSettings)`` typed.

The framework's settings classes and defaults live in :mod:`foundry.config`, one module per area.
The application's ``config`` package holds its choices: a module there names a subclass of the
framework's class ``SETTINGS`` (or a new settings class of its own), and whoever asks for the
framework's class gets the application's. The first segment of a dot path is the module name, the
rest walks its attributes (and dict keys).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator, Mapping
from functools import cache
from types import ModuleType
from typing import Any, TypeVar

from foundry.config.base import Settings

__all__ = [
    "ConfigError",
    "ConfigRepository",
    "config",
    "settings",
    "settings_classes",
    "settings_keys",
]

S = TypeVar("S", bound=Settings)
_MISSING = object()
FRAMEWORK_CONFIG = "foundry.config"


class ConfigError(LookupError):
    """An unknown config module or key."""


def _app_config_package() -> str:
    return os.environ.get("APP_CONFIG_PACKAGE", "config")


def _module_settings(package: str) -> dict[str, type[Settings]]:
    try:
        root: ModuleType = importlib.import_module(package)
    except ModuleNotFoundError:
        return {}
    found: dict[str, type[Settings]] = {}
    for info in pkgutil.iter_modules(getattr(root, "__path__", [])):
        if info.name == "base":
            continue
        cls = getattr(importlib.import_module(f"{package}.{info.name}"), "SETTINGS", None)
        if isinstance(cls, type) and issubclass(cls, Settings):
            found[info.name] = cls
    return found


@cache
def _effective(package: str) -> tuple[tuple[str, type[Settings]], ...]:
    chosen = _module_settings(FRAMEWORK_CONFIG)
    for name, cls in _module_settings(package).items():
        framework = chosen.get(name)
        if framework is not None and not issubclass(cls, framework):
            raise ConfigError(
                f"{package}.{name}.SETTINGS must subclass {framework.__qualname__} "
                "(the framework reads its settings through that class)"
            )
        chosen[name] = cls
    return tuple(sorted(chosen.items()))


def settings_classes() -> Iterator[tuple[str, type[Settings]]]:
    """Every ``(module name, settings class)`` in effect: the app's where it chose one."""
    yield from _effective(_app_config_package())


def settings_keys(cls: type[Settings]) -> Iterator[type[Settings]]:
    """The classes ``cls`` answers for: itself and the framework settings classes it extends."""
    for base in cls.__mro__:
        if isinstance(base, type) and issubclass(base, Settings) and base is not Settings:
            yield base


def _answering_class(cls: type[Settings]) -> type[Settings]:
    return _answering_class_in(cls, _app_config_package())


@cache
def _answering_class_in(cls: type[Settings], package: str) -> type[Settings]:
    for _, effective in _effective(package):
        if issubclass(effective, cls):
            return effective
    return cls


class ConfigRepository:
    """Loads each settings class once and answers dot-path look-ups."""

    def __init__(self, overrides: dict[type[Settings], Settings] | None = None) -> None:
        self._loaded: dict[type[Settings], Settings] = dict(overrides or {})

    @classmethod
    def with_environment(cls, env: Mapping[str, str]) -> ConfigRepository:
        """Load every settings class now, as if ``env`` were added to the environment.

        Tests use it to build apps with different settings side by side; ``os.environ`` is left as
        it was.
        """
        saved = os.environ.copy()
        os.environ.update(env)
        try:
            repo = cls()
            for _, settings_cls in settings_classes():
                repo.settings(settings_cls)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return repo

    def settings(self, cls: type[S]) -> S:
        """The loaded instance of ``cls``: of the app's subclass of it when the app chose one."""
        key = _answering_class(cls)
        found = self._loaded.get(key)
        if found is None:
            found = self._loaded[key] = key.load()
        assert isinstance(found, cls)
        return found

    def set(self, instance: Settings) -> None:
        """Replace a whole settings object (tests: ``repo.set(AppSettings(...))``)."""
        self._loaded[_answering_class(type(instance))] = instance

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """The value at ``key`` (``"module.attr[.attr...]"``), or ``default`` when missing."""
        module, _, path = key.partition(".")
        cls = dict(settings_classes()).get(module)
        if cls is None:
            if default is not _MISSING:
                return default
            raise ConfigError(f"no config module named {module!r}")
        value: Any = self.settings(cls)
        for part in path.split(".") if path else ():
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif not isinstance(value, dict) and hasattr(value, part):
                value = getattr(value, part)
            elif default is not _MISSING:
                return default
            else:
                raise ConfigError(f"no config key {key!r}")
        return value


class _DefaultHolder:
    def __init__(self) -> None:
        self.repository = ConfigRepository()


_default = _DefaultHolder()


def _repository() -> ConfigRepository:
    from foundry.kernel.container import BindingResolutionError, current_container

    try:
        return current_container().make(ConfigRepository)
    except BindingResolutionError:
        return _default.repository


def config(key: str, default: Any = _MISSING) -> Any:
    """Laravel's ``config()``: ``config("app.name")``, ``config("cache.store", "file")``."""
    return _repository().get(key, default)


def settings(cls: type[S]) -> S:
    """The typed settings object of the running application."""
    return _repository().settings(cls)

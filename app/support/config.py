"""Config access: ``config("database.default")`` by dot path, ``settings(DatabaseSettings)`` typed.

Each module in ``config/`` defines one pydantic-settings class and names it ``SETTINGS``; the first
segment of a dot path is the module name, the rest walks its attributes (and dict keys).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import config as config_package
from config.base import Settings

__all__ = ["ConfigError", "ConfigRepository", "config", "settings", "settings_classes"]

S = TypeVar("S", bound=Settings)
_MISSING = object()


class ConfigError(LookupError):
    """An unknown config module or key."""


def settings_classes() -> Iterator[tuple[str, type[Settings]]]:
    """Every ``(module name, settings class)`` in the ``config`` package."""
    for info in pkgutil.iter_modules(config_package.__path__):
        if info.name == "base":
            continue
        cls = getattr(importlib.import_module(f"config.{info.name}"), "SETTINGS", None)
        if isinstance(cls, type) and issubclass(cls, Settings):
            yield info.name, cls


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
        """The loaded instance of ``cls``."""
        found = self._loaded.get(cls)
        if found is None:
            found = self._loaded[cls] = cls.load()
        assert isinstance(found, cls)
        return found

    def set(self, instance: Settings) -> None:
        """Replace a whole settings object (tests: ``repo.set(AppSettings(...))``)."""
        self._loaded[type(instance)] = instance

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """The value at ``key`` (``"module.attr[.attr...]"``), or ``default`` when missing."""
        module, _, path = key.partition(".")
        try:
            cls = getattr(importlib.import_module(f"config.{module}"), "SETTINGS")
        except (ImportError, AttributeError):
            if default is not _MISSING:
                return default
            raise ConfigError(f"no config module named {module!r}") from None
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
    from app.support.container import BindingResolutionError, current_container

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

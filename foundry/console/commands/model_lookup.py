"""Finding the application's models by name, for ``model:show``, ``model:prune`` and ``tinker``."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from typing import Any

from foundry.config.database import DatabaseSettings
from foundry.console.context import CommandError
from foundry.database.model_loading import import_module_tree, importable
from foundry.kernel.config import ConfigRepository

__all__ = ["application_models", "import_model_modules", "resolve_model"]


def import_model_modules(config: ConfigRepository) -> list[str]:
    """Import ``DB_MODELS_PACKAGE`` (with its submodules) and ``DB_MODEL_MODULES``; their names."""
    settings = config.settings(DatabaseSettings)
    names = [settings.models_package] if importable(settings.models_package) else []
    names.extend(settings.model_modules)
    return [module.__name__ for name in names for module in import_module_tree(name)]


def application_models(config: ConfigRepository) -> list[type[Any]]:
    """The mapped classes the application's model modules define, by name."""
    from sqlalchemy.orm import DeclarativeBase

    modules = set(import_model_modules(config))
    found: dict[str, type[Any]] = {}
    for mapper in DeclarativeBase.__subclasses__():
        registry = getattr(mapper, "registry", None)
        for mapped in getattr(registry, "mappers", ()):
            cls = mapped.class_
            if cls.__module__ in modules:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[key] for key in sorted(found)]


def resolve_model(config: ConfigRepository, name: str) -> type[Any]:
    """``User`` (a model of the application's) or a dotted path to any mapped class."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import NoInspectionAvailable

    if "." in name:
        module_name, _, attr = name.rpartition(".")
        try:
            found = getattr(importlib.import_module(module_name), attr, None)
        except ModuleNotFoundError:
            found = None
    else:
        matches = [cls for cls in application_models(config) if cls.__name__ == name]
        if len(matches) > 1:
            paths = ", ".join(f"{cls.__module__}.{cls.__qualname__}" for cls in matches)
            raise CommandError(f"Several models are named [{name}]: {paths}. Use the full path.")
        found = matches[0] if matches else None
    if not isinstance(found, type):
        raise CommandError(f"Model [{name}] not found.")
    try:
        inspect(found)
    except NoInspectionAvailable:
        raise CommandError(f"[{name}] is not a mapped model.") from None
    return found

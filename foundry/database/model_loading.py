"""Importing every module that declares tables, so SQLAlchemy's metadata knows them all.

A foreign key names its target table by name (``oauth_clients.user_id`` -> ``users.id``);
SQLAlchemy resolves it when a row is written, from the tables imported so far. A command that
never imports the user model (``artisan oauth:client`` in a fresh process) would fail with
``NoReferencedTableError``; so the database provider loads them all at boot, as the migrations do.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from functools import cache
from pathlib import Path
from types import ModuleType

import foundry
from foundry.config.database import DatabaseSettings

__all__ = ["import_module_tree", "importable", "load_models"]


def importable(name: str) -> bool:
    """Whether module ``name`` exists (without importing it)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


def import_module_tree(name: str) -> list[ModuleType]:
    """Import ``name`` and, when it is a package, every module under it."""
    module = importlib.import_module(name)
    modules = [module]
    if hasattr(module, "__path__"):
        for sub in pkgutil.walk_packages(module.__path__, prefix=f"{name}."):
            modules.append(importlib.import_module(sub.name))
    return modules


@cache
def _framework_table_modules() -> tuple[str, ...]:
    names: list[str] = []
    for info in pkgutil.iter_modules(foundry.__path__):
        package_dir = Path(foundry.__path__[0]) / info.name
        for kind in ("tables", "models"):
            if info.ispkg and (
                (package_dir / f"{kind}.py").is_file() or (package_dir / kind).is_dir()
            ):
                names.append(f"foundry.{info.name}.{kind}")
    return tuple(names)


@cache
def _load(names: tuple[str, ...]) -> tuple[ModuleType, ...]:
    return tuple(module for name in names for module in import_module_tree(name))


def load_models(settings: DatabaseSettings) -> list[ModuleType]:
    """Import the framework's table modules (each ``foundry/<package>/tables`` or ``models``),
    the application's ``DB_MODELS_PACKAGE`` (with its submodules) and ``DB_MODEL_MODULES``;
    returns the modules. Each set of names is imported once per process."""
    names = list(_framework_table_modules())
    if importable(settings.models_package):
        names.append(settings.models_package)
    names.extend(settings.model_modules)
    return list(_load(tuple(names)))

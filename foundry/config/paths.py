"""Where the project lives, found without importing anything heavy (``artisan list`` uses it)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

__all__ = ["project_root"]


def project_root() -> Path:
    """The folder holding the application's ``config/``, ``storage/`` and ``.env``.

    The application's ``config`` package lives directly inside it; a project laid out differently
    names its root with ``APP_BASE_PATH``. Without either, the working directory.
    """
    explicit = os.environ.get("APP_BASE_PATH")
    if explicit:
        return Path(explicit).resolve()
    spec = importlib.util.find_spec("config")
    locations = list(spec.submodule_search_locations or ()) if spec else []
    if locations:
        return Path(locations[0]).resolve().parent
    return Path.cwd().resolve()

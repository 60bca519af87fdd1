"""Where the project lives, found without importing anything heavy (``artisan list`` uses it)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

__all__ = ["FRAMEWORK_VIEWS_PATH", "project_root"]

#: The framework's own templates (the OAuth2 pages, the account mails). The application's
#: ``resources/views`` is searched first, so a file of the same name there replaces one of these.
FRAMEWORK_VIEWS_PATH = Path(__file__).resolve().parent.parent / "resources" / "views"


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

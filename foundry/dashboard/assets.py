"""The dashboard's CSS, JavaScript and icon: files of ``foundry/dashboard/static`` served by the app.

Pages link them as ``/queue/assets/app.css?v=<hash>``: the hash of the content, so a new
release is fetched at once while an unchanged file stays cached for a year.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["STATIC_PATH", "Asset", "asset", "asset_versions"]

STATIC_PATH = Path(__file__).parent / "static"
_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file, read once."""

    body: bytes
    media_type: str
    version: str


@cache
def _assets() -> dict[str, Asset]:
    found: dict[str, Asset] = {}
    for path in sorted(STATIC_PATH.iterdir()):
        media_type = _TYPES.get(path.suffix)
        if media_type is not None and path.is_file():
            body = path.read_bytes()
            found[path.name] = Asset(body, media_type, hashlib.sha256(body).hexdigest()[:12])
    return found


def asset(name: str) -> Asset | None:
    """The file called ``name`` (a plain file name: nothing outside the folder is reachable)."""
    return _assets().get(name)


def asset_versions() -> dict[str, str]:
    """File name -> content hash, for the pages' links."""
    return {name: found.version for name, found in _assets().items()}

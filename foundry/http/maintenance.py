"""Maintenance mode's file: what ``artisan down`` writes and the middleware reads.

The file is JSON (``{"time", "retry", "secret_hash", "message"}``) under ``storage/framework``
(``APP_MAINTENANCE_FILE``), so every worker and server process on the host sees the same state
with one existence check per request and no shared service. Only a SHA-256 of the bypass secret is
stored; the bypass cookie is an expiry and an HMAC keyed with that hash, so the file never holds
something that could be replayed as the cookie, and ``down`` with a new secret voids old cookies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = [
    "BYPASS_COOKIE",
    "BYPASS_LIFETIME",
    "MaintenanceState",
    "bypass_cookie_value",
    "hash_secret",
    "is_valid_bypass_cookie",
    "read_state",
    "write_state",
]

#: The cookie a visit to ``/<secret>`` sets (Laravel's ``laravel_maintenance``).
BYPASS_COOKIE = "foundry_maintenance"
#: How long the bypass cookie lets a browser in, in seconds (Laravel: 12 hours).
BYPASS_LIFETIME = 12 * 3600


@dataclass(frozen=True, slots=True)
class MaintenanceState:
    """What ``artisan down`` was told."""

    time: float
    retry: int | None = None
    secret_hash: str | None = None
    message: str | None = None


def hash_secret(secret: str) -> str:
    """The hex SHA-256 the file keeps instead of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def write_state(path: Path, state: MaintenanceState) -> None:
    """Write the file atomically (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(asdict(state)), encoding="utf-8")
    os.replace(partial, path)


def read_state(path: Path) -> MaintenanceState | None:
    """The state when the application is down, ``None`` when it is up.

    A file that cannot be read as JSON still means "down" (with no secret): an operator who
    wrote it by hand wants the site down, and failing open would serve a half-migrated app.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        return MaintenanceState(time=0.0)
    try:
        data = json.loads(raw)
        retry = data.get("retry")
        secret_hash = data.get("secret_hash")
        message = data.get("message")
        return MaintenanceState(
            time=float(data.get("time", 0.0)),
            retry=int(retry) if isinstance(retry, int) and retry >= 0 else None,
            secret_hash=secret_hash if isinstance(secret_hash, str) and secret_hash else None,
            message=message if isinstance(message, str) and message else None,
        )
    except (ValueError, TypeError, AttributeError):
        return MaintenanceState(time=0.0)


def _signature(secret_hash: str, expires: int) -> str:
    return hmac.new(secret_hash.encode(), str(expires).encode(), hashlib.sha256).hexdigest()


def bypass_cookie_value(secret_hash: str, now: float | None = None) -> str:
    """``<expiry>.<hmac>``: lets a browser through until the expiry."""
    expires = int(now if now is not None else time.time()) + BYPASS_LIFETIME
    return f"{expires}.{_signature(secret_hash, expires)}"


def is_valid_bypass_cookie(secret_hash: str, value: str, now: float | None = None) -> bool:
    """Whether ``value`` was made for this secret and has not expired."""
    expires_text, _, signature = value.partition(".")
    if not expires_text.isdigit():
        return False
    expires = int(expires_text)
    if expires < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature, _signature(secret_hash, expires))

"""The application key: 32 random bytes written to ``.env`` as ``APP_KEY=base64:...``."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from pathlib import Path

__all__ = ["InvalidAppKeyError", "generate_key", "parse_key", "write_key_to_env"]

KEY_BYTES = 32
PREFIX = "base64:"


class InvalidAppKeyError(ValueError):
    """``APP_KEY`` is set but is not ``base64:`` followed by 32 bytes."""


def generate_key() -> str:
    """A new key in the ``base64:...`` form ``.env`` stores."""
    return PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_key(value: str) -> bytes:
    """The 32 key bytes of an ``APP_KEY`` value."""
    if not value.startswith(PREFIX):
        raise InvalidAppKeyError("APP_KEY must start with 'base64:' (run `artisan key:generate`)")
    try:
        raw = base64.b64decode(value[len(PREFIX) :], validate=True)
    except binascii.Error as exc:
        raise InvalidAppKeyError("APP_KEY is not valid base64") from exc
    if len(raw) != KEY_BYTES:
        raise InvalidAppKeyError(f"APP_KEY must decode to {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def write_key_to_env(env_path: Path, key: str) -> None:
    """Set ``APP_KEY`` in ``env_path``, replacing an existing line or appending one."""
    text = env_path.read_text(encoding="utf-8") if env_path.exists() else ""
    line = f"APP_KEY={key}"
    if re.search(r"^APP_KEY=.*$", text, flags=re.MULTILINE):
        text = re.sub(r"^APP_KEY=.*$", line, text, count=1, flags=re.MULTILINE)
    else:
        text = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    env_path.write_text(text, encoding="utf-8")
    env_path.chmod(0o600)

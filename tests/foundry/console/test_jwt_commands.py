"""``jwt:keys`` and ``jwt:rotate`` on a temporary keys directory."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from foundry.auth.jwt import KeyStore
from tests.foundry.console.helpers import artisan


def _manifest(keys: Path) -> dict[str, Any]:
    data = json.loads((keys / "keys.json").read_text())
    assert isinstance(data, dict)
    return data


def test_jwt_keys_writes_a_first_key_pair(tmp_path: Path) -> None:
    keys = tmp_path / "keys"

    result = artisan("jwt:keys", env={"JWT_KEYS_PATH": str(keys)})

    assert result.exit_code == 0, result.output
    kid = _manifest(keys)["current"]
    assert f"JWT signing key [{kid}] written to [{keys}]." in result.stdout
    assert stat.S_IMODE((keys / f"{kid}.pem").stat().st_mode) == 0o600
    assert KeyStore(keys).load().current_kid == kid


def test_jwt_keys_refuses_to_replace_a_key_without_force(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    env = {"JWT_KEYS_PATH": str(keys)}
    artisan("jwt:keys", env=env)
    first = _manifest(keys)["current"]

    refused = artisan("jwt:keys", env=env)

    assert refused.exit_code == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert _manifest(keys)["current"] == first

    forced = artisan("jwt:keys", "--force", env=env)

    assert forced.exit_code == 0, forced.output
    assert _manifest(keys)["current"] != first
    assert not (keys / f"{first}.pem").exists()


def test_jwt_rotate_makes_a_new_key_and_keeps_the_old_public_one(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    env = {"JWT_KEYS_PATH": str(keys), "JWT_ACCESS_TTL": "300", "JWT_LEEWAY": "10"}
    artisan("jwt:keys", env=env)
    old = _manifest(keys)["current"]

    result = artisan("jwt:rotate", env=env)

    assert result.exit_code == 0, result.output
    manifest = _manifest(keys)
    new = manifest["current"]
    assert new != old and f"New JWT signing key [{new}]" in result.stdout
    (retired,) = manifest["retired"]
    assert retired["kid"] == old
    assert retired["expires_at"] - retired["retired_at"] == 310
    assert (keys / f"{old}.pub.pem").exists() and not (keys / f"{old}.pem").exists()
    assert [k.kid for k in KeyStore(keys).load().verification_keys()] == [new, old]


def test_jwt_rotate_without_keys_says_what_to_run(tmp_path: Path) -> None:
    result = artisan("jwt:rotate", env={"JWT_KEYS_PATH": str(tmp_path / "keys")})

    assert result.exit_code == 1
    assert "artisan jwt:keys" in result.stderr

"""``jwt:keys`` and ``jwt:rotate``: the RS256 key pairs in ``JWT_KEYS_PATH``.

Neither boots the application (booting would generate a key in local environments): they read
the settings and work on the key store directly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.auth.jwt.keys import KeyStore, KeyStoreError
from foundry.config.jwt import JwtSettings
from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config

__all__ = ["jwt_keys", "jwt_rotate"]


def _store() -> tuple[KeyStore, JwtSettings]:
    settings = load_config().settings(JwtSettings)
    return KeyStore(settings.keys_path, key_size=settings.key_size), settings


def jwt_keys(
    force: Annotated[
        bool, typer.Option("--force", help="Replace the existing keys (invalidates every token)")
    ] = False,
) -> None:
    """Generate the JWT signing key pair in JWT_KEYS_PATH (storage/keys).

    An existing key is kept unless --force is given: replacing it invalidates every access token
    signed so far. Use jwt:rotate for a planned change of key.
    """
    output = Output()
    store, _ = _store()
    try:
        if store.exists() and not force:
            raise CommandError(
                f"A JWT signing key already exists in {store.path}: replacing it invalidates "
                "every token (use --force, or jwt:rotate)."
            )
        kid = store.generate(replace=force)
    except KeyStoreError as exc:
        raise CommandError(str(exc)) from None
    output.info(f"JWT signing key [{kid}] written to [{store.path}].")


def jwt_rotate() -> None:
    """Make a new JWT signing key; the old public key keeps verifying until its tokens expire.

    Running servers keep signing with the key they loaded until they restart.
    """
    output = Output()
    store, settings = _store()
    try:
        kid = store.rotate(retain_for=settings.access_ttl + settings.leeway)
    except KeyStoreError as exc:
        raise CommandError(str(exc)) from None
    output.info(f"New JWT signing key [{kid}]; restart the application servers to use it.")

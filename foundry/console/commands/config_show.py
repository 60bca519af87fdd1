"""``config:show [area]``: the settings in effect, with secrets masked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, SecretStr

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config

__all__ = ["MASK", "config_show", "is_secret_name", "masked"]

MASK = "********"

#: Field names ending in these words hold secrets: keys, passwords, secrets, tokens, DSNs.
_SECRET_NAME = re.compile(r"(^|_)(key|keys|password|passwd|secret|secrets|token|tokens|dsn)$")
#: ``scheme://user:password@host``: the password goes, the rest helps.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/:@\s]*:)(?P<password>[^@/\s]+)@", re.I)


def is_secret_name(name: str) -> bool:
    """Whether a field called ``name`` holds a secret (``app.key``, ``mail.password``...)."""
    return bool(_SECRET_NAME.search(name.lower()))


def masked(name: str, value: Any, field_hidden: bool = False) -> str:
    """``value`` as text, with a secret replaced by the mask and URL passwords hidden.

    Numbers and booleans are never secrets (``jwt.key_size``), so they always show.
    """
    if isinstance(value, SecretStr) or (
        (field_hidden or is_secret_name(name)) and not isinstance(value, (bool, int, float))
    ):
        # Whether a secret is set at all is worth knowing; its value never is.
        return MASK if value else "(not set)"
    text = (
        value if isinstance(value, str) else str(value) if isinstance(value, Path) else repr(value)
    )
    return _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@", text)


def _rows(area: str, settings: BaseModel) -> list[list[str]]:
    rows = []
    for name, info in type(settings).model_fields.items():
        value = getattr(settings, name)
        env = info.validation_alias if isinstance(info.validation_alias, str) else ""
        rows.append([f"{area}.{name}", env, masked(name, value, field_hidden=info.repr is False)])
    return rows


def config_show(
    area: Annotated[
        str | None, typer.Argument(help="One config module (app, database, cache...)")
    ] = None,
) -> None:
    """Show the configuration in effect, by dot path, with the variable that sets each value.

    Keys, passwords, secrets and tokens are masked, as are passwords inside URLs.
    """
    from foundry.kernel.config import settings_classes

    config = load_config()
    areas = dict(settings_classes())
    if area is not None and area not in areas:
        raise CommandError(f"Config area [{area}] does not exist. Known: {', '.join(areas)}.")
    rows: list[list[str]] = []
    for name, cls in areas.items():
        if area is None or name == area:
            rows.extend(_rows(name, config.settings(cls)))
    output = Output()
    for key, variable, value in rows:
        output.two_column(f"{key} ({variable})" if variable else key, value)

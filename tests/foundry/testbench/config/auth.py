"""The test application's user model."""

from __future__ import annotations

from pydantic import Field

from foundry.config.auth import AuthSettings

__all__ = ["AuthConfig"]


class AuthConfig(AuthSettings):
    """``AUTH_MODEL``: the test application's ``User``."""

    model: str = Field(default="tests.foundry.testbench.models.User", validation_alias="AUTH_MODEL")


SETTINGS = AuthConfig

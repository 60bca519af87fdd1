"""Logging settings: level and line format (JSON for machines, text for people)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from foundry.config.base import Settings

__all__ = ["LogFormat", "LoggingSettings"]

LogFormat = Literal["json", "text"]


class LoggingSettings(Settings):
    """``LOG_*`` variables."""

    level: str = Field(default="INFO", validation_alias="LOG_LEVEL")
    format: LogFormat = Field(default="json", validation_alias="LOG_FORMAT")
    #: Where log lines go; containers collect both streams, so this is a matter of taste.
    stream: Literal["stderr", "stdout"] = Field(default="stderr", validation_alias="LOG_STREAM")

    @field_validator("level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"}:
            raise ValueError("LOG_LEVEL must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG")
        return level


SETTINGS = LoggingSettings

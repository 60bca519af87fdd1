"""``QUEUE_DASHBOARD_*`` variables: whether the queue dashboard (:mod:`foundry.dashboard`) is
served, where, and how often its pages refresh."""

from __future__ import annotations

from pydantic import Field, field_validator

from foundry.config.base import Settings

__all__ = ["QueueDashboardSettings"]


class QueueDashboardSettings(Settings):
    """Where the dashboard lives and how often its pages refresh."""

    enabled: bool = Field(default=True, validation_alias="QUEUE_DASHBOARD_ENABLED")
    #: The URL prefix of the pages, the JSON endpoints and the assets.
    path: str = Field(default="/queue", validation_alias="QUEUE_DASHBOARD_PATH")
    #: Milliseconds between two refreshes of an open page (a job's change shows within it).
    poll_interval_ms: int = Field(
        default=2000, ge=250, le=60000, validation_alias="QUEUE_DASHBOARD_POLL_MS"
    )
    #: Rows a list shows at most (the newest first).
    page_size: int = Field(default=100, ge=1, le=1000, validation_alias="QUEUE_DASHBOARD_PAGE_SIZE")

    @field_validator("path")
    @classmethod
    def _normalize_path(cls, value: str) -> str:
        path = "/" + value.strip().strip("/")
        if path == "/" or "//" in path or any(c in path for c in "?#\\ "):
            raise ValueError("QUEUE_DASHBOARD_PATH must be a path such as /queue (not /)")
        return path


SETTINGS = QueueDashboardSettings

"""The dashboard's navigation: one entry per page that exists (pages join as they are built)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NAVIGATION", "NavItem"]


@dataclass(frozen=True, slots=True)
class NavItem:
    """A link of the top bar: its section name (the page marks itself active with it), its label
    and its path under ``QUEUE_DASHBOARD_PATH``."""

    section: str
    label: str
    path: str


#: In the order shown.
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("overview", "Overview", ""),
    NavItem("metrics", "Metrics", "/metrics"),
    NavItem("workers", "Workers", "/workers"),
    NavItem("jobs", "Jobs", "/jobs/pending"),
    NavItem("batches", "Batches", "/batches"),
)

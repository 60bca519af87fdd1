"""A job of the activity tests: writes an entry when a worker runs it."""

from __future__ import annotations

from foundry.activity import activity
from foundry.jobs import Job


class PublishReport(Job):
    """Logs ``published`` to the ``reports`` log, naming no causer itself."""

    def __init__(self, title: str) -> None:
        self.title = title

    async def handle(self) -> None:
        await (
            activity("reports")
            .event("published")
            .with_properties({"title": self.title})
            .log("Report published")
        )

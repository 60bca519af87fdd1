"""The jobs ``make queue-example`` dispatches: a report, a flaky call, and a mail job.

Read them next to the README's ``## Queue`` section; they use the features it describes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from foundry.jobs.job import Job
from foundry.jobs.middleware import JobMiddleware, LoggingMiddleware

__all__ = ["BuildReportJob", "FlakyApiCallJob"]

logger = logging.getLogger("foundry.examples")


class BuildReportJob(Job):
    """Sums numbers; ``handle`` is async and logs through ``LoggingMiddleware``."""

    queue = "default"
    timeout = 10

    def __init__(self, report: str, numbers: list[int]) -> None:
        self.report = report
        self.numbers = numbers

    def middleware(self) -> Sequence[JobMiddleware]:
        return [LoggingMiddleware()]

    async def handle(self) -> None:
        """Compute and log the total."""
        logger.warning("report %s: total %d", self.report, sum(self.numbers))


class FlakyApiCallJob(Job):
    """Fails on its first attempt, then succeeds: shows retries with backoff."""

    tries = 3
    backoff = [1, 2]

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def handle(self) -> None:
        """A sync handle (runs on a thread); raises once."""
        if self.attempts() == 1:
            raise ConnectionError(f"{self.endpoint} timed out (attempt 1)")
        logger.warning("called %s on attempt %d", self.endpoint, self.attempts())

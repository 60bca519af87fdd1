"""The no-op work the queue benchmark runs: a Foundry job and a plain rq function."""

from __future__ import annotations

from foundry.jobs.job import Job

__all__ = ["NoopJob", "noop"]


class NoopJob(Job):
    """Does nothing, asynchronously."""

    async def handle(self) -> None:
        """Nothing."""


def noop() -> None:
    """Nothing, for raw rq."""

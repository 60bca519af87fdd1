"""``JobContext``: what a running job knows about its delivery, and what it asked for.

The worker attaches one to the job before ``handle`` runs; ``release``, ``fail`` and
``delete`` only record the wish here, and the worker acts on it once ``handle`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JobContext"]


@dataclass(slots=True)
class JobContext:
    """One delivery of one job."""

    job_id: str
    connection: str
    queue: str
    #: 1 on the first run; counts every delivery, including those whose worker died.
    attempts: int = 1
    released_with_delay: float | None = None
    #: The release was the rate limiter's: it does not use up one of the job's tries.
    released_by_limiter: bool = False
    failed_with: BaseException | None = None
    deleted: bool = False

    @property
    def is_released(self) -> bool:
        """Whether the job asked to go back on the queue."""
        return self.released_with_delay is not None

    @property
    def is_failed(self) -> bool:
        """Whether the job marked itself failed."""
        return self.failed_with is not None

"""``Tally``: the numbers of one minute, queue and job class, as workers add them up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from foundry.queue.metrics.histogram import bin_of

__all__ = ["SeriesKey", "Tally"]


class SeriesKey(NamedTuple):
    """Which series a tally belongs to: the minute (Unix start), connection, queue, job class."""

    bucket: int
    connection: str
    queue: str
    job: str


@dataclass(slots=True)
class Tally:
    """Counts, sums and a runtime histogram; tallies add up (across workers and minutes)."""

    processed: int = 0
    failed: int = 0
    released: int = 0
    runtime_count: int = 0
    runtime_sum: float = 0.0
    runtime_max: float = 0.0
    wait_count: int = 0
    wait_sum: float = 0.0
    #: Runs per runtime bin (:mod:`foundry.queue.metrics.histogram`), only bins that were hit.
    bins: dict[int, int] = field(default_factory=dict)

    def add_runtime(self, seconds: float) -> None:
        """Count one run of ``handle`` that took ``seconds``."""
        self.runtime_count += 1
        self.runtime_sum += seconds
        if seconds > self.runtime_max:
            self.runtime_max = seconds
        index = bin_of(seconds)
        self.bins[index] = self.bins.get(index, 0) + 1

    def add_wait(self, seconds: float) -> None:
        """Count one job that waited ``seconds`` between being queued and being started."""
        self.wait_count += 1
        self.wait_sum += seconds

    def merge(self, other: Tally) -> None:
        """Add ``other``'s numbers to these."""
        self.processed += other.processed
        self.failed += other.failed
        self.released += other.released
        self.runtime_count += other.runtime_count
        self.runtime_sum += other.runtime_sum
        self.runtime_max = max(self.runtime_max, other.runtime_max)
        self.wait_count += other.wait_count
        self.wait_sum += other.wait_sum
        for index, count in other.bins.items():
            self.bins[index] = self.bins.get(index, 0) + count

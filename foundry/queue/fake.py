"""``Queue.fake()``: records dispatched jobs instead of queueing them, with assertions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from foundry.jobs.job import Job
from foundry.jobs.pending import DispatchOptions, PendingDispatch
from foundry.queue.manager import QueueManager

__all__ = ["PushedJob", "QueueFake"]

J = TypeVar("J", bound=Job)


@dataclass(frozen=True, slots=True)
class PushedJob:
    """One recorded dispatch."""

    job: Job
    connection: str
    queue: str
    job_id: str
    options: DispatchOptions


class QueueFake(QueueManager, fake_of=QueueManager):
    """A queue manager that keeps pushed jobs in a list; nothing runs."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # same signature as parent
        self.recorded: list[PushedJob] = []

    async def push(self, job: Job, options: DispatchOptions | None = None) -> str | None:
        options = options or DispatchOptions()
        driver, item = await self._prepare(job, options)
        self.recorded.append(PushedJob(job.copy(), driver.name, item.queue, item.uuid, options))
        return item.uuid

    async def bulk(self, jobs: Sequence[Job | PendingDispatch]) -> list[str | None]:
        ids: list[str | None] = []
        for entry in jobs:
            if isinstance(entry, PendingDispatch):
                ids.append(await self.push(entry.job, entry.options))
            else:
                ids.append(await self.push(entry))
        return ids

    def pushed(self, job_class: type[J], callback: Callable[[J], bool] | None = None) -> list[J]:
        """The recorded jobs of ``job_class`` (passing ``callback`` when given)."""
        found = [p.job for p in self.recorded if isinstance(p.job, job_class)]
        return [job for job in found if callback is None or callback(job)]

    def assert_pushed(
        self, job_class: type[J], callback: Callable[[J], bool] | None = None
    ) -> None:
        """At least one ``job_class`` job was pushed (matching ``callback``)."""
        if not self.pushed(job_class, callback):
            raise AssertionError(f"the expected [{job_class.__qualname__}] job was not pushed")

    def assert_pushed_times(self, job_class: type[J], times: int) -> None:
        """Exactly ``times`` ``job_class`` jobs were pushed."""
        count = len(self.pushed(job_class))
        if count != times:
            raise AssertionError(
                f"[{job_class.__qualname__}] was pushed {count} times instead of {times}"
            )

    def assert_pushed_on(
        self, queue: str, job_class: type[J], callback: Callable[[J], bool] | None = None
    ) -> None:
        """A ``job_class`` job was pushed onto ``queue``."""
        for pushed in self.recorded:
            if pushed.queue == queue and isinstance(pushed.job, job_class):
                if callback is None or callback(pushed.job):
                    return
        raise AssertionError(
            f"the expected [{job_class.__qualname__}] job was not pushed onto queue {queue!r}"
        )

    def assert_not_pushed(
        self, job_class: type[J], callback: Callable[[J], bool] | None = None
    ) -> None:
        """No ``job_class`` job was pushed (matching ``callback``)."""
        if self.pushed(job_class, callback):
            raise AssertionError(f"the unexpected [{job_class.__qualname__}] job was pushed")

    def assert_nothing_pushed(self) -> None:
        """No job at all was pushed."""
        if self.recorded:
            names = ", ".join(sorted({type(p.job).__qualname__ for p in self.recorded}))
            raise AssertionError(f"jobs were pushed unexpectedly: {names}")

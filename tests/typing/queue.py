"""mypy proves the queue's public API is typed (checked by mypy only, never run)."""

from __future__ import annotations

from foundry.jobs import Job
from foundry.queue import Queue, QueueFake


class Ping(Job):
    def __init__(self, host: str) -> None:
        self.host = host

    async def handle(self) -> None:
        return None


async def dispatching() -> None:
    job_id: str | None = await Ping.dispatch("a")
    fluent: str | None = await Ping("a").on_queue("high").with_priority(5).dispatch()
    ids: list[str | None] = await Queue.bulk([Ping("a"), Ping("b").on_queue("low")])
    size: int = await Queue.size("high")
    fake: QueueFake = Queue.fake()
    fake.assert_pushed(Ping, lambda job: job.host == "a")
    hosts: list[str] = [job.host for job in fake.pushed(Ping)]
    del job_id, fluent, ids, size, hosts

"""Jobs and catch callbacks the chain tests queue (importable by worker processes)."""

from __future__ import annotations

import asyncio

from foundry.jobs import Job
from foundry.queue import BatchableJob, ChainableJob, ChainFailure
from tests.foundry.queue.sample_jobs import Journal


class StepJob(Job):
    """Records its label."""

    def __init__(self, label: str) -> None:
        self.label = label

    async def handle(self) -> None:
        Journal.add("step", self.label)


class BrokenStepJob(Job):
    """Raises, every time."""

    tries = 1

    def __init__(self, label: str) -> None:
        self.label = label

    async def handle(self) -> None:
        Journal.add("step", self.label)
        raise RuntimeError(f"{self.label} broke")


class GrowingJob(ChainableJob):
    """Adds links to its chain from ``handle``."""

    def __init__(self, label: str, prepend: list[str], append: list[str]) -> None:
        self.label = label
        self.prepend = prepend
        self.append = append

    async def handle(self) -> None:
        Journal.add("step", self.label)
        for label in self.prepend:
            self.prepend_to_chain(StepJob(label))
        for label in self.append:
            self.append_to_chain(StepJob(label))


class CatchJob(Job):
    """A Job given to ``catch``: records the failure it is handed."""

    def __init__(self, note: str) -> None:
        self.note = note

    async def handle(self) -> None:
        Journal.add("caught_by_job", (self.note, getattr(self, "chain_failure", None)))


def record_failure(failure: ChainFailure) -> None:
    """A module-level catch callback."""
    Journal.add("caught", failure)


async def record_failure_async(failure: ChainFailure) -> None:
    """An async module-level catch callback."""
    Journal.add("caught_async", failure.link_index)


class FileStepJob(Job):
    """Writes ``start`` and ``done`` lines to a file around a sleep (the kill test's proof)."""

    tries = 3

    def __init__(self, label: str, seconds: float, path: str) -> None:
        self.label = label
        self.seconds = seconds
        self.path = path

    def _write(self, what: str) -> None:
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(f"{what} {self.label}\n")

    async def handle(self) -> None:
        self._write("start")
        await asyncio.sleep(self.seconds)
        self._write("done")


class FixableStepJob(Job):
    """Fails until the journal says it was fixed (for ``queue:retry``)."""

    tries = 1

    def __init__(self, label: str) -> None:
        self.label = label

    async def handle(self) -> None:
        if not Journal.of("fixed"):
            raise RuntimeError(f"{self.label} is not fixed yet")
        Journal.add("step", self.label)


class MisroutingJob(ChainableJob):
    """Appends a job to a queue that cannot exist."""

    async def handle(self) -> None:
        Journal.add("step", "misrouting")
        lost = StepJob("lost")
        lost.queue = "no such queue!"
        self.append_to_chain(lost)


class BatchStepJob(BatchableJob):
    """A step that can be a member of a batch (and a link of a chain inside one)."""

    def __init__(self, label: str) -> None:
        self.label = label

    async def handle(self) -> None:
        Journal.add("step", self.label)


class BrokenBatchStepJob(BatchableJob):
    """A batch member that raises, every time."""

    tries = 1

    def __init__(self, label: str) -> None:
        self.label = label

    async def handle(self) -> None:
        Journal.add("step", self.label)
        raise RuntimeError(f"{self.label} broke")

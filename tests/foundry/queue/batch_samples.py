"""Jobs and callbacks the batch tests dispatch (module level, so workers can import them)."""

from __future__ import annotations

import os
from pathlib import Path

from foundry.jobs import Job, ShouldBeUnique
from foundry.queue import Batch, BatchableJob
from tests.foundry.queue.sample_jobs import Journal


class PartJob(BatchableJob):
    """Succeeds, unless ``fail_marker`` names a file that exists (then it raises)."""

    def __init__(self, number: int, fail_marker: str | None = None) -> None:
        self.number = number
        self.fail_marker = fail_marker

    async def handle(self) -> None:
        if self.fail_marker and os.path.exists(self.fail_marker):
            raise RuntimeError(f"part {self.number} fails while {self.fail_marker} exists")
        Journal.add("part", self.number)


class PoliteJob(BatchableJob):
    """Does nothing once its batch is cancelled, as ``make:job --batchable`` writes it."""

    def __init__(self, number: int) -> None:
        self.number = number

    async def handle(self) -> None:
        batch = await self.batch()
        if batch is not None and batch.cancelled():
            Journal.add("skipped", self.number)
            return
        Journal.add("polite", self.number)


class GrowingJob(BatchableJob):
    """Adds two more parts to its own batch."""

    async def handle(self) -> None:
        batch = await self.batch()
        assert batch is not None
        await batch.add([PartJob(100), PartJob(101)])


class NoteJob(Job):
    """A callback job: appends its kind to a file (counted across worker processes)."""

    def __init__(self, kind: str, path: str) -> None:
        self.kind = kind
        self.path = path

    async def handle(self) -> None:
        with Path(self.path).open("a", encoding="utf-8") as out:
            out.write(self.kind + "\n")


class ProgressNoteJob(BatchableJob):
    """A callback job that reads the batch through ``self.batch()``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    async def handle(self) -> None:
        batch = await self.batch()
        assert batch is not None
        Journal.add(f"{self.kind}-progress", (batch.progress(), batch.failed_jobs))


def record_then(batch: Batch) -> None:
    """A sync function callback."""
    Journal.add("then", batch.id)


async def record_catch(batch: Batch) -> None:
    """An async function callback."""
    Journal.add("catch", batch.id)


async def record_finally(batch: Batch) -> None:
    """An async function callback."""
    Journal.add("finally", batch.id)


class UniquePartJob(BatchableJob, ShouldBeUnique):
    """Unique and batchable: refused, a skipped copy would never be counted."""

    def unique_id(self) -> str:
        return "one"

    async def handle(self) -> None:
        Journal.add("unique-part", 1)

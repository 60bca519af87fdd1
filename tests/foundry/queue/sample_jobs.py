"""Jobs the queue tests dispatch; they record what happened in a module-level journal."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID

from foundry.database.manager import DatabaseManager
from foundry.jobs import Job, JobMiddleware, SecureJob, ShouldBeUnique, Skip


class Journal:
    """What the jobs did, in order (cleared by each test)."""

    entries: list[tuple[str, Any]] = []  # noqa: RUF012  # test-only shared journal

    @classmethod
    def add(cls, kind: str, value: Any) -> None:
        cls.entries.append((kind, value))

    @classmethod
    def of(cls, kind: str) -> list[Any]:
        return [value for k, value in cls.entries if k == kind]


@dataclass
class Point:
    x: int
    y: int


class RecordJob(Job):
    """Records its fields when it runs."""

    def __init__(self, label: str, when: datetime | None = None, extra: Any = None) -> None:
        self.label = label
        self.when = when
        self.extra = extra

    async def handle(self) -> None:
        Journal.add("ran", self.label)
        Journal.add("fields", (self.label, self.when, self.extra))


class SyncRecordJob(Job):
    """A synchronous handle asking the container for a service."""

    def __init__(self, label: str) -> None:
        self.label = label

    def handle(self, database: DatabaseManager) -> str:
        Journal.add("sync", (self.label, type(database).__name__))
        return self.label


class FlakyJob(Job):
    """Fails until its attempt number reaches ``succeed_on``."""

    tries = 3
    backoff = [0, 0]

    def __init__(self, succeed_on: int) -> None:
        self.succeed_on = succeed_on

    async def handle(self) -> None:
        Journal.add("attempt", self.attempts())
        if self.attempts() < self.succeed_on:
            raise RuntimeError(f"boom on attempt {self.attempts()}")

    def failed(self, exception: BaseException) -> None:
        Journal.add("failed_hook", str(exception))


class SlowJob(Job):
    """Sleeps longer than its timeout."""

    timeout = 0.3
    tries = 1

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def handle(self) -> None:
        await asyncio.sleep(self.seconds)


class ReleasingJob(Job):
    """Releases itself once, then finishes."""

    tries = 3

    async def handle(self) -> None:
        Journal.add("attempt", self.attempts())
        if self.attempts() == 1:
            self.release(0)


class NoopJob(Job):
    """Does nothing (benchmarks, bulk dispatch)."""

    async def handle(self) -> None:
        return None


class SleepJob(Job):
    """Sleeps, then writes its label to a file (the kill test's proof of completion)."""

    def __init__(self, label: str, seconds: float, path: str) -> None:
        self.label = label
        self.seconds = seconds
        self.path = path

    async def handle(self) -> None:
        await asyncio.sleep(self.seconds)
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(self.label + "\n")


class TypedFieldsJob(Job):
    """Fields of every tagged kind."""

    def __init__(self) -> None:
        self.day = date(2026, 11, 22)
        self.moment = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
        self.ident = UUID(int=7)
        self.pair = (1, "a")
        self.tags = {"x"}
        self.point = Point(1, 2)
        self.raw = b"\x00\x01"

    async def handle(self) -> None:
        Journal.add("typed", dict(self.fields()))


class SecretJob(SecureJob):
    """A secure job with one sensitive field."""

    def __init__(self, account: str, token: str) -> None:
        super().__init__()
        self.account = account
        self.token = token
        self.set_sensitive_fields(["token"])

    async def handle(self) -> None:
        Journal.add("secret", (self.account, self.token))


class GuardedJob(SecureJob):
    """A secure job that requires a permission."""

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note
        self.set_required_permissions(["run reports"])

    async def handle(self) -> None:
        Journal.add("guarded", self.note)


class UniqueJob(Job, ShouldBeUnique):
    """One copy per key."""

    def __init__(self, key: str) -> None:
        self.key = key

    def unique_id(self) -> str:
        return self.key

    async def handle(self) -> None:
        Journal.add("unique", self.key)


class SkippedJob(Job):
    """Skipped by middleware when ``skip`` is true."""

    def __init__(self, skip: bool) -> None:
        self.skip = skip

    def middleware(self) -> Sequence[JobMiddleware]:
        return [Skip.when(lambda job: bool(getattr(job, "skip", False)))]

    async def handle(self) -> None:
        Journal.add("not_skipped", self.skip)


def now() -> float:
    """The time, for delay tests."""
    return time.time()


class NotAJob:
    """A class a tampered payload may name."""


class AuthorJob(Job):
    """Holds a model; fetched again when it runs."""

    def __init__(self, author: Any) -> None:
        self.author = author

    async def handle(self) -> None:
        Journal.add("author", self.author.name if self.author is not None else None)


class DroppingAuthorJob(AuthorJob):
    """Dropped quietly when its model is gone."""

    delete_when_missing_models = True


def plain_rq_function() -> str:
    """A plain rq job (not a Foundry job) that someone enqueues on a Foundry queue."""
    return "plain"

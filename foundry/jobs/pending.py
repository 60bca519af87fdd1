"""``PendingDispatch``: the fluent form, ``job.on_queue("high").with_priority(10).dispatch()``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from foundry.jobs.bus import Bus

if TYPE_CHECKING:
    from foundry.jobs.job import Job

__all__ = ["DispatchOptions", "PendingDispatch"]


@dataclass(slots=True)
class DispatchOptions:
    """Per-dispatch choices; ``None`` means the job's own setting."""

    connection: str | None = None
    queue: str | None = None
    #: Unix time at which the job becomes available (``None``: now).
    available_at: float | None = None
    priority: int | None = None
    after_commit: bool | None = None
    #: The user on whose behalf the job runs (checked by secure jobs).
    user_id: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def delay(self) -> float:
        """Seconds from now until the job is available (0 when it already is)."""
        if self.available_at is None:
            return 0.0
        return max(0.0, self.available_at - time.time())


class PendingDispatch:
    """Options for one dispatch of one job; ``await .dispatch()`` returns the job id."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.options = DispatchOptions()

    def on_queue(self, queue: str) -> PendingDispatch:
        """Dispatch to ``queue``."""
        self.options.queue = queue
        return self

    def on_connection(self, connection: str) -> PendingDispatch:
        """Dispatch on ``connection``."""
        self.options.connection = connection
        return self

    def delay_until(self, when: float | datetime) -> PendingDispatch:
        """Available after ``when``: seconds from now, or an aware datetime."""
        if isinstance(when, datetime):
            moment = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
            self.options.available_at = moment.timestamp()
        else:
            self.options.available_at = time.time() + max(0.0, float(when))
        return self

    delay = delay_until

    def with_priority(self, priority: int) -> PendingDispatch:
        """Higher runs first within the queue (bands on Redis: see the README)."""
        self.options.priority = int(priority)
        return self

    def after_commit(self) -> PendingDispatch:
        """Hold the dispatch until the surrounding transaction commits (dropped on rollback)."""
        self.options.after_commit = True
        return self

    def before_commit(self) -> PendingDispatch:
        """Dispatch at once even inside a transaction."""
        self.options.after_commit = False
        return self

    def by_user(self, user_id: str | int | None) -> PendingDispatch:
        """Dispatch on behalf of ``user_id`` (secure jobs check its permissions)."""
        self.options.user_id = None if user_id is None else str(user_id)
        return self

    async def dispatch(self) -> str | None:
        """Queue the job; returns its id (a uuid), also when the push waits for a commit.

        ``None`` when the job is :class:`~foundry.jobs.unique.ShouldBeUnique` and a copy is queued.
        """
        return await Bus.push(self.job, self.options)

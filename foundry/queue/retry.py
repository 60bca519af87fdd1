"""Putting failed jobs back on their queues (``queue:retry``)."""

from __future__ import annotations

import json
import time

from foundry.queue.drivers.base import PushItem
from foundry.queue.failed import FailedJob
from foundry.queue.manager import QueueManager

__all__ = ["RetryRefused", "retry_failed"]


class RetryRefused(ValueError):
    """A failed job that cannot go back (its payload is unreadable or its connection gone)."""


async def retry_failed(manager: QueueManager, failed: FailedJob) -> None:
    """Push ``failed`` back on its connection and queue, then forget the failure.

    The payload keeps its uuid; its exception count starts again from zero, and a new
    delivery starts at attempt 1.
    """
    try:
        payload = json.loads(failed.payload)
        if not isinstance(payload, dict) or "job" not in payload:
            raise ValueError("not a job payload")
    except ValueError as exc:
        raise RetryRefused(f"failed job {failed.uuid} has an unreadable payload: {exc}") from None
    try:
        driver = manager.connection(failed.connection)
    except LookupError as exc:
        raise RetryRefused(str(exc)) from None
    payload["exceptions"] = 0
    item = PushItem(
        failed.uuid,
        json.dumps(payload, separators=(",", ":")),
        failed.queue,
        time.time(),
        int(payload.get("priority") or 0),
    )
    await driver.push(item)
    await manager.failed_store().forget(failed.uuid)

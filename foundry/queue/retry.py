"""Putting failed jobs back on their queues (``queue:retry``)."""

from __future__ import annotations

import time

from foundry.jobs.errors import PayloadError
from foundry.jobs.payload import dumps, loads, verify_payload
from foundry.queue.drivers.base import PushItem
from foundry.queue.failed import FailedJob
from foundry.queue.manager import QueueManager

__all__ = ["RetryRefused", "retry_failed"]


class RetryRefused(ValueError):
    """A failed job that cannot go back: its payload is unreadable, unsigned or tampered with,
    or its connection is gone."""


async def retry_failed(manager: QueueManager, failed: FailedJob) -> None:
    """Push ``failed`` back on its connection and queue, then forget the failure.

    The payload keeps its uuid and its signature; its exception count starts again from zero,
    and a new delivery starts at attempt 1. A payload whose signature does not check out (a row
    written into ``failed_jobs`` by hand, or a job refused for that reason) stays where it is:
    retrying it would hand a worker a document this app never signed.
    """
    try:
        payload = loads(failed.payload)
        verify_payload(payload, manager.signer())
    except PayloadError as exc:
        raise RetryRefused(f"failed job {failed.uuid} cannot be retried: {exc}") from None
    try:
        driver = manager.connection(failed.connection)
    except LookupError as exc:
        raise RetryRefused(str(exc)) from None
    payload["exceptions"] = 0
    item = PushItem(
        failed.uuid,
        dumps(payload),
        failed.queue,
        time.time(),
        int(payload.get("priority") or 0),
        batch_id=payload.get("batch_id"),
    )
    await driver.push(item)
    await manager.failed_store().forget(failed.uuid)

"""Pause and continue a queue from the dashboard (POST, CSRF, gated, logged).

``POST {dashboard}/api/queues/{connection}/{queue}/pause`` (optional ``?ttl=`` seconds) and
``.../continue`` do what ``queue:pause`` / ``queue:continue`` do. Pages ask
:func:`queue_is_paused` (one queue) or :func:`paused_queue_names` (many, one cache round trip).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from foundry.activity.audit import log_queue_action
from foundry.dashboard.guard import ApiActor
from foundry.http.dependencies import Inject
from foundry.kernel.errors import NotFoundError, ValidationError
from foundry.queue.errors import UnknownConnectionError, UnknownQueueError
from foundry.queue.manager import QueueManager, check_queue_name
from foundry.queue.pausing import continue_queue, is_paused, pause_queue, paused_queues

__all__ = ["paused_queue_names", "queue_is_paused", "router"]

logger = logging.getLogger("foundry.dashboard")

router = APIRouter(prefix="/api", include_in_schema=False)

_NO_STORE = {"Cache-Control": "no-store"}


async def queue_is_paused(manager: QueueManager, connection: str, queue: str) -> bool:
    """Whether ``connection``'s ``queue`` is paused (``queue:pause`` or the dashboard)."""
    return await is_paused(manager, connection, queue)


async def paused_queue_names(
    manager: QueueManager, connection: str, queues: Iterable[str]
) -> set[str]:
    """Which of ``connection``'s ``queues`` are paused, in one cache round trip."""
    return await paused_queues(manager, connection, queues)


def _checked(manager: QueueManager, connection: str, queue: str) -> None:
    try:
        manager.connection_config(connection)
    except UnknownConnectionError:
        raise NotFoundError(f"No queue connection named [{connection[:64]}].") from None
    try:
        check_queue_name(queue)
    except UnknownQueueError as exc:
        raise ValidationError({"queue": [str(exc)]}) from None


def _answer(connection: str, queue: str, paused: bool) -> JSONResponse:
    body = {"data": {"connection": connection, "queue": queue, "paused": paused}}
    return JSONResponse(body, headers=_NO_STORE)


@router.post("/queues/{connection}/{queue}/pause", name="queue-dashboard.api.queues.pause")
async def pause(
    connection: str,
    queue: str,
    user: ApiActor,
    manager: Inject[QueueManager],
    ttl: Annotated[float | None, Query(ge=1, le=366 * 24 * 3600)] = None,
) -> JSONResponse:
    """Pause the queue on every worker (for ``ttl`` seconds, or until continued)."""
    _checked(manager, connection, queue)
    await pause_queue(manager, connection, queue, ttl)
    logger.info("queue dashboard: user %s paused queue %s:%s", user.id, connection, queue)
    await log_queue_action(
        "queue_paused",
        f"Queue {connection}:{queue} paused",
        {"connection": connection, "queue": queue, "ttl": ttl},
        causer=user,
    )
    return _answer(connection, queue, True)


@router.post("/queues/{connection}/{queue}/continue", name="queue-dashboard.api.queues.continue")
async def resume(
    connection: str, queue: str, user: ApiActor, manager: Inject[QueueManager]
) -> JSONResponse:
    """Let the workers take the queue's jobs again."""
    _checked(manager, connection, queue)
    await continue_queue(manager, connection, queue)
    logger.info("queue dashboard: user %s continued queue %s:%s", user.id, connection, queue)
    await log_queue_action(
        "queue_continued",
        f"Queue {connection}:{queue} continued",
        {"connection": connection, "queue": queue},
        causer=user,
    )
    return _answer(connection, queue, False)

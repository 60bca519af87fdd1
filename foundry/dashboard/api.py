"""The JSON endpoints the pages poll, and the actions on failed jobs (POST, CSRF, logged)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.responses import JSONResponse

from foundry.activity.audit import log_queue_action
from foundry.config.queue_dashboard import QueueDashboardSettings
from foundry.dashboard.guard import ApiActor, ApiViewer, DashboardSettings
from foundry.dashboard.jobs import DashboardJobs, failed_detail, pending_detail
from foundry.dashboard.listing import JobFilter
from foundry.http.controllers.health import uses_redis
from foundry.http.dependencies import Inject
from foundry.kernel.application import Application
from foundry.kernel.errors import NotFoundError
from foundry.queue.manager import QueueManager

__all__ = ["JobIds", "router"]

logger = logging.getLogger("foundry.dashboard")

router = APIRouter(prefix="/api", include_in_schema=False)

_NO_STORE = {"Cache-Control": "no-store"}
SearchText = Annotated[str, Query(max_length=200)]
QueueName = Annotated[str, Query(max_length=255)]
JobKey = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class JobIds(BaseModel):
    """The failed jobs an action is for (ids or uuids)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    ids: list[JobKey] = Field(min_length=1, max_length=1000)


def _service(
    app: Application, manager: QueueManager, settings: QueueDashboardSettings
) -> DashboardJobs:
    return DashboardJobs(manager, redis_in_use=uses_redis(app.config), page_size=settings.page_size)


def _json(data: Any, meta: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"data": data}
    if meta is not None:
        body["meta"] = meta
    return JSONResponse(body, headers=_NO_STORE)


@router.get("/jobs/pending", name="queue-dashboard.api.pending")
async def pending(
    _: ApiViewer,
    app: Inject[Application],
    manager: Inject[QueueManager],
    settings: DashboardSettings,
    q: SearchText = "",
    queue: QueueName = "",
) -> JSONResponse:
    """Waiting, running and delayed jobs (``q``: class, name or uuid; ``queue``: exact)."""
    listing = await _service(app, manager, settings).pending(JobFilter(q, queue))
    return _json(
        [row.as_json() for row in listing.rows],
        {
            "connections": listing.connections,
            "unavailable": listing.unavailable,
            "limit": settings.page_size,
        },
    )


@router.get("/jobs/pending/{key}", name="queue-dashboard.api.pending.show")
async def pending_job(
    key: str,
    _: ApiViewer,
    app: Inject[Application],
    manager: Inject[QueueManager],
    settings: DashboardSettings,
) -> JSONResponse:
    """One waiting or running job; 404 once it is done (or never was)."""
    found = await _service(app, manager, settings).find_pending(key[:64])
    if found is None:
        raise NotFoundError(f"No pending job matches the given ID [{key[:64]}].")
    return _json(pending_detail(*found))


@router.get("/jobs/failed", name="queue-dashboard.api.failed")
async def failed(
    _: ApiViewer,
    app: Inject[Application],
    manager: Inject[QueueManager],
    settings: DashboardSettings,
    q: SearchText = "",
    queue: QueueName = "",
) -> JSONResponse:
    """Failed jobs, newest first (``q``: class, name, uuid or id; ``queue``: exact)."""
    rows, total = await _service(app, manager, settings).failed(JobFilter(q, queue))
    return _json([row.as_json() for row in rows], {"total": total, "limit": settings.page_size})


@router.get("/jobs/failed/{key}", name="queue-dashboard.api.failed.show")
async def failed_job(
    key: str,
    _: ApiViewer,
    app: Inject[Application],
    manager: Inject[QueueManager],
    settings: DashboardSettings,
) -> JSONResponse:
    """One failed job: the payload (secure fields redacted) and the exception's trace."""
    found = await _service(app, manager, settings).find_failed(key)
    if found is None:
        raise NotFoundError(f"No failed job matches the given ID [{key[:64]}].")
    return _json(failed_detail(found))


@router.post("/jobs/failed/retry", name="queue-dashboard.api.failed.retry")
async def retry(
    body: JobIds,
    user: ApiActor,
    app: Inject[Application],
    manager: Inject[QueueManager],
    settings: DashboardSettings,
) -> JSONResponse:
    """Put failed jobs back on their queues, as ``queue:retry`` does."""
    outcome = await _service(app, manager, settings).retry(body.ids)
    logger.info(
        "queue dashboard: user %s retried failed jobs %s (missing %s, refused %s)",
        user.id,
        outcome.done,
        outcome.missing,
        sorted(outcome.refused),
    )
    if outcome.done:
        await log_queue_action(
            "failed_retried", "Failed jobs retried", {"ids": outcome.done}, causer=user
        )
    return _json(outcome.as_json())


@router.post("/jobs/failed/forget", name="queue-dashboard.api.failed.forget")
async def forget(
    body: JobIds,
    user: ApiActor,
    app: Inject[Application],
    manager: Inject[QueueManager],
    settings: DashboardSettings,
) -> JSONResponse:
    """Delete failed jobs, as ``queue:forget`` does."""
    outcome = await _service(app, manager, settings).forget(body.ids)
    logger.info(
        "queue dashboard: user %s forgot failed jobs %s (missing %s)",
        user.id,
        outcome.done,
        outcome.missing,
    )
    if outcome.done:
        await log_queue_action(
            "failed_forgotten", "Failed jobs forgotten", {"ids": outcome.done}, causer=user
        )
    return _json(outcome.as_json())

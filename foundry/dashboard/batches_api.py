"""The Batches pages' JSON endpoints, and the actions on a batch (POST, CSRF, logged)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from foundry.activity.audit import log_queue_action
from foundry.dashboard.batches import DashboardBatches, batch_json
from foundry.dashboard.guard import ApiActor, ApiViewer, DashboardSettings
from foundry.http.dependencies import Inject
from foundry.kernel.errors import ConflictError, NotFoundError
from foundry.queue.batching import Batch, BatchRepository
from foundry.queue.manager import QueueManager

__all__ = ["router"]

logger = logging.getLogger("foundry.dashboard")

router = APIRouter(prefix="/api", include_in_schema=False)

_NO_STORE = {"Cache-Control": "no-store"}
#: Page numbers from 1; the bound keeps the offset a number every database takes.
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]


def _service(
    manager: QueueManager, repository: BatchRepository, settings: DashboardSettings
) -> DashboardBatches:
    return DashboardBatches(manager, repository, page_size=settings.page_size)


def _json(data: Any, meta: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"data": data}
    if meta is not None:
        body["meta"] = meta
    return JSONResponse(body, headers=_NO_STORE)


async def _batch(service: DashboardBatches, batch_id: str) -> Batch:
    found = await service.find(batch_id)
    if found is None:
        raise NotFoundError(f"No batch matches the given ID [{batch_id[:64]}].")
    return found


@router.get("/batches", name="queue-dashboard.api.batches")
async def batches(
    _: ApiViewer,
    manager: Inject[QueueManager],
    repository: Inject[BatchRepository],
    settings: DashboardSettings,
    page: PageNumber = 1,
) -> JSONResponse:
    """The batches, newest first, ``QUEUE_DASHBOARD_PAGE_SIZE`` a page."""
    found = await _service(manager, repository, settings).page(page)
    return _json(
        [batch_json(batch) for batch in found.batches],
        {
            "total": found.total,
            "page": found.page,
            "per_page": found.per_page,
            "pages": found.pages,
        },
    )


@router.get("/batches/{batch_id}", name="queue-dashboard.api.batches.show")
async def batch(
    batch_id: str,
    _: ApiViewer,
    manager: Inject[QueueManager],
    repository: Inject[BatchRepository],
    settings: DashboardSettings,
) -> JSONResponse:
    """One batch: its counters and options, its failed jobs and its waiting or running jobs."""
    service = _service(manager, repository, settings)
    found = await _batch(service, batch_id)
    failed, elsewhere = await service.failed_jobs(found)
    pending, pending_note = await service.pending_jobs(found)
    # A retried job stays among the failed ids until it succeeds: waiting again, not lost.
    waiting = {row.uuid for row in pending or []}
    return _json(
        {
            **batch_json(found),
            "connection": service.connection_name(found),
            "failed": [row.as_json() for row in failed],
            "failed_retrying": [job_id for job_id in elsewhere if job_id in waiting],
            "failed_missing": [job_id for job_id in elsewhere if job_id not in waiting],
            "pending": None if pending is None else [row.as_json() for row in pending],
            "pending_note": pending_note,
        },
        {"limit": settings.page_size},
    )


@router.post("/batches/{batch_id}/retry", name="queue-dashboard.api.batches.retry")
async def retry(
    batch_id: str,
    user: ApiActor,
    manager: Inject[QueueManager],
    repository: Inject[BatchRepository],
    settings: DashboardSettings,
) -> JSONResponse:
    """Put the batch's failed jobs back on their queues, as ``queue:retry-batch`` does."""
    service = _service(manager, repository, settings)
    found = await _batch(service, batch_id)
    if not found.failed_job_ids:
        raise ConflictError("The given batch does not contain any failed jobs.")
    outcome = await service.retry(found)
    logger.info(
        "queue dashboard: user %s retried batch %s: jobs %s (problems %s)",
        user.id,
        found.id,
        outcome.retried,
        outcome.problems,
    )
    await log_queue_action(
        "batch_retried",
        f"Batch {found.id} retried",
        {"batch_id": found.id, "retried": outcome.retried},
        causer=user,
    )
    return _json({"retried": outcome.retried, "problems": outcome.problems})


@router.post("/batches/{batch_id}/cancel", name="queue-dashboard.api.batches.cancel")
async def cancel(
    batch_id: str,
    user: ApiActor,
    manager: Inject[QueueManager],
    repository: Inject[BatchRepository],
    settings: DashboardSettings,
) -> JSONResponse:
    """Cancel the batch (``Batch.cancel()``); cancelling it again changes nothing."""
    found = await _batch(_service(manager, repository, settings), batch_id)
    if found.finished() and not found.cancelled():
        raise ConflictError("The batch has finished: there is nothing left to cancel.")
    await found.cancel()
    logger.info("queue dashboard: user %s cancelled batch %s", user.id, found.id)
    await log_queue_action(
        "batch_cancelled", f"Batch {found.id} cancelled", {"batch_id": found.id}, causer=user
    )
    return _json(batch_json(await found.fresh()))

"""``GET {dashboard}/api/jobs/completed?queue=&page=``: recently completed jobs, newest first.

Each row is a job's name, connection, queue, runtime (ms), attempts and when it finished
(:mod:`foundry.queue.completed`); ``meta.has_more`` says whether a next page exists (no total
is counted: a million rows would make every poll slow).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from foundry.dashboard.guard import ApiViewer, DashboardSettings
from foundry.http.controllers.health import uses_redis
from foundry.http.dependencies import Inject
from foundry.kernel.application import Application
from foundry.queue.completed import CompletedJobs

__all__ = ["router"]

router = APIRouter(prefix="/api", include_in_schema=False)

#: The deepest page served: beyond it, the retention window is better narrowed by queue.
MAX_PAGE = 1000


@router.get("/jobs/completed", name="queue-dashboard.api.completed")
async def completed(
    _: ApiViewer,
    app: Inject[Application],
    completed_jobs: Inject[CompletedJobs],
    settings: DashboardSettings,
    queue: Annotated[str, Query(max_length=255)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> JSONResponse:
    """Completed jobs of the retention window (``queue``: exact name), a page at a time."""
    found = await completed_jobs.recent(
        queue.strip() or None, page, settings.page_size, redis=uses_redis(app.config)
    )
    meta = found.meta() | {"retention_minutes": completed_jobs.retention / 60}
    return JSONResponse(
        {"data": [job.as_json() for job in found.jobs], "meta": meta},
        headers={"Cache-Control": "no-store"},
    )

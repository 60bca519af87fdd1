"""The Overview, Metrics and Workers pages' JSON endpoints (read-only, polled)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from foundry.dashboard.guard import ApiViewer
from foundry.dashboard.monitoring import metrics_json, overview_json, workers_json
from foundry.http.dependencies import Inject
from foundry.queue.metrics import MetricsDisabledError, QueueMetrics

__all__ = ["router"]

router = APIRouter(prefix="/api", include_in_schema=False)

_NO_STORE = {"Cache-Control": "no-store"}
RangeName = Annotated[Literal["1h", "6h", "24h", "7d"], Query(alias="range")]
SeriesBy = Annotated[Literal["queue", "job"], Query()]
SeriesKey = Annotated[str, Query(max_length=255)]


async def _json(read: Awaitable[Any]) -> JSONResponse:
    """``{"data": ...}``; ``{"data": null, "meta": {"metrics": "off"}}`` when
    ``QUEUE_METRICS_STORE=off`` (the page says so)."""
    try:
        data = await read
    except MetricsDisabledError:
        return JSONResponse({"data": None, "meta": {"metrics": "off"}}, headers=_NO_STORE)
    return JSONResponse({"data": data, "meta": {"metrics": "on"}}, headers=_NO_STORE)


@router.get("/overview", name="queue-dashboard.api.overview")
async def overview(_: ApiViewer, metrics: Inject[QueueMetrics]) -> JSONResponse:
    """Headline numbers, live workers, and per queue its sizes, throughput, runtime, status."""
    return await _json(overview_json(metrics))


@router.get("/metrics", name="queue-dashboard.api.metrics")
async def chart_data(
    _: ApiViewer,
    metrics: Inject[QueueMetrics],
    range_name: RangeName = "1h",
    by: SeriesBy = "queue",
    key: SeriesKey = "",
) -> JSONResponse:
    """Throughput and runtime over time per queue or job class."""
    return await _json(metrics_json(metrics, range_name, by, key))


@router.get("/workers", name="queue-dashboard.api.workers")
async def workers(_: ApiViewer, metrics: Inject[QueueMetrics]) -> JSONResponse:
    """Registered workers, live first, then the recently gone."""
    return await _json(workers_json(metrics))

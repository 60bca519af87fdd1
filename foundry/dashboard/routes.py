"""Mounting the dashboard: ``queue_dashboard(kernel)`` in a route file serves it at
``QUEUE_DASHBOARD_PATH`` (``/queue``) unless ``QUEUE_DASHBOARD_ENABLED=false``."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from foundry.config.queue_dashboard import QueueDashboardSettings
from foundry.dashboard import (
    api,
    batch_pages,
    batches_api,
    completed_api,
    monitoring_api,
    monitoring_pages,
    pages,
    queues_api,
)
from foundry.dashboard.assets import asset
from foundry.dashboard.headers import ASSET_CACHE
from foundry.http.kernel import HttpKernel

__all__ = ["queue_dashboard"]

_assets = APIRouter(include_in_schema=False)


@_assets.get("/assets/{name}", name="queue-dashboard.asset")
async def serve_asset(name: str, request: Request) -> Response:
    """A static file; cached for a year when asked for with its current hash."""
    found = asset(name)
    if found is None:
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    current = request.query_params.get("v") == found.version
    headers = {
        "Cache-Control": ASSET_CACHE if current else "no-cache",
        "ETag": f'"{found.version}"',
    }
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


def queue_dashboard(kernel: HttpKernel) -> None:
    """Serve the queue dashboard's pages, JSON endpoints and assets (``web`` group)."""
    settings = kernel.application.config.settings(QueueDashboardSettings)
    if not settings.enabled:
        return
    for router in (
        _assets,
        api.router,
        completed_api.router,
        batches_api.router,
        monitoring_api.router,
        monitoring_pages.router,
        pages.router,
        batch_pages.router,
    ):
        kernel.include(router, group="web", prefix=settings.path)
    kernel.include(queues_api.router, group="web", prefix=settings.path)

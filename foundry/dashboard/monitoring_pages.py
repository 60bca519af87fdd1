"""The Overview (the dashboard's home), Metrics and Workers pages: shells their script fills."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from foundry.dashboard.guard import Access, DashboardSettings
from foundry.dashboard.pages import dashboard_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("", name="queue-dashboard.home")
async def home(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """The overview: headline numbers, workers and every queue's state."""
    return dashboard_page(
        request, access, settings, "monitoring.html.j2", "Overview", view="overview"
    )


@router.get("/metrics", name="queue-dashboard.metrics")
async def metrics(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """Charts of throughput and runtime per queue and per job class."""
    return dashboard_page(
        request, access, settings, "monitoring.html.j2", "Metrics", view="metrics"
    )


@router.get("/workers", name="queue-dashboard.workers")
async def workers(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """Live workers and those gone recently."""
    return dashboard_page(
        request, access, settings, "monitoring.html.j2", "Workers", view="workers"
    )

"""The Batches pages: the list and one batch, shells the page's script fills and refreshes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from foundry.dashboard.guard import Access, DashboardSettings
from foundry.dashboard.pages import dashboard_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/batches", name="queue-dashboard.batches")
async def batches(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """The batches, newest first, with their progress."""
    return dashboard_page(
        request, access, settings, "batches.html.j2", "Batches", view="batches", key=""
    )


@router.get("/batches/{batch_id}", name="queue-dashboard.batches.show")
async def batch(
    batch_id: str, request: Request, access: Access, settings: DashboardSettings
) -> Response:
    """One batch: counters, options, its failed and pending jobs, retry and cancel."""
    return dashboard_page(
        request, access, settings, "batches.html.j2", "Batch", view="batch", key=batch_id[:64]
    )

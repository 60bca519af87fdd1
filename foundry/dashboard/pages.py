"""The dashboard's HTML pages: a shell the page's script fills from the JSON endpoints.

A visitor without a session is sent to the sign-in page of the OAuth2 pages and brought back;
a signed-in user the gate refuses gets a 403 page that says why.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from foundry.config.queue_dashboard import QueueDashboardSettings
from foundry.dashboard.access import PERMISSION, DashboardAccess
from foundry.dashboard.guard import Access, DashboardSettings
from foundry.dashboard.headers import PAGE_HEADERS
from foundry.dashboard.views import render

__all__ = ["dashboard_page", "router"]

router = APIRouter(include_in_schema=False)

#: The login page of the browser session (the OAuth2 pages').
LOGIN_PATH = "/oauth/login"


def _redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=302, headers=PAGE_HEADERS)


def dashboard_page(
    request: Request,
    access: DashboardAccess,
    settings: QueueDashboardSettings,
    template: str,
    title: str,
    **page: Any,
) -> Response:
    """A page of the dashboard for whoever asks: the sign-in page for a guest, the 403 page for
    someone the gate refuses, else ``template`` with the shell's context and ``page``."""
    if access.outcome == "guest":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return _redirect(f"{LOGIN_PATH}?{urlencode({'next': target})}")
    context: dict[str, Any] = {
        "base": settings.path,
        "user_name": getattr(access.user, "name", "") or "",
        "title": title,
    }
    if access.outcome == "forbidden":
        return render("forbidden.html.j2", {**context, "permission": PERMISSION}, status=403)
    assert access.browser is not None
    return render(
        template,
        {
            **context,
            **page,
            "csrf_token": access.browser.csrf,
            "poll_ms": settings.poll_interval_ms,
        },
    )


def _page(
    request: Request,
    access: DashboardAccess,
    settings: QueueDashboardSettings,
    view: str,
    title: str,
    key: str = "",
) -> Response:
    return dashboard_page(request, access, settings, "jobs.html.j2", title, view=view, key=key)


@router.get("/jobs", name="queue-dashboard.jobs")
async def jobs(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """``/jobs`` opens the pending jobs."""
    if access.outcome != "allowed":
        return _page(request, access, settings, "pending", "Pending jobs")
    return _redirect(f"{settings.path}/jobs/pending")


@router.get("/jobs/pending", name="queue-dashboard.jobs.pending")
async def pending(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """Jobs that wait, run or are delayed, per connection and queue."""
    return _page(request, access, settings, "pending", "Pending jobs")


@router.get("/jobs/completed", name="queue-dashboard.jobs.completed")
async def completed(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """Recently completed jobs (``QUEUE_COMPLETED_RETENTION_MINUTES``), newest first."""
    return _page(request, access, settings, "completed", "Completed jobs")


@router.get("/jobs/failed", name="queue-dashboard.jobs.failed")
async def failed(request: Request, access: Access, settings: DashboardSettings) -> Response:
    """Failed jobs, with retry and forget."""
    return _page(request, access, settings, "failed", "Failed jobs")


@router.get("/jobs/failed/{key}", name="queue-dashboard.jobs.failed.show")
async def failed_job(
    key: str, request: Request, access: Access, settings: DashboardSettings
) -> Response:
    """One failed job: payload, attempts, exception and trace."""
    return _page(request, access, settings, "failed-job", "Failed job", key[:64])


@router.get("/jobs/pending/{key}", name="queue-dashboard.jobs.pending.show")
async def pending_job(
    key: str, request: Request, access: Access, settings: DashboardSettings
) -> Response:
    """One waiting or running job: its payload."""
    return _page(request, access, settings, "pending-job", "Job", key[:64])

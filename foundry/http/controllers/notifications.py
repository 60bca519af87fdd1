"""``/api/v1/notifications``: the signed-in user's stored notifications (the ``database``
channel's rows). Another user's notification id answers 404, as a missing one does."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse, Response

from foundry.http.auth import CurrentUser
from foundry.http.dependencies import Inject
from foundry.http.openapi import responds_with
from foundry.http.resources import PageParams, page_params, paginate
from foundry.http.resources.notification import NotificationResource
from foundry.kernel.errors import NotFoundError
from foundry.notifications.inbox import NotificationInbox

__all__ = ["router"]

router = APIRouter(prefix="/notifications", tags=["notifications"])

Pages = Annotated[PageParams, Depends(page_params())]


@router.get("", response_model=None, responses=responds_with(NotificationResource, paging="page"))
async def index(
    request: Request,
    user: CurrentUser,
    inbox: Inject[NotificationInbox],
    session: Inject[AsyncSession],
    pages: Pages,
    unread: Annotated[bool, Query(description="Only unread notifications")] = False,
) -> JSONResponse:
    """The user's notifications, newest first, a page at a time (``?unread=1``: unread only)."""
    page = await paginate(session, inbox.query(user, unread=unread), **pages.as_kwargs())
    return NotificationResource.collection(page).to_response(request)


@router.post("/read-all")
async def read_all(user: CurrentUser, inbox: Inject[NotificationInbox]) -> dict[str, Any]:
    """Mark every unread notification read; ``{"marked": n}``."""
    return {"marked": await inbox.mark_all_as_read(user)}


@router.post("/{notification_id}/read", response_model=None)
async def read(
    notification_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    inbox: Inject[NotificationInbox],
) -> JSONResponse:
    """Mark one notification read; the notification."""
    found = await inbox.mark_as_read(user, notification_id)
    if found is None:
        raise NotFoundError()
    return NotificationResource(found).to_response(request)


@router.delete("/{notification_id}", status_code=204, response_model=None)
async def destroy(
    notification_id: uuid.UUID, user: CurrentUser, inbox: Inject[NotificationInbox]
) -> Response:
    """Delete one notification."""
    if not await inbox.delete(user, notification_id):
        raise NotFoundError()
    return Response(status_code=204)

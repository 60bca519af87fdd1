"""``NotificationResource``: a stored notification as the notifications API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request

from foundry.http.resources.json_resource import JsonResource
from foundry.notifications.models import DatabaseNotification

__all__ = ["NotificationData", "NotificationResource"]


class NotificationData(BaseModel):
    """The documented shape of :class:`NotificationResource`."""

    id: uuid.UUID
    type: str
    data: dict[str, Any]
    read_at: datetime | None
    created_at: datetime


class NotificationResource(JsonResource[DatabaseNotification]):
    """``{"id", "type", "data", "read_at", "created_at"}``."""

    schema = NotificationData

    def to_dict(self, request: Request) -> dict[str, Any]:
        notification = self.resource
        return {
            "id": str(notification.id),
            "type": notification.type,
            "data": notification.data,
            "read_at": notification.read_at,
            "created_at": notification.created_at,
        }

"""How an activity log entry looks in JSON."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request

from foundry.activity import Activity
from foundry.http.resources.json_resource import JsonResource

__all__ = ["ActivityData", "ActivityResource"]


class ActivityData(BaseModel):
    """An activity log entry."""

    model_config = ConfigDict(title="Activity")

    id: int
    log_name: str
    description: str
    event: str | None
    subject_type: str | None
    subject_id: str | None
    causer_type: str | None
    causer_id: str | None
    properties: dict[str, Any]
    batch_uuid: uuid.UUID | None
    created_at: datetime


class ActivityResource(JsonResource[Activity]):
    """Every column of the entry."""

    schema = ActivityData

    def to_dict(self, request: Request) -> dict[str, Any]:
        entry = self.resource
        return {
            "id": entry.id,
            "log_name": entry.log_name,
            "description": entry.description,
            "event": entry.event,
            "subject_type": entry.subject_type,
            "subject_id": entry.subject_id,
            "causer_type": entry.causer_type,
            "causer_id": entry.causer_id,
            "properties": entry.properties,
            "batch_uuid": entry.batch_uuid,
            "created_at": entry.created_at,
        }

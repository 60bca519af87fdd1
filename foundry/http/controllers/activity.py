"""``GET /api/v1/activity``: the activity log for administrators, filtered from the URL.

::

    GET /api/v1/activity?filter[log]=auth&filter[causer]=users:5&filter[since]=2026-12-01
        &sort=-created_at&page=2&per_page=50

Filters: ``log`` and ``event`` (exact; comma lists mean any of), ``causer`` and ``subject``
(``type:id``, such as ``users:5``), ``batch`` (a batch uuid), ``since`` and ``until`` (ISO 8601
dates or times, UTC unless they say otherwise). Sorts: ``created_at``, ``id`` (default newest
first). Anything else is a 400 naming what is allowed. Needs the ``activity.view`` permission
(and the ``admin`` scope on a token that is not a first-party login).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse

from foundry.activity import Activity
from foundry.http.dependencies import Inject
from foundry.http.openapi import query_parameters, responds_with
from foundry.http.permissions import require_permission
from foundry.http.query_builder import AllowedFilter, QueryBuilder
from foundry.http.resources.activity import ActivityResource
from foundry.http.scopes import require_scopes
from foundry.kernel.errors import BadRequestError

__all__ = ["FILTERS", "SORTS", "VIEW_ACTIVITY", "router"]

#: The permission that lets a user read the activity log.
VIEW_ACTIVITY = "activity.view"

router = APIRouter(tags=["activity log"])


def _morph(name: str, value: str) -> tuple[str, str]:
    kind, sep, key = value.partition(":")
    if not sep or not kind.strip() or not key.strip() or len(kind) > 100 or len(key) > 64:
        raise BadRequestError(f"Filter `{name}` expects `type:id` (such as `users:5`).")
    return kind.strip(), key.strip()


def _causer(statement: Select[Any], value: str, model: type[Any]) -> Select[Any]:
    return Activity.caused_by(_morph("causer", value), stmt=statement)


def _subject(statement: Select[Any], value: str, model: type[Any]) -> Select[Any]:
    return Activity.for_subject(_morph("subject", value), stmt=statement)


def _moment(name: str, value: str, *, end: bool) -> datetime:
    try:
        if "T" in value or " " in value.strip():
            moment = datetime.fromisoformat(value.strip())
        else:
            day = date.fromisoformat(value.strip())
            # A bare date covers that whole day: ``until=2026-12-01`` includes its evening.
            moment = datetime.combine(day, time.max if end else time.min)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        # Converted here, not by the column type when the query runs: a moment at the edge of
        # the calendar with an offset (0001-01-01T00:00+14:00) has no UTC equivalent, and the
        # OverflowError must be the client's 400 rather than a 500 from the database layer.
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadRequestError(
            f"Filter `{name}` expects an ISO 8601 date or time, not `{value[:40]}`."
        ) from None


def _since(statement: Select[Any], value: str, model: type[Any]) -> Select[Any]:
    return statement.where(Activity.created_at >= _moment("since", value, end=False))


def _until(statement: Select[Any], value: str, model: type[Any]) -> Select[Any]:
    return statement.where(Activity.created_at <= _moment("until", value, end=True))


FILTERS = [
    AllowedFilter.exact("log", "log_name"),
    AllowedFilter.exact("event"),
    AllowedFilter.exact("batch", "batch_uuid"),
    AllowedFilter.callback("causer", _causer),
    AllowedFilter.callback("subject", _subject),
    AllowedFilter.callback("since", _since),
    AllowedFilter.callback("until", _until),
]
SORTS = ["created_at", "id"]


@router.get(
    "/activity",
    name="activity.index",
    response_model=None,
    dependencies=[Depends(require_permission(VIEW_ACTIVITY)), Depends(require_scopes("admin"))],
    responses=responds_with(ActivityResource, paging="page"),
    openapi_extra=query_parameters(filters=FILTERS, sorts=SORTS),
)
async def index(request: Request, session: Inject[AsyncSession]) -> JSONResponse:
    """The entries, newest first, a page at a time (``{"data", "links", "meta"}``)."""
    page = await (
        QueryBuilder.for_model(Activity, session, request)
        .allowed_filters(FILTERS)
        .allowed_sorts(SORTS)
        .default_sort("-created_at", "-id")
        .paginate()
    )
    return ActivityResource.collection(page).to_response(request)

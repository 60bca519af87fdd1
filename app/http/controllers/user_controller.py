"""``GET /api/v1/users``: the user listing, filtered, sorted and paginated from the URL.

::

    GET /api/v1/users?filter[name]=ada&filter[verified]=false&sort=-created_at&page=2

Filters: ``name`` and ``email`` (case-insensitive contains), ``verified`` (``true``/``false``,
through :meth:`User.scope_verified`). Sorts: ``name``, ``created_at`` (default
``-created_at``, newest first). Includes: ``roles`` (every team's). Anything else is a 400
naming what is allowed. Needs the ``users.view`` permission.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse

from app.http.resources.user_resource import UserResource
from app.models.user import User
from foundry.http.dependencies import Inject
from foundry.http.openapi import query_parameters, responds_with
from foundry.http.permissions import require_permission
from foundry.http.query_builder import AllowedFilter, QueryBuilder
from foundry.http.scopes import require_scopes
from foundry.kernel.errors import BadRequestError

__all__ = ["router"]

router = APIRouter(tags=["users"])

_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _verified(statement: Select[Any], value: str, model: type[Any]) -> Select[Any]:
    """``filter[verified]=true|false`` through ``User.scope_verified``; anything else is a 400
    rather than a silent "unverified"."""
    wanted = _BOOLEANS.get(value.strip().lower())
    if wanted is None:
        raise BadRequestError(f"Filter `verified` expects `true` or `false`, not `{value}`.")
    return User.scope_verified(wanted, stmt=statement)


FILTERS = [
    AllowedFilter.partial("name"),
    AllowedFilter.partial("email"),
    AllowedFilter.callback("verified", _verified),
]
SORTS = ["name", "created_at"]
INCLUDES = ["roles"]


@router.get(
    "/users",
    name="users.index",
    response_model=None,
    dependencies=[Depends(require_permission("users.view")), Depends(require_scopes("users:read"))],
    # The query builder runs inside the endpoint: the document is told what it allows.
    responses=responds_with(UserResource, paging="page"),
    openapi_extra=query_parameters(filters=FILTERS, sorts=SORTS, includes=INCLUDES),
)
async def index(request: Request, session: Inject[AsyncSession]) -> JSONResponse:
    """The users, a page at a time, as ``{"data": [...], "links": {...}, "meta": {...}}``."""
    page = await (
        QueryBuilder.for_model(User, session, request)
        .allowed_filters(FILTERS)
        .allowed_sorts(SORTS)
        .allowed_includes(INCLUDES)
        .default_sort("-created_at")
        .paginate()
    )
    return UserResource.collection(page).to_response(request)

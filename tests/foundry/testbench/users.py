"""``GET /api/v1/users``: a user listing, as an application writes one.

The framework's tests use it as an ordinary protected API route: it needs the ``users.view``
permission and, for OAuth2 tokens, the ``users:read`` scope.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse

from foundry.http.dependencies import Inject
from foundry.http.openapi import query_parameters, responds_with
from foundry.http.permissions import require_permission
from foundry.http.query_builder import AllowedFilter, QueryBuilder
from foundry.http.resources.user import UserResource
from foundry.http.scopes import require_scopes
from tests.foundry.testbench.models import User

__all__ = ["router"]

router = APIRouter(tags=["users"])

FILTERS = [AllowedFilter.partial("email")]
SORTS = ["name"]


@router.get(
    "/users",
    response_model=None,
    dependencies=[Depends(require_permission("users.view")), Depends(require_scopes("users:read"))],
    responses=responds_with(UserResource, paging="page"),
    openapi_extra=query_parameters(filters=FILTERS, sorts=SORTS),
)
async def index(request: Request, session: Inject[AsyncSession]) -> JSONResponse:
    """The users, a page at a time, as ``{"data": [...], "links": {...}, "meta": {...}}``."""
    page = await (
        QueryBuilder.for_model(User, session, request)
        .allowed_filters(FILTERS)
        .allowed_sorts(SORTS)
        .default_sort("id")
        .paginate()
    )
    return UserResource[User].collection(page).to_response(request)

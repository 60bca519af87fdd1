"""The query builder's parameters, for routes that build their query from the URL.

The query builder is set up inside the endpoint, where FastAPI cannot see it: the route
declares the same allowed filters, sorts, includes and fields for its document::

    FILTERS = [AllowedFilter.partial("name"), AllowedFilter.exact("email")]

    @router.get(
        "/users",
        response_model=None,
        openapi_extra=query_parameters(filters=FILTERS, sorts=["name"], includes=["roles"]),
    )
    async def index(request: Request, session: Inject[AsyncSession]) -> JSONResponse:
        page = await QueryBuilder.for_model(User, session, request).allowed_filters(FILTERS)...

Unknown names are a 400 (the query builder's answer), bad page numbers a 422; :mod:`statuses`
adds both to a route documented this way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from foundry.http.openapi.resources import Paging
from foundry.http.query_builder import AllowedFilter, AllowedSort
from foundry.http.resources.params import DEFAULT_MAX_PER_PAGE, DEFAULT_PER_PAGE

__all__ = ["QUERY_BUILDER_MARKER", "query_parameters"]

#: The key :func:`query_parameters` sets in ``openapi_extra``, so 400/422 get documented.
QUERY_BUILDER_MARKER = "x-query-builder"


def _names(items: Sequence[AllowedFilter | AllowedSort | str]) -> list[str]:
    return [item if isinstance(item, str) else item.name for item in items]


def _list_parameter(name: str, allowed: list[str], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "string", "enum": allowed}},
    }


def query_parameters(
    *,
    filters: Sequence[AllowedFilter | str] = (),
    sorts: Sequence[AllowedSort | str] = (),
    includes: Sequence[str] = (),
    fields: Mapping[str, Sequence[str]] | None = None,
    paging: Paging = "page",
    default_per_page: int = DEFAULT_PER_PAGE,
    max_per_page: int = DEFAULT_MAX_PER_PAGE,
) -> dict[str, Any]:
    """``openapi_extra`` documenting ``filter[...]``, ``sort``, ``include``, ``fields[...]``
    and the page parameters of a query-builder route."""
    parameters: list[dict[str, Any]] = [
        {
            "name": f"filter[{name}]",
            "in": "query",
            "required": False,
            "description": f"Filter by `{name}`.",
            "schema": {"type": "string"},
        }
        for name in _names(filters)
    ]
    sort_names = _names(sorts)
    if sort_names:
        allowed = [prefix + name for name in sort_names for prefix in ("", "-")]
        parameters.append(
            _list_parameter("sort", allowed, "Sort by these, comma-separated; `-` descending.")
        )
    if includes:
        parameters.append(
            _list_parameter("include", list(includes), "Relationships to include, comma-separated.")
        )
    for resource, names in (fields or {}).items():
        parameters.append(
            _list_parameter(f"fields[{resource}]", list(names), f"Only these `{resource}` fields.")
        )
    if paging == "page":
        parameters.append(_integer("page", "The page, from 1.", minimum=1))
    elif paging == "cursor":
        parameters.append(
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "The cursor of `links.next` or `links.prev`.",
                "schema": {"type": "string"},
            }
        )
    if paging is not None:
        parameters.append(
            _integer(
                "per_page",
                f"Items per page (default {default_per_page}).",
                minimum=1,
                maximum=max_per_page,
            )
        )
    return {"parameters": parameters, QUERY_BUILDER_MARKER: True}


def _integer(name: str, description: str, *, minimum: int, maximum: int | None = None) -> Any:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }

"""Response schemas of API resources: ``{"data": ...}``, and ``links``/``meta`` for pages.

::

    @router.get("/users", response_model=None, responses=responds_with(UserResource, page=True))
    async def index(...) -> JSONResponse: ...

The resource's ``schema`` class attribute (a pydantic model of its ``to_dict``) is the item;
a resource without one is documented as any object.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from foundry.http.resources.json_resource import JsonResource
from foundry.http.resources.schemas import CursorLinks, CursorMeta, PageLinks, PageMeta

__all__ = ["Paging", "resource_model", "responds_with"]

#: How a collection is paged: ``None`` (a plain list), ``"page"`` or ``"cursor"``.
Paging = Literal["page", "cursor"] | None

_models: dict[tuple[type[Any], bool, Paging], type[BaseModel]] = {}


def _item_type(resource: type[JsonResource[Any]]) -> Any:
    return resource.schema if resource.schema is not None else dict[str, Any]


def _name(resource: type[JsonResource[Any]]) -> str:
    schema = resource.schema
    if schema is not None:
        title = schema.model_config.get("title")
        return title if isinstance(title, str) else schema.__name__
    return resource.__name__.removesuffix("Resource") or resource.__name__


def resource_model(
    resource: type[JsonResource[Any]], *, many: bool = False, paging: Paging = None
) -> type[BaseModel]:
    """The pydantic model of the whole body: ``UserResponse``, ``UserCollection``,
    ``UserPage`` or ``UserCursorPage`` (one class per shape, reused)."""
    many = many or paging is not None
    key = (resource, many, paging)
    found = _models.get(key)
    if found is not None:
        return found
    item: Any = _item_type(resource)
    name = _name(resource)
    # ``list[item]`` spelled so mypy accepts a runtime type as the item.
    fields: dict[str, Any] = {"data": (list.__class_getitem__(item) if many else item, ...)}
    if paging == "page":
        fields.update(links=(PageLinks, ...), meta=(PageMeta, ...))
        suffix = "Page"
    elif paging == "cursor":
        fields.update(links=(CursorLinks, ...), meta=(CursorMeta, ...))
        suffix = "CursorPage"
    else:
        suffix = "Collection" if many else "Response"
    model: type[BaseModel] = create_model(
        name + suffix, __config__=ConfigDict(title=name + suffix), **fields
    )
    _models[key] = model
    return model


def responds_with(
    resource: type[JsonResource[Any]],
    *,
    status: int = 200,
    many: bool = False,
    paging: Paging = None,
    description: str = "Successful Response",
) -> dict[int | str, dict[str, Any]]:
    """FastAPI's ``responses=`` for a route returning ``resource`` (a collection with
    ``many``, a page with ``paging="page"`` or ``"cursor"``)."""
    model = resource_model(resource, many=many, paging=paging)
    return {status: {"model": model, "description": description}}

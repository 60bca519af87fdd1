"""``ResourceCollection[T]``: a list of resources, with Laravel's pagination shape when paged.

    UserResource.collection(users).to_response(request)
    # {"data": [{...}, ...]}

    UserResource.collection(await paginate(session, stmt, page=2, per_page=15))
    # {"data": [...], "links": {"first", "last", "prev", "next"},
    #  "meta": {"current_page", "from", "last_page", "path", "per_page", "to", "total"}}

``links`` are absolute URLs built from the request, keeping its other query parameters, so a
filtered listing pages through the same filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from starlette.requests import Request

from foundry.http.resources.base import Resource
from foundry.http.resources.cursor_pagination import CursorPaginator
from foundry.http.resources.pagination import LengthAwarePaginator

if TYPE_CHECKING:
    from foundry.http.resources.json_resource import JsonResource

__all__ = ["Pageable", "ResourceCollection"]

T = TypeVar("T")
Pageable = LengthAwarePaginator[T] | CursorPaginator[T]


class ResourceCollection(Resource, Generic[T]):
    """Many objects, each shaped by ``collects`` (a :class:`JsonResource` subclass).

    Subclass it to add collection-level extras with :meth:`with_`; build one with
    ``UserResource.collection(items)`` or ``ResourceCollection(UserResource, items)``.
    """

    def __init__(self, collects: type[JsonResource[T]], items: Iterable[T] | Pageable[T]) -> None:
        super().__init__()
        self.collects = collects
        self.paginator: Pageable[T] | None = None
        if isinstance(items, (LengthAwarePaginator, CursorPaginator)):
            self.paginator = items
            self.items: Sequence[T] = list(items.items)
        else:
            self.items = list(items)

    @property
    def resources(self) -> list[JsonResource[T]]:
        """One ``collects`` resource per item."""
        return [self.collects(item) for item in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def to_value(self, request: Request) -> list[Any]:
        """The items, each resolved by its resource (unwrapped)."""
        return [resource.to_value(request) for resource in self.resources]

    def pagination_information(self, request: Request) -> dict[str, Any]:
        """``links`` and ``meta`` of the paginator (empty for a plain list)."""
        if self.paginator is None:
            return {}
        return {
            "links": self.paginator.links(request.url),
            "meta": self.paginator.meta(request.url),
        }

    def extras(self, request: Request) -> dict[str, Any]:
        """Pagination first, then :meth:`with_` and :meth:`additional` (which may extend it)."""
        extras = self.pagination_information(request)
        for key, value in super().extras(request).items():
            if isinstance(value, dict) and isinstance(extras.get(key), dict):
                # Laravel merges a resource's own "meta"/"links" into the paginator's.
                extras[key] = {**extras[key], **value}
            else:
                extras[key] = value
        return extras

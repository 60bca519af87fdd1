"""API resources: the JSON shape of models, collections, and offset or cursor pagination.

See :class:`JsonResource`, :class:`ResourceCollection`, :func:`paginate` and
:func:`cursor_paginate`; :func:`page_params`/:func:`cursor_params` read the query string.
"""

from foundry.http.resources.base import Resource, serialize
from foundry.http.resources.collection import Pageable, ResourceCollection
from foundry.http.resources.cursor import Cursor, InvalidCursorError
from foundry.http.resources.cursor_pagination import CursorPaginator, OrderBy, cursor_paginate
from foundry.http.resources.json_resource import JsonResource
from foundry.http.resources.pagination import LengthAwarePaginator, check_page_size, paginate
from foundry.http.resources.params import CursorParams, PageParams, cursor_params, page_params
from foundry.http.resources.values import MISSING, Missing, value_of

__all__ = [
    "MISSING",
    "Cursor",
    "CursorPaginator",
    "CursorParams",
    "InvalidCursorError",
    "JsonResource",
    "LengthAwarePaginator",
    "Missing",
    "OrderBy",
    "PageParams",
    "Pageable",
    "Resource",
    "ResourceCollection",
    "check_page_size",
    "cursor_paginate",
    "cursor_params",
    "page_params",
    "paginate",
    "serialize",
    "value_of",
]

"""API resources: the JSON shape of models, collections, and offset or cursor pagination.

See :class:`JsonResource`, :class:`ResourceCollection`, :func:`paginate` and
:func:`cursor_paginate`; :func:`page_params`/:func:`cursor_params` read the query string.
"""

from app.http.resources.base import Resource, serialize
from app.http.resources.collection import Pageable, ResourceCollection
from app.http.resources.cursor import Cursor, InvalidCursorError
from app.http.resources.cursor_pagination import CursorPaginator, OrderBy, cursor_paginate
from app.http.resources.json_resource import JsonResource
from app.http.resources.pagination import LengthAwarePaginator, check_page_size, paginate
from app.http.resources.params import CursorParams, PageParams, cursor_params, page_params
from app.http.resources.values import MISSING, Missing, value_of

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

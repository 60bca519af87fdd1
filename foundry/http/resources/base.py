"""What every resource shares: wrapping, top-level extras, serialization and the response.

A resource turns application objects into the JSON a client sees. Subclasses decide the shape of
their ``data`` (:meth:`Resource.to_value`); this base puts it under the ``wrap`` key, merges
:meth:`Resource.with_` and :meth:`Resource.additional` at the top level, drops ``MISSING`` values
and resolves nested resources, then encodes dates, UUIDs and decimals as FastAPI would.

Encoding happens in the same walk: JSON's own types pass through as they are and datetimes
become ISO 8601 strings (as ``jsonable_encoder`` writes them); only other values are handed to
``jsonable_encoder``. A second walk of the finished body with it cost more than building it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Self

from fastapi.encoders import jsonable_encoder
from starlette.requests import Request
from starlette.responses import JSONResponse

from foundry.http.resources.values import Missing

__all__ = ["Resource", "serialize"]


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def serialize(value: Any, request: Request) -> Any:
    """``value`` as JSON-ready values: ``MISSING`` entries dropped, nested resources resolved
    (unwrapped), everything else encoded as FastAPI's ``jsonable_encoder`` would."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    if kind is datetime:
        return value.isoformat()
    if isinstance(value, Resource):
        return serialize(value.to_value(request), request)
    if isinstance(value, Mapping):
        return {
            _key(key): serialize(item, request)
            for key, item in value.items()
            if not isinstance(item, Missing) and not _sqlalchemy_state(key)
        }
    if isinstance(value, (list, tuple)):
        return [serialize(item, request) for item in value if not isinstance(item, Missing)]
    return jsonable_encoder(value)


def _key(key: Any) -> Any:
    return key if type(key) is str else jsonable_encoder(key)


def _sqlalchemy_state(key: Any) -> bool:
    # jsonable_encoder leaves out SQLAlchemy's instance state when handed a model's __dict__.
    return type(key) is str and key.startswith("_sa")


class Resource(ABC):
    """Base of :class:`JsonResource` and :class:`ResourceCollection`.

    Attributes:
        wrap: the key the data goes under (``"data"``, Laravel's default); ``None`` sends the
            data bare, unless there are top-level extras, which need a wrapper.
    """

    wrap: ClassVar[str | None] = "data"

    def __init__(self) -> None:
        self._additional: dict[str, Any] = {}

    @abstractmethod
    def to_value(self, request: Request) -> Any:
        """The data of this resource, before wrapping (``MISSING`` may still appear in it)."""

    def with_(self, request: Request) -> Mapping[str, Any]:
        """Top-level extras of this resource class (Laravel's ``with``); override to add some."""
        return {}

    def additional(self, data: Mapping[str, Any]) -> Self:
        """Add top-level keys to this one response: ``Resource(x).additional({"meta": ...})``."""
        self._additional.update(data)
        return self

    def extras(self, request: Request) -> dict[str, Any]:
        """Top-level keys besides the data: :meth:`with_`, then :meth:`additional`."""
        return {**self.with_(request), **self._additional}

    def resolve(self, request: Request) -> Any:
        """The whole response body as JSON-ready Python values."""
        data = serialize(self.to_value(request), request)
        extras = self.extras(request)
        wrapper = self.wrap
        if wrapper is None and extras:
            wrapper = "data"
        if wrapper is None:
            body: Any = data
        else:
            # Like Laravel: data that already has the wrapper key is not wrapped twice.
            already = isinstance(data, dict) and wrapper in data
            body = dict(data) if already else {wrapper: data}
            body.update(serialize(extras, request))
        return body

    def to_response(
        self,
        request: Request,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> JSONResponse:
        """This resource as a ``JSONResponse``: ``return UserResource(user).to_response(request)``."""
        return JSONResponse(self.resolve(request), status_code=status, headers=dict(headers or {}))

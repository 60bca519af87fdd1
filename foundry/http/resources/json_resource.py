"""``JsonResource[T]``: the JSON shape of one model, with Laravel's conditional attributes.

class ArticleResource(JsonResource[Article]):
    def to_dict(self, request: Request) -> dict[str, Any]:
        return {
            "id": self.resource.id,
            "title": self.resource.title,
            "author": self.when_loaded("author", lambda: UserResource(self.resource.author)),
            "secret": self.when(is_admin(request), lambda: self.resource.secret),
            **self.merge_when(self.resource.published, {"published_at": ...}),
        }

@router.get("/articles/{id}")
async def show(id: int, request: Request, session: Inject[AsyncSession]) -> JSONResponse:
    return ArticleResource(await load(session, id)).to_response(request)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.exc import NoInspectionAvailable
from starlette.requests import Request

from foundry.http.resources.base import Resource
from foundry.http.resources.values import MISSING, Missing, value_of

if TYPE_CHECKING:
    from foundry.http.resources.collection import Pageable, ResourceCollection

__all__ = ["JsonResource"]

T = TypeVar("T")
V = TypeVar("V")
D = TypeVar("D")


class JsonResource(Resource, Generic[T]):
    """Wraps one object (``self.resource``); subclasses override :meth:`to_dict`.

    The default :meth:`to_dict` publishes the object's own serialization; an API usually lists
    the fields it means to publish instead.

    Attributes:
        schema: a pydantic model of what :meth:`to_dict` returns, for the OpenAPI document
            (``None``: documented as any object).
    """

    schema: ClassVar[type[BaseModel] | None] = None

    def __init__(self, resource: T) -> None:
        super().__init__()
        self.resource = resource

    @classmethod
    def collection(
        cls: type[JsonResource[T]], items: Iterable[T] | Pageable[T]
    ) -> ResourceCollection[T]:
        """A :class:`ResourceCollection` of this resource over a list or a paginator."""
        from foundry.http.resources.collection import ResourceCollection

        return ResourceCollection(cls, items)

    def to_dict(self, request: Request) -> dict[str, Any]:
        """The resource's attributes; override it to choose the fields and their names.

        By default: the object's own ``to_dict()`` when it has one (a model's, which honours
        ``hidden``/``visible``), else its loaded columns, else its ``__dict__``.
        """
        own = getattr(self.resource, "to_dict", None)
        if callable(own):
            return dict(own())
        try:
            state = inspect(self.resource)
        except NoInspectionAvailable:
            return dict(vars(self.resource))
        # Columns only: related objects would need resources of their own to be serialized.
        loaded = state.dict
        return {c.key: loaded[c.key] for c in state.mapper.column_attrs if c.key in loaded}

    def to_value(self, request: Request) -> Any:
        """The data before wrapping: :meth:`to_dict`, or ``None`` for a missing resource."""
        if self.resource is None:
            return None
        return self.to_dict(request)

    @overload
    def when(self, condition: object, value: V | Callable[[], V]) -> V | Missing: ...

    @overload
    def when(self, condition: object, value: V | Callable[[], V], default: D) -> V | D: ...

    def when(self, condition: object, value: Any, default: Any = MISSING) -> Any:
        """``value`` (called if callable) when ``condition`` is true, else ``default``.

        Without a default the key is left out of the output.
        """
        if condition:
            return value_of(value)
        return value_of(default)

    @overload
    def when_not_null(self, value: V | None) -> V | Missing: ...

    @overload
    def when_not_null(self, value: V | None, default: D) -> V | D: ...

    def when_not_null(self, value: Any, default: Any = MISSING) -> Any:
        """``value`` unless it is ``None``; then ``default`` (the key is left out by default)."""
        return value if value is not None else value_of(default)

    def when_loaded(self, relation: str, value: Any = MISSING, default: Any = MISSING) -> Any:
        """The relationship ``relation`` (or ``value``) only if it is already loaded.

        Never triggers a load: it asks SQLAlchemy which attributes are unloaded instead of
        reading the attribute, so it is safe with ``lazy="raise"`` relationships and in async
        code, where a lazy load would fail.

        Args:
            relation: the relationship's attribute name on ``self.resource``.
            value: what to output when loaded (a zero-argument callable is called then);
                by default the related object(s) themselves.
            default: what to output when not loaded; by default the key is left out.
        """
        try:
            state = inspect(self.resource)
        except NoInspectionAvailable:
            loaded = hasattr(self.resource, relation)
        else:
            # What ``state.unloaded`` leaves out, without building that set of every attribute.
            loaded = relation in state.dict or relation in state.committed_state
        if not loaded:
            return value_of(default)
        if value is MISSING:
            return getattr(self.resource, relation)
        return value_of(value)

    def merge_when(
        self, condition: object, values: Mapping[str, Any] | Callable[[], Mapping[str, Any]]
    ) -> dict[str, Any]:
        """``values`` when ``condition`` is true, else nothing: spread it with ``**``."""
        return dict(value_of(values)) if condition else {}

    def merge(self, values: Mapping[str, Any] | Callable[[], Mapping[str, Any]]) -> dict[str, Any]:
        """``values`` as a dict to spread with ``**`` (Laravel's ``merge``)."""
        return dict(value_of(values))

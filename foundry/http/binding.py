"""Route-model binding (Laravel's implicit binding): a path parameter arrives as its model.

::

    @router.get("/posts/{post}")
    async def show(post: Bound[Post]) -> PostResource: ...

    @router.get("/users/{user}/posts/{post}")
    async def nested(
        user: Bound[User], post: Annotated[Post, bind(Post, scope_bindings="user")]
    ) -> PostResource: ...

The path parameter is named after the model (``Post`` -> ``{post}``, ``BlogPost`` ->
``{blog_post}``) unless :func:`bind` names another. An integer key is validated like
:data:`~foundry.http.ids.RecordId` (1 .. 2**31-1, else 422); a row that does not exist is a 404
in the usual JSON error shape. The model's global scopes apply, so a soft-deleted row is a 404
too, unless ``with_trashed=True``. ``scope_bindings="user"`` loads the child only through its
``user`` relationship: ``/users/1/posts/7`` is a 404 when post 7 belongs to another user.

The same binding declared twice in a route (by the endpoint and by an ``authorize_resource``
dependency) is one dependency to FastAPI, so the row is loaded once. Bound models are also kept
on the request, where :meth:`FormRequest.route` finds them (declare the bound parameter before the
form request, as FastAPI solves parameters in order).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

from fastapi import Depends, Path, params
from sqlalchemy import ColumnElement
from sqlalchemy import inspect as inspect_model
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import RelationshipDirection
from starlette.requests import Request

from foundry.database.scopes import without_global_scopes
from foundry.database.soft_deletes import SOFT_DELETES_SCOPE
from foundry.http.dependencies import container_for
from foundry.http.ids import RecordId
from foundry.kernel.errors import NotFoundError

__all__ = ["Bound", "bind", "bound_model", "route_parameter_name"]

M = TypeVar("M")

#: Where the request keeps the models bound so far, by path parameter name.
_BOUND = "foundry_bound_models"

Loader = Callable[..., Awaitable[Any]]
# One loader per binding, so FastAPI's per-request dependency cache loads each row once.
_loaders: dict[tuple[type[Any], str, bool, str | None], Loader] = {}


def route_parameter_name(model: type[Any]) -> str:
    """The path parameter a model binds to by default: ``BlogPost`` -> ``blog_post``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def bound_model(request: Request, parameter: str) -> Any | None:
    """The model bound to ``parameter`` in this request, or None."""
    bound: dict[str, Any] = request.scope.get(_BOUND, {})
    return bound.get(parameter)


def bind(
    model: type[Any],
    parameter: str | None = None,
    *,
    with_trashed: bool = False,
    scope_bindings: str | None = None,
) -> params.Depends:
    """The dependency loading ``model`` from the path parameter ``parameter``.

    Use it in ``Annotated[Post, bind(Post, ...)]`` when :data:`Bound` is not enough.

    Args:
        model: the mapped class to load.
        parameter: the path parameter (default: the model's name in snake case).
        with_trashed: find soft-deleted rows too.
        scope_bindings: the name of a many-to-one relationship of ``model`` whose key is the
            path parameter of that name (``"user"`` for ``/users/{user}/posts/{post}``); a row
            belonging to another parent is a 404.
    """
    name = parameter or route_parameter_name(model)
    key = (model, name, with_trashed, scope_bindings)
    loader = _loaders.get(key)
    if loader is None:
        loader = _loaders[key] = _make_loader(model, name, with_trashed, scope_bindings)
    found: params.Depends = Depends(loader)
    return found


def _key_type(model: type[Any]) -> Any:
    keys = inspect_model(model).primary_key
    if len(keys) != 1:
        raise TypeError(f"{model.__name__} has a composite primary key; bind it by hand.")
    python_type = keys[0].type.python_type
    return RecordId if python_type is int else Annotated[python_type, Path()]


def _scope_condition(model: type[Any], relation: str, parent_key: Any) -> ColumnElement[bool]:
    relationship = inspect_model(model).relationships.get(relation)
    if relationship is None or relationship.direction is not RelationshipDirection.MANYTOONE:
        raise TypeError(
            f"scope_bindings={relation!r}: {model.__name__} has no many-to-one relationship "
            f"named {relation!r} (add `{relation}: Mapped[...] = relationship()`)."
        )
    (local, _remote), *more = relationship.local_remote_pairs
    if more:
        raise TypeError(f"scope_bindings={relation!r}: a composite foreign key is not supported.")
    return cast(ColumnElement[bool], local == parent_key)


def _make_loader(
    model: type[Any], name: str, with_trashed: bool, scope_bindings: str | None
) -> Loader:
    (key_column,) = inspect_model(model).primary_key

    async def load(request: Request, **keys: Any) -> Any:
        stmt = select(model).where(key_column == keys[name])
        if scope_bindings is not None:
            stmt = stmt.where(_scope_condition(model, scope_bindings, keys[scope_bindings]))
        if with_trashed:
            stmt = without_global_scopes(stmt, SOFT_DELETES_SCOPE)
        found = await container_for(request).make(AsyncSession).scalar(stmt)
        if found is None:
            raise NotFoundError(f"{model.__name__} {keys[name]} not found.")
        request.scope.setdefault(_BOUND, {})[name] = found
        return found

    key_type = _key_type(model)
    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=key_type),
    ]
    if scope_bindings is not None:
        parameters.append(
            inspect.Parameter(scope_bindings, inspect.Parameter.KEYWORD_ONLY, annotation=RecordId)
        )
    # FastAPI reads the signature: the path parameter is validated and documented under its name.
    setattr(load, "__signature__", inspect.Signature(parameters))
    load.__name__ = load.__qualname__ = f"bind_{name}"
    return load


if TYPE_CHECKING:
    # To mypy, ``Bound[Post]`` is simply ``Post``.
    Bound = Annotated[M, "bound"]
else:

    class Bound:
        """``Bound[Post]`` -> ``Annotated[Post, bind(Post)]``: the ``{post}`` path parameter."""

        __slots__ = ()

        def __class_getitem__(cls, model: Any) -> Any:
            return Annotated[model, bind(model)]

"""``Inject[Service]``: controllers receive services from the request's container scope.

    @router.post("/login")
    async def login(form: LoginRequest, auth: Inject[AuthService]) -> TokenResource: ...

mypy sees ``Inject[AuthService]`` as ``AuthService``; FastAPI sees
``Annotated[AuthService, Depends(resolver)]``, where the resolver asks the request's container
scope for the service, so scoped services (the database session) are shared by everything that runs
for one request and are fresh for the next.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

from fastapi import Depends
from starlette.requests import HTTPConnection

from foundry.http.middleware.container_scope import container_of
from foundry.kernel.container import Container, current_container

__all__ = ["Inject", "container_for", "resolver"]

T = TypeVar("T")


def container_for(connection: HTTPConnection) -> Container:
    """The request's container scope (the current container if no scope middleware ran)."""
    return container_of(connection.scope) or current_container()


Resolver = Callable[[HTTPConnection], Awaitable[T]]
# One resolver per type, so FastAPI's per-request dependency cache treats repeated
# ``Inject[X]`` in one request as the same dependency. Keyed by type: bounded by the app's code.
_resolvers: dict[Any, Resolver[Any]] = {}


def resolver(service: type[T]) -> Resolver[T]:
    """The FastAPI dependency that resolves ``service`` from the request's container."""
    found = _resolvers.get(service)
    if found is None:
        found = _resolvers[service] = _make_resolver(service)
    return cast(Resolver[T], found)


def _make_resolver(service: type[T]) -> Resolver[T]:
    # async: a sync dependency would cost a thread-pool hop per request.
    async def resolve(connection: HTTPConnection) -> T:
        return container_for(connection).make(service)

    resolve.__name__ = f"inject_{getattr(service, '__name__', 'service')}"
    resolve.__qualname__ = resolve.__name__
    return resolve


if TYPE_CHECKING:
    # To mypy, ``Inject[X]`` is simply ``X`` (the metadata is ignored).
    Inject = Annotated[T, "inject"]
else:

    class Inject:
        """``Inject[Service]`` -> ``Annotated[Service, Depends(resolver(Service))]``."""

        __slots__ = ()

        def __class_getitem__(cls, service: Any) -> Any:
            return Annotated[service, Depends(resolver(service))]

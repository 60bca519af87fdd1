"""Authorization in controllers, Laravel's way: ``authorize("update", post)`` and
``authorize_resource(Post)``.

::

    @router.patch("/posts/{post}")
    async def update(post: Bound[Post], user: AuthorizedUser, ...) -> ...:
        authorize("update", post)                   # 403 in the JSON error shape when denied

``authorize_resource(Post)`` maps the five REST actions to the policy's methods (Laravel's
``authorizeResource``), as route dependencies that authenticate first (401 for a guest)::

    index -> view_any(user)        store  -> create(user)
    show  -> view(user, post)      update -> update(user, post)     destroy -> delete(user, post)

:func:`~foundry.http.resource_routes.api_resource` applies them with ``authorize=Post``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Annotated, Any

from fastapi import Depends, params

from foundry.auth.user import AuthUser
from foundry.http.binding import bind
from foundry.http.guards import REQUIRES, mark
from foundry.http.permissions import authorized_user
from foundry.permissions import Gate, authorize

__all__ = ["RESOURCE_ABILITIES", "authorize", "authorize_resource"]

#: The policy method each REST action of a resource asks for.
RESOURCE_ABILITIES: Mapping[str, str] = MappingProxyType(
    {
        "index": "view_any",
        "store": "create",
        "show": "view",
        "update": "update",
        "destroy": "delete",
    }
)
#: The actions whose policy method receives the bound model rather than its class.
_ON_INSTANCE = frozenset({"show", "update", "destroy"})


def _class_check(ability: str, model: type[Any]) -> Callable[..., Any]:
    async def check(user: Annotated[AuthUser, Depends(authorized_user)]) -> None:
        Gate.authorize(ability, model, user=user)

    check.__name__ = check.__qualname__ = f"authorize_{ability}_{model.__name__}"
    mark(check, REQUIRES, f"policy:{ability} {model.__name__}")
    return check


def _instance_check(ability: str, model: type[Any], binding: params.Depends) -> Callable[..., Any]:
    # A default, not ``Annotated[Any, binding]``: postponed annotations cannot see ``binding``.
    async def check(
        user: Annotated[AuthUser, Depends(authorized_user)], instance: Any = binding
    ) -> None:
        Gate.authorize(ability, instance, user=user)

    check.__name__ = check.__qualname__ = f"authorize_{ability}_{model.__name__}"
    mark(check, REQUIRES, f"policy:{ability} {model.__name__}")
    return check


def authorize_resource(
    model: type[Any],
    parameter: str | None = None,
    *,
    with_trashed: bool = False,
    scope_bindings: str | None = None,
) -> dict[str, params.Depends]:
    """The dependency checking each REST action of ``model`` through its policy, by action.

    ``parameter``, ``with_trashed`` and ``scope_bindings`` are :func:`bind`'s: declare the
    endpoint's own bound parameter the same way and the row is loaded once.
    """
    binding = bind(model, parameter, with_trashed=with_trashed, scope_bindings=scope_bindings)
    checks: dict[str, params.Depends] = {}
    for action, ability in RESOURCE_ABILITIES.items():
        check = (
            _instance_check(ability, model, binding)
            if action in _ON_INSTANCE
            else _class_check(ability, model)
        )
        checks[action] = Depends(check)
    return checks

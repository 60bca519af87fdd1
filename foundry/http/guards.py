"""Which routes check permissions, and which say what tokens they accept.

A route that checks a role or permission (``require_permission`` ...) must also state the token
kinds and scopes it accepts (``require_scopes`` / ``require_any_scope``, or ``FirstPartyUser``):
otherwise any token of an admin (a personal access token made for a script, or a third-party
client's ``profile`` token) could use the admin's powers. The dependencies mark themselves;
:func:`routes_without_token_rules` lists the routes that break the rule, for a test::

    assert routes_without_token_rules(create_app()) == []

Dependencies also say what they require, for ``artisan route:list``: a guard marks itself
:data:`AUTHENTICATES` with the kind of caller it admits (``user``, ``first-party``,
``optional``, ``token``), a check marks :data:`REQUIRES` with what it asks
(``permission:users.view``, ``scope:profile``, ``policy:update Post``);
:func:`route_requirements` reads both from a route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

__all__ = [
    "AUTHENTICATES",
    "CHECKS_PERMISSIONS",
    "REQUIRES",
    "STATES_TOKENS",
    "RouteRequirements",
    "route_requirements",
    "routes_without_token_rules",
]

#: Set on a dependency that checks roles or permissions.
CHECKS_PERMISSIONS = "__foundry_checks_permissions__"
#: Set on a dependency that limits the tokens (kinds or scopes) a route accepts.
STATES_TOKENS = "__foundry_states_tokens__"
#: Set on a guard dependency: the caller it admits (``user``, ``first-party``, ``optional``...).
AUTHENTICATES = "__foundry_authenticates__"
#: Set on a check dependency: what it requires (``permission:users.view|users.all``).
REQUIRES = "__foundry_requires__"

# The strictest guard of a route names its auth; "optional" only when nothing stricter is there.
_AUTH_ORDER = ("first-party", "user", "token", "optional")


def mark(dependency: Callable[..., Any], marker: str, value: Any = True) -> None:
    """Mark ``dependency`` as one that checks permissions or states token rules (``value``:
    what it admits or requires, for :data:`AUTHENTICATES` and :data:`REQUIRES`)."""
    setattr(dependency, marker, value)


@dataclass(frozen=True, slots=True)
class RouteRequirements:
    """What a route asks of its caller: ``auth`` (empty for a public route) and checks."""

    auth: str
    requires: tuple[str, ...]


def route_requirements(dependant: Dependant) -> RouteRequirements:
    """The guard and the checks among ``dependant``'s dependencies, at any depth."""
    calls = list(_calls(dependant))
    admits = {getattr(call, AUTHENTICATES, None) for call in calls}
    auth = next((kind for kind in _AUTH_ORDER if kind in admits), "")
    requires: list[str] = []
    for call in calls:
        need = getattr(call, REQUIRES, None)
        if isinstance(need, str) and need not in requires:
            requires.append(need)
    if auth in ("", "optional", "token") and any(not r.startswith("scope:") for r in requires):
        auth = "user"  # a role, permission or policy check needs a user (guests get a 403)
    return RouteRequirements(auth, tuple(requires))


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def routes_without_token_rules(app: FastAPI) -> list[str]:
    """``"METHOD /path"`` of every route that checks permissions but accepts any token."""
    found: list[str] = []
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        if not isinstance(dependant, Dependant):
            continue  # not an API route (a mount, a plain Starlette route)
        calls = list(_calls(dependant))
        checks = any(getattr(call, CHECKS_PERMISSIONS, False) for call in calls)
        states = any(getattr(call, STATES_TOKENS, False) for call in calls)
        if checks and not states:
            found.extend(f"{method} {context.path}" for method in sorted(context.methods or ()))
    return found

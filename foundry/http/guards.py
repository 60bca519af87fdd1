"""Which routes check permissions, and which say what tokens they accept.

A route that checks a role or permission (``require_permission`` ...) must also state the token
kinds and scopes it accepts (``require_scopes`` / ``require_any_scope``, or ``FirstPartyUser``):
otherwise any token of an admin (a personal access token made for a script, or a third-party
client's ``profile`` token) could use the admin's powers. The dependencies mark themselves;
:func:`routes_without_token_rules` lists the routes that break the rule, for a test::

    assert routes_without_token_rules(create_app()) == []
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

__all__ = ["CHECKS_PERMISSIONS", "STATES_TOKENS", "routes_without_token_rules"]

#: Set on a dependency that checks roles or permissions.
CHECKS_PERMISSIONS = "__foundry_checks_permissions__"
#: Set on a dependency that limits the tokens (kinds or scopes) a route accepts.
STATES_TOKENS = "__foundry_states_tokens__"


def mark(dependency: Callable[..., Any], marker: str) -> None:
    """Mark ``dependency`` as one that checks permissions or states token rules."""
    setattr(dependency, marker, True)


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

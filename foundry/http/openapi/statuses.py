"""The error statuses a route can answer with, read from what it depends on.

Nothing is a blanket list: a status is documented because a dependency of the route raises it.

* a guard or anything reading the bearer token (``Authenticated``) -> 401;
* a permission, role, scope or policy check, a first-party-only or verified-email guard -> 403;
* a path parameter (a bound model, a record id) -> 404;
* a query, path, header or body parameter FastAPI validates, or a form request -> 422;
* a JSON body -> 400 (malformed JSON), 413 (too large), 415 (not JSON);
* the ``api`` middleware group's throttle -> 429.

A maintenance-mode or outage 503 can answer any request: every operation references the one
shared ``ServiceUnavailable`` response.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant

from foundry.http.auth import authentication, first_party_user, verified_user
from foundry.http.guards import CHECKS_PERMISSIONS, REQUIRES, STATES_TOKENS, route_requirements

__all__ = ["derived_statuses", "has_json_body"]

_FORBIDDING_GUARDS: frozenset[Callable[..., Any]] = frozenset({first_party_user, verified_user})


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def has_json_body(dependant: Dependant) -> bool:
    """Whether the route (or a dependency of it) reads a JSON body FastAPI knows of."""
    return any(d.body_params for d in _dependants(dependant))


def derived_statuses(dependant: Dependant, group: str | None) -> set[int]:
    """The error statuses ``dependant``'s dependencies (and its middleware ``group``) raise."""
    every = list(_dependants(dependant))
    calls = [d.call for d in every if d.call is not None]
    statuses: set[int] = set()
    requirements = route_requirements(dependant)
    if authentication in calls or requirements.auth:
        statuses.add(401)
    if (
        requirements.requires
        or requirements.auth == "first-party"
        or any(call in _FORBIDDING_GUARDS for call in calls)
        or any(
            getattr(call, marker, False)
            for call in calls
            for marker in (CHECKS_PERMISSIONS, STATES_TOKENS, REQUIRES)
        )
    ):
        statuses.add(403)
    if any(d.path_params for d in every):
        statuses.add(404)
    if any(d.path_params or d.query_params or d.header_params or d.cookie_params for d in every):
        statuses.add(422)
    if has_json_body(dependant):
        statuses.update((400, 413, 415, 422))
    if group == "api":
        statuses.add(429)
    return statuses

"""``Depends(throttle("api"))``: apply a named limiter to a route.

Within the limit the response carries ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` (of the
limit with the fewest attempts left). Past it, the dependency raises ``TooManyRequestsError``,
rendered as a 429 with ``Retry-After``, ``X-RateLimit-Limit``, ``X-RateLimit-Remaining: 0`` and
``X-RateLimit-Reset``. FastAPI drops headers set this way when the endpoint returns a
``Response`` object itself; the headers are also left on ``request.state.rate_limit_headers``
for middleware to copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from foundry.kernel.errors import TooManyRequestsError
from foundry.kernel.facades import facade_root
from foundry.rate_limiting.errors import UnknownLimiterError
from foundry.rate_limiting.facade import RateLimiter
from foundry.rate_limiting.manager import LimitResult, RateLimiterManager

__all__ = [
    "Throttle",
    "apply_limiter",
    "client_ip",
    "throttle",
    "throttled_limiters",
    "verify_limiters",
]

#: ``request.state`` attribute naming the limiters already counted for this request.
_APPLIED = "rate_limiters_applied"


def client_ip(request: Request) -> str:
    """The client's address: the connection's peer, or the client a trusted proxy named
    (``TRUSTED_PROXIES``; ``X-Forwarded-For`` from anyone else is ignored)."""
    return request.client.host if request.client is not None else ""


async def apply_limiter(limiter_name: str, request: Request) -> dict[str, str]:
    """Count ``request`` against limiter ``limiter_name`` once; the rate-limit headers to send.

    A limiter already counted for this request (by the ``api`` group's middleware, say) is not
    counted again: the answer is then empty.

    Raises:
        TooManyRequestsError: a limit is used up (or the limit's own error, if it has one).
    """
    applied: set[str] = getattr(request.state, _APPLIED, set())
    if limiter_name in applied:
        return {}
    setattr(request.state, _APPLIED, applied | {limiter_name})
    manager = facade_root(RateLimiter)
    tightest: LimitResult | None = None
    for limit in await manager.limits_for(limiter_name, request):
        if limit.unlimited:
            continue
        result = await manager.consume(limiter_name, limit)
        if not result.allowed:
            headers = result.headers()
            if limit.response_factory is not None:
                error = limit.response_factory(request, headers)
                error.headers = {**headers, **error.headers}
                raise error
            raise TooManyRequestsError(retry_after=result.retry_after, headers=headers)
        if tightest is None or result.remaining < tightest.remaining:
            tightest = result
    if tightest is None:
        return {}
    headers = tightest.headers()
    request.state.rate_limit_headers = headers
    return headers


class Throttle:
    """The dependency ``throttle(name)`` returns; ``limiter_name`` is the limiter it applies."""

    def __init__(self, limiter_name: str) -> None:
        self.limiter_name = limiter_name

    def __repr__(self) -> str:
        return f"throttle({self.limiter_name!r})"

    async def __call__(self, request: Request, response: Response) -> None:
        response.headers.update(await apply_limiter(self.limiter_name, request))


def throttle(limiter_name: str) -> Throttle:
    """A route dependency applying the limiter defined with ``RateLimiter.for_(limiter_name)``."""
    return Throttle(limiter_name)


def _calls(dependencies: Iterable[object]) -> Iterator[object]:
    for dependant in dependencies:
        yield getattr(dependant, "call", None)
        yield from _calls(getattr(dependant, "dependencies", ()))


def throttled_limiters(routes: Iterable[BaseRoute]) -> set[str]:
    """The limiter names every ``throttle(...)`` among ``routes``' dependencies refers to.

    Covers dependencies declared on the route, on its router, at ``include_router`` and in the
    endpoint's parameters, through routers included into routers.
    """
    # FastAPI 0.165 includes routers lazily; iter_route_contexts is how it walks them itself.
    from fastapi.routing import iter_route_contexts

    names: set[str] = set()
    for context in iter_route_contexts(list(routes)):
        calls = [getattr(d, "dependency", None) for d in getattr(context, "dependencies", ())]
        dependant = getattr(context.original_route, "dependant", None)
        calls.extend(_calls(getattr(dependant, "dependencies", ())))
        names.update(call.limiter_name for call in calls if isinstance(call, Throttle))
    return names


def verify_limiters(routes: Iterable[BaseRoute], manager: RateLimiterManager) -> None:
    """Raise :class:`UnknownLimiterError` at start-up if a route throttles an undefined limiter."""
    missing = sorted(n for n in throttled_limiters(routes) if not manager.has_limiter(n))
    if missing:
        raise UnknownLimiterError(
            f"routes use undefined rate limiters: {', '.join(missing)}; define them with "
            "RateLimiter.for_(name, ...) in a service provider's boot()"
        )

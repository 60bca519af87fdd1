"""``Limit``: how many attempts per window, counted per key (Laravel's ``Limit``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from limits import (
    RateLimitItem,
    RateLimitItemPerDay,
    RateLimitItemPerHour,
    RateLimitItemPerMinute,
    RateLimitItemPerSecond,
)

from foundry.kernel.errors import HttpError

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["Limit", "ResponseFactory"]

#: Builds the error answered when the limit is hit, given the request and the rate-limit headers
#: (``Retry-After``, ``X-RateLimit-*``), which are added to the error's own headers.
ResponseFactory = Callable[["Request", Mapping[str, str]], HttpError]

_MINUTE, _HOUR, _DAY = 60, 3600, 86400


@dataclass(frozen=True, slots=True)
class Limit:
    """``max_attempts`` per ``decay_seconds``, counted separately for each ``key``.

    An empty ``key`` means one counter for everybody; ``.by(ip or user id)`` counts per client.
    Limits are immutable: ``by`` and ``response`` return new ones.
    """

    max_attempts: int
    decay_seconds: int = _MINUTE
    key: str = ""
    response_factory: ResponseFactory | None = None
    unlimited: bool = False

    def __post_init__(self) -> None:
        if not self.unlimited and (self.max_attempts < 1 or self.decay_seconds < 1):
            raise ValueError("a limit needs max_attempts >= 1 and decay_seconds >= 1")

    @classmethod
    def per_second(cls, max_attempts: int, decay_seconds: int = 1) -> Limit:
        """``max_attempts`` per ``decay_seconds`` seconds."""
        return cls(max_attempts, decay_seconds)

    @classmethod
    def per_minute(cls, max_attempts: int, decay_minutes: int = 1) -> Limit:
        """``max_attempts`` per ``decay_minutes`` minutes."""
        return cls(max_attempts, decay_minutes * _MINUTE)

    @classmethod
    def per_minutes(cls, decay_minutes: int, max_attempts: int) -> Limit:
        """``max_attempts`` per ``decay_minutes`` minutes (Laravel's argument order)."""
        return cls(max_attempts, decay_minutes * _MINUTE)

    @classmethod
    def per_hour(cls, max_attempts: int, decay_hours: int = 1) -> Limit:
        """``max_attempts`` per ``decay_hours`` hours."""
        return cls(max_attempts, decay_hours * _HOUR)

    @classmethod
    def per_day(cls, max_attempts: int, decay_days: int = 1) -> Limit:
        """``max_attempts`` per ``decay_days`` days."""
        return cls(max_attempts, decay_days * _DAY)

    @classmethod
    def none(cls) -> Limit:
        """No limit at all (for example for administrators)."""
        return cls(0, 0, unlimited=True)

    def by(self, key: str | int) -> Limit:
        """The same limit counted per ``key`` (a user id, an IP address, an e-mail...)."""
        return replace(self, key=str(key))

    def response(self, factory: ResponseFactory) -> Limit:
        """The same limit answering with ``factory(request, headers)`` when it is hit."""
        return replace(self, response_factory=factory)

    def item(self) -> RateLimitItem:
        """This limit as a ``limits`` item, in the coarsest unit that divides the window."""
        for unit, cls in (
            (_DAY, RateLimitItemPerDay),
            (_HOUR, RateLimitItemPerHour),
            (_MINUTE, RateLimitItemPerMinute),
        ):
            if self.decay_seconds % unit == 0:
                return cls(self.max_attempts, self.decay_seconds // unit, namespace="throttle")
        return RateLimitItemPerSecond(self.max_attempts, self.decay_seconds, namespace="throttle")

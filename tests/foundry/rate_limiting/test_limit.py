"""``Limit``: Laravel's constructors, mapped onto ``limits`` windows."""

from __future__ import annotations

import pytest
from limits import RateLimitItemPerDay, RateLimitItemPerMinute, RateLimitItemPerSecond

from foundry.kernel.errors import ConflictError
from foundry.rate_limiting import Limit


@pytest.mark.parametrize(
    ("limit", "attempts", "seconds"),
    [
        (Limit.per_second(5), 5, 1),
        (Limit.per_second(5, 10), 5, 10),
        (Limit.per_minute(60), 60, 60),
        (Limit.per_minute(60, 5), 60, 300),
        (Limit.per_minutes(5, 60), 60, 300),
        (Limit.per_hour(1000), 1000, 3600),
        (Limit.per_hour(1000, 2), 1000, 7200),
        (Limit.per_day(10_000), 10_000, 86400),
    ],
)
def test_constructors_give_attempts_per_window(limit: Limit, attempts: int, seconds: int) -> None:
    assert (limit.max_attempts, limit.decay_seconds) == (attempts, seconds)
    item = limit.item()
    assert item.amount == attempts
    assert item.get_expiry() == seconds


def test_the_window_uses_the_coarsest_unit() -> None:
    assert isinstance(Limit.per_day(1).item(), RateLimitItemPerDay)
    assert isinstance(Limit.per_minutes(90, 1).item(), RateLimitItemPerMinute)
    assert isinstance(Limit.per_second(1, 90).item(), RateLimitItemPerSecond)


def test_by_and_response_return_new_limits() -> None:
    base = Limit.per_minute(10)
    keyed = base.by("user:1")
    assert base.key == "" and keyed.key == "user:1"
    assert Limit.per_minute(10).by(42).key == "42"
    assert keyed.max_attempts == 10 and keyed.decay_seconds == 60
    answered = keyed.response(lambda request, headers: ConflictError("slow down"))
    assert answered.key == "user:1" and answered.response_factory is not None
    assert keyed.response_factory is None


def test_none_is_unlimited() -> None:
    assert Limit.none().unlimited


@pytest.mark.parametrize("arguments", [(0,), (-1,), (5, 0)])
def test_a_limit_needs_attempts_and_a_window(arguments: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="max_attempts >= 1"):
        Limit.per_second(*arguments)

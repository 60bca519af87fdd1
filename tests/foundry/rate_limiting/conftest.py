"""Fixtures for the rate limiter tests: an app per counter store."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from foundry.rate_limiting import RateLimiterManager
from tests.conftest import MakeApplication

PROVIDERS = json.dumps(["foundry.rate_limiting.provider.RateLimitServiceProvider"])


def redis_env(redis_url: str, redis_prefix: str, **extra: str) -> dict[str, str]:
    """Settings for an app counting on Redis."""
    return {
        "RATE_LIMIT_STORE": "redis",
        "APP_PROVIDERS": PROVIDERS,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        **extra,
    }


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def limiter_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """Settings for an app counting on each store in turn (Redis fixtures only when needed)."""
    if request.param == "redis":
        return redis_env(
            request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix")
        )
    return {"RATE_LIMIT_STORE": "memory", "APP_PROVIDERS": PROVIDERS}


@pytest.fixture
def limiter(make_application: MakeApplication, limiter_env: dict[str, str]) -> RateLimiterManager:
    """The rate limiter of an app counting on each store."""
    return make_application(**limiter_env).container.make(RateLimiterManager)


def make_request(client: str = "203.0.113.7", path: str = "/") -> Request:
    """A bare HTTP request from ``client``, as a limiter callback receives it."""
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": path,
            "headers": [],
            "query_string": b"",
            "client": (client, 50000),
        }
    )

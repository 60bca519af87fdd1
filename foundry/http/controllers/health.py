"""Health endpoints: ``/health`` (the process answers) and ``/health/ready`` (its back ends do).

Readiness pings the database always and Redis only when the app uses it (``REDIS_URL`` set, or a
cache store, rate-limit store or queue connection configured as ``redis``), so the embedded
default (SQLite, no Redis) is ready without a Redis server. Each check has a short timeout and the
checks run concurrently, so a dead back end costs one timeout, not a hung probe.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter
from starlette.responses import JSONResponse

from foundry.config.http import HttpSettings
from foundry.config.redis import RedisSettings
from foundry.database.manager import DatabaseManager
from foundry.http.dependencies import Inject
from foundry.http.exceptions import error_response
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository, settings_classes
from foundry.kernel.redis import RedisConnector

__all__ = ["router", "uses_redis"]

logger = logging.getLogger("foundry.health")
router = APIRouter(tags=["health"])

# Settings (by environment variable) that put a battery on Redis when set to "redis".
_REDIS_SWITCHES = frozenset({"CACHE_STORE", "RATE_LIMIT_STORE", "QUEUE_CONNECTION"})

Probe = Callable[[], Awaitable[object]]


def uses_redis(config: ConfigRepository) -> bool:
    """Whether this app talks to Redis, judged from its settings."""
    if "url" in config.settings(RedisSettings).model_fields_set:
        return True
    for _, cls in settings_classes():
        for name, field in cls.model_fields.items():
            # An alias may be AliasChoices (JWT_ISSUER, then APP_URL): no driver switch.
            alias = field.validation_alias
            if isinstance(alias, str) and alias in _REDIS_SWITCHES:
                if getattr(config.settings(cls), name, None) == "redis":
                    return True
    return False


async def _run(name: str, probe: Probe, timeout: float) -> str:
    try:
        result = await asyncio.wait_for(probe(), timeout)
    except TimeoutError:
        logger.warning("readiness check %s timed out after %ss", name, timeout)
        return "timeout"
    except Exception as exc:
        logger.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
        return "failed"
    if result is False:
        logger.warning("readiness check %s failed: no answer", name)
        return "failed"
    return "ok"


@router.get("/health", summary="Liveness: the process answers")
async def alive() -> dict[str, str]:
    """Always 200 while the process serves requests; touches no back end."""
    return {"status": "ok"}


@router.get(
    "/health/ready",
    summary="Readiness: the database (and Redis, when used) answer",
    responses={503: {"description": "A back end did not answer; `checks` says which"}},
)
async def ready(application: Inject[Application]) -> JSONResponse:
    """200 when every back end answers, else 503 naming the ones that did not."""
    container = application.container
    probes: dict[str, Probe] = {"database": lambda: container.make(DatabaseManager).ping()}
    if uses_redis(application.config):
        probes["redis"] = lambda: container.make(RedisConnector).ping()
    timeout = application.config.settings(HttpSettings).health_check_timeout
    results = await asyncio.gather(*(_run(name, p, timeout) for name, p in probes.items()))
    checks: dict[str, Any] = dict(zip(probes, results, strict=True))
    failed = [name for name, status in checks.items() if status != "ok"]
    if failed:
        return error_response(503, f"Service Unavailable: {', '.join(failed)}", checks=checks)
    return JSONResponse({"status": "ok", "checks": checks})

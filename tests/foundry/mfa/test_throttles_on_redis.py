"""With ``RATE_LIMIT_STORE=redis`` the code throttles and send limits are shared by processes."""

from __future__ import annotations

import pyotp
import pytest

from foundry.kernel.application import Application
from foundry.mfa.totp import TotpService
from foundry.rate_limiting import RateLimiterManager
from foundry.sms import SmsFake
from foundry.testing import TestClient
from tests.conftest import MakeApplication
from tests.foundry.mfa.conftest import T0, FrozenClock
from tests.foundry.mfa.test_sms_service import PHONE
from tests.foundry.testbench.models import User


@pytest.fixture
def redis_env(redis_url: str, redis_prefix: str) -> dict[str, str]:
    return {"RATE_LIMIT_STORE": "redis", "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix}


@pytest.fixture
def application(
    make_application: MakeApplication, database_url: str, redis_env: dict[str, str]
) -> Application:
    """The app on this test's database, counting attempts in Redis."""
    return make_application(DATABASE_URL=database_url, **redis_env)


async def test_wrong_totp_codes_count_in_redis(
    client: TestClient,
    user: User,
    clock: FrozenClock,
    make_application: MakeApplication,
    redis_env: dict[str, str],
) -> None:
    client.acting_as(user)
    secret = (await client.post("/api/v1/auth/mfa/totp")).assert_ok().json()["secret"]
    right = pyotp.TOTP(secret).at(T0)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(TotpService.max_attempts):
        (
            await client.post("/api/v1/auth/mfa/totp/confirm", json={"code": wrong})
        ).assert_unprocessable()

    (
        await client.post("/api/v1/auth/mfa/totp/confirm", json={"code": right})
    ).assert_too_many_requests()
    # Another process on the same Redis sees the same count.
    other = make_application(**redis_env).container.make(RateLimiterManager)
    assert await other.too_many_attempts(f"mfa-totp:{user.id}", TotpService.max_attempts)


async def test_sms_send_limits_count_in_redis(
    client: TestClient,
    user: User,
    sms: SmsFake,
    make_application: MakeApplication,
    redis_env: dict[str, str],
) -> None:
    client.acting_as(user)
    for _ in range(5):
        (await client.post("/api/v1/auth/mfa/sms", json={"phone": PHONE})).assert_ok()
    (await client.post("/api/v1/auth/mfa/sms", json={"phone": PHONE})).assert_too_many_requests()

    other = make_application(**redis_env).container.make(RateLimiterManager)
    assert await other.too_many_attempts(f"mfa-sms-send-phone:{PHONE}", 5)

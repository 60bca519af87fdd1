"""The MFA services without HTTP: recovery codes at rest, the policy's rules, login claims."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.login_claims import ACR_MFA, ACR_PWD, login_claims
from foundry.kernel.application import Application
from foundry.mfa.factors import MfaClient
from foundry.mfa.models.recovery_code import RecoveryCode
from foundry.mfa.policy import MfaPolicyService
from foundry.mfa.recovery_codes import RecoveryCodeFactor, RecoveryCodeService
from tests.foundry.mfa.support import CODES
from tests.foundry.testbench.factories import UserFactory


def test_login_claims_say_how_the_user_proved_who_they_are() -> None:
    assert login_claims(["pwd"], 100) == {"amr": ["pwd"], "acr": ACR_PWD, "auth_time": 100}
    assert login_claims(["pwd", "otp", "otp"], 100) == {
        "amr": ["pwd", "otp"],
        "acr": ACR_MFA,
        "auth_time": 100,
        "mfa_at": 100,
    }


async def test_recovery_codes_are_stored_hashed_and_spent_once(
    application: Application, session: AsyncSession
) -> None:
    user = await UserFactory.new().create(session)
    async with application.container.scope() as scope:
        codes = scope.make(RecoveryCodeService)
        plain = await codes.generate(session, user)
        await session.commit()
        stored = list(await session.scalars(select(RecoveryCode.code_hash)))
        assert len(plain) == 10 and not set(plain) & set(stored)
        assert all(len(code) == 11 and code[5] == "-" for code in plain)

        factor = scope.make(RecoveryCodeFactor)
        client = MfaClient()
        # Typed back with capitals and spaces, it still counts; once.
        spaced = plain[3].upper().replace("-", " ")
        assert await factor.verify(session, user, {"recovery_code": spaced}, client)
        assert not await factor.verify(session, user, {"recovery_code": plain[3]}, client)
        assert not await factor.verify(session, user, {"recovery_code": "nope"}, client)
        assert await codes.remaining(session, user) == 9

        # New codes void the old ones.
        await codes.generate(session, user)
        assert not await factor.verify(session, user, {"recovery_code": plain[0]}, client)


async def test_the_policy_counts_allowed_real_factors_only(
    application: Application, session: AsyncSession
) -> None:
    user = await UserFactory.new().create(session)
    async with application.container.scope() as scope:
        policy = scope.make(MfaPolicyService)
        await scope.make(RecoveryCodeService).generate(session, user)
        # Recovery codes alone are no MFA.
        assert not await policy.has_mfa(session, user)
        assert await policy.methods(session, user) == []

        CODES[user.id] = "1"
        assert await policy.has_mfa(session, user)
        assert await policy.methods(session, user) == ["recovery_code", "test_code"]

        # A factor MFA_METHODS leaves out does not count.
        only_totp = policy.settings.model_copy(update={"methods": ["totp"]})
        policy = MfaPolicyService(policy.registry, only_totp, scope, policy.clock)
        assert not await policy.has_mfa(session, user)
        assert policy.enrollable() == ["totp"]

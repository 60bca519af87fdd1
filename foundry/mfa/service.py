"""``MfaService``: the login, challenge, verify and step-up flows of ``/api/v1/auth``.

Login checks the password (:meth:`AuthService.check_credentials`), then:

* the user has MFA: ``{"status": "mfa_required", "mfa_token", "methods"}``, no access token;
  ``verify`` with the token and a proof answers the token pair (``amr`` ``["pwd", <factor>]``);
* the user must enrol and the grace period is over: ``{"status": "mfa_enrolment_required"}``
  with an access token that only enrolment routes accept (no refresh token);
* otherwise the token pair, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService, TokenClaims
from foundry.auth.login_claims import ENROLMENT_ONLY_CLAIM, login_claims
from foundry.auth.services.auth_service import AuthService, AuthTokens
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.config.mfa import MfaSettings
from foundry.events import EventDispatcher
from foundry.kernel.errors import AuthenticationError, ValidationError
from foundry.mfa.events import MfaFailed, MfaReset, MfaVerified
from foundry.mfa.factors import MfaClient, SecondFactor, UnknownFactorError
from foundry.mfa.login_tokens import LoginChallenge, MfaLoginTokens
from foundry.mfa.policy import MfaPolicyService
from foundry.mfa.recovery_codes import RecoveryCodeFactor, RecoveryCodeService
from foundry.mfa.throttle import MfaThrottle

__all__ = ["InvalidMfaTokenError", "MfaService", "SecondFactorFailedError"]


class InvalidMfaTokenError(AuthenticationError):
    """401: the ``mfa_token`` is unknown, expired or spent: log in again."""

    error = "invalid_mfa_token"
    default_message = "The MFA token is invalid or expired. Please log in again."


class SecondFactorFailedError(AuthenticationError):
    """401: the proof did not verify."""

    error = "invalid_second_factor"
    default_message = "The second factor could not be verified."


class MfaService:
    """The second-factor flows; each public method commits its own unit of work."""

    def __init__(
        self,
        session: AsyncSession,
        auth: AuthService,
        policy: MfaPolicyService,
        tokens: MfaLoginTokens,
        throttle: MfaThrottle,
        events: EventDispatcher,
        jwt: JwtService,
        users: UserProvider,
        codes: RecoveryCodeService,
        settings: MfaSettings,
    ) -> None:
        self.session = session
        self.auth = auth
        self.policy = policy
        self.tokens = tokens
        self.throttle = throttle
        self.events = events
        self.jwt = jwt
        self.users = users
        self.codes = codes
        self.settings = settings

    # -- login -----------------------------------------------------------------------------------

    async def login(self, email: str, password: str, client: MfaClient) -> dict[str, Any]:
        """The answer to ``POST /auth/login`` (see the module's docstring)."""
        user = await self.auth.check_credentials(email, password, client.ip)
        return await self.after_password(user)

    async def after_password(self, user: AuthUser) -> dict[str, Any]:
        """What a user who just gave their password gets (login, and pages that log in)."""
        methods = await self.policy.methods(self.session, user)
        if methods:
            token = await self.tokens.issue(user.id)
            await self.session.commit()
            return {
                "status": "mfa_required",
                "mfa_token": token,
                "expires_in": self.settings.login_token_ttl,
                "methods": methods,
            }
        if await self.policy.enrolment_overdue(self.session, user):
            return await self._enrolment_only(user)
        tokens = await self.auth.complete_login(user, amr=["pwd"])
        body = tokens.to_dict()
        if await self.policy.must_enrol(self.session, user):
            deadline = self.policy.enrolment_deadline(user)
            body["mfa_enrolment_due"] = deadline.isoformat()
        return body

    async def _enrolment_only(self, user: AuthUser) -> dict[str, Any]:
        ttl = min(self.settings.enrolment_token_ttl, self.jwt.settings.access_ttl)
        claims = {**login_claims(["pwd"], int(self.jwt.clock())), ENROLMENT_ONLY_CLAIM: True}
        access = self.jwt.issue(str(user.id), claims=claims, ttl=ttl)
        await self.session.commit()
        return {
            "status": "mfa_enrolment_required",
            "message": "Your role requires a second factor: enrol one, then log in again.",
            "access_token": access.token,
            "token_type": "Bearer",
            "expires_in": access.expires_in,
            "methods": self.policy.enrollable(),
        }

    async def challenge_for_token(
        self, mfa_token: str, method: str, client: MfaClient
    ) -> dict[str, Any]:
        """Start ``method`` for the login ``mfa_token`` names (send an SMS, WebAuthn options)."""
        _, user = await self._challenge(mfa_token)
        return await self.challenge(user, method, client)

    async def challenge(self, user: AuthUser, method: str, client: MfaClient) -> dict[str, Any]:
        """Start ``method`` for ``user``: ``{"method", "challenge": ...}``."""
        factor = await self._enrolled_factor(user, method)
        await self.throttle.check(user)
        answer = await factor.challenge(self.session, user, client)
        await self.session.commit()
        return {"method": factor.name, "challenge": None if answer is None else dict(answer)}

    async def verify(
        self, mfa_token: str, proof: Mapping[str, Any], client: MfaClient
    ) -> dict[str, Any]:
        """Finish a login with a second factor: the token pair (401 for a wrong proof)."""
        user, factor, amr = await self.prove_login(mfa_token, proof, client)
        tokens = await self.auth.complete_login(user, amr=amr)
        return await self._answer(user, factor, tokens)

    async def prove_login(
        self, mfa_token: str, proof: Mapping[str, Any], client: MfaClient
    ) -> tuple[AuthUser, SecondFactor, list[str]]:
        """Check ``proof`` for the login ``mfa_token`` names and spend the token: the user, the
        factor that proved it and the login's ``amr``. Issues nothing (the OAuth2 sign-in page
        starts a browser session instead of issuing tokens).

        Raises:
            InvalidMfaTokenError: the token is unknown, expired or spent (401).
            SecondFactorFailedError: a wrong proof (401); 429 when locked out.
        """
        challenge, user = await self._challenge(mfa_token)
        factor = await self._prove(user, proof, client, challenge)
        if not await self.tokens.spend(challenge):
            raise InvalidMfaTokenError()  # a concurrent request used it first
        return user, factor, [*challenge.amr, factor.amr]

    async def step_up(
        self, user: AuthUser, claims: TokenClaims, proof: Mapping[str, Any], client: MfaClient
    ) -> dict[str, Any]:
        """Prove a factor again during a session: a fresh pair with a new MFA time; the old
        session (its access and refresh tokens) ends."""
        if not await self.policy.has_mfa(self.session, user):
            raise ValidationError({"method": ["You have no second factor to verify."]})
        factor = await self._prove(user, proof, client, None)
        before = claims.get("amr")
        amr = [str(m) for m in before] if isinstance(before, list) else ["pwd"]
        family = claims.get("sid")
        if isinstance(family, str):
            await self.auth.refresh_tokens.revoke_family(family)
            await self.jwt.revoke_sessions([family], self.session)
        tokens = await self.auth.complete_login(user, amr=[*amr, factor.amr])
        return await self._answer(user, factor, tokens)

    async def prove_again(
        self, user: AuthUser, proof: Mapping[str, Any], client: MfaClient
    ) -> SecondFactor:
        """Prove a factor again during a browser session (the HTML pages' step-up): the factor
        that proved it. Issues nothing: the page records the time in its session cookie.

        Raises:
            ValidationError: the user has no second factor, or the proof names none (422).
            SecondFactorFailedError: a wrong proof (401); 429 when locked out.
        """
        if not await self.policy.has_mfa(self.session, user):
            raise ValidationError({"method": ["You have no second factor to verify."]})
        factor = await self._prove(user, proof, client, None)
        # A recovery code is spent in this session's transaction: keep it spent.
        await self.session.commit()
        return factor

    # -- status and recovery codes ---------------------------------------------------------------

    async def status(self, user: AuthUser) -> dict[str, Any]:
        """``GET /auth/mfa``: the user's methods and whether MFA is required of them."""
        enrolled = [f.name for f in await self.policy.enrolled(self.session, user)]
        required = await self.policy.must_enrol(self.session, user)
        has_mfa = await self.policy.has_mfa(self.session, user)
        return {
            "enabled": has_mfa,
            "methods": enrolled if has_mfa else [],
            "available": self.policy.enrollable(),
            "required": required,
            "enrolment_due": (
                self.policy.enrolment_deadline(user).isoformat()
                if required and not has_mfa
                else None
            ),
            "recovery_codes_remaining": await self.codes.remaining(self.session, user),
        }

    async def regenerate_recovery_codes(self, user: AuthUser) -> list[str]:
        """New recovery codes for a user with MFA (the old ones stop working); shown once."""
        if not await self.policy.has_mfa(self.session, user):
            raise ValidationError({"method": ["Enrol a second factor before recovery codes."]})
        codes = await self.codes.generate(self.session, user)
        await self.session.commit()
        return codes

    async def reset(self, user: AuthUser, reason: str | None = None) -> list[str]:
        """Remove every factor of ``user`` (support staff: ``artisan mfa:reset``), audited as
        :class:`MfaReset`; answers the methods that were enrolled. Every factor is asked, the
        ones ``MFA_METHODS`` no longer allows too."""
        removed: list[str] = []
        for cls in self.policy.registry.all():
            factor = self.policy.container.make(cls)
            if await factor.is_enrolled(self.session, user):
                removed.append(factor.name)
            await factor.reset(self.session, user)
        await self.events.dispatch(MfaReset(user, reason))
        await self.session.commit()
        return removed

    # -- internals -------------------------------------------------------------------------------

    async def _challenge(self, mfa_token: str) -> tuple[LoginChallenge, AuthUser]:
        challenge = await self.tokens.find(mfa_token)
        if challenge is None:
            raise InvalidMfaTokenError()
        user = await self.users.find(self.session, challenge.user_id)
        if user is None:
            raise InvalidMfaTokenError()
        return challenge, user

    async def _enrolled_factor(self, user: AuthUser, method: str) -> SecondFactor:
        try:
            factor = self.policy.factor(method)
        except UnknownFactorError:
            raise ValidationError({"method": ["The selected method is invalid."]}) from None
        if not await factor.is_enrolled(self.session, user):
            raise ValidationError({"method": ["This method is not set up for your account."]})
        return factor

    async def _candidates(self, user: AuthUser, proof: Mapping[str, Any]) -> list[SecondFactor]:
        method = proof.get("method")
        if isinstance(method, str) and method:
            return [await self._enrolled_factor(user, method)]
        if proof.get("recovery_code") is not None:
            return [await self._enrolled_factor(user, RecoveryCodeFactor.name)]
        enrolled = [
            f for f in await self.policy.enrolled(self.session, user) if not f.fallback_only
        ]
        if proof.get("credential") is not None:
            return [f for f in enrolled if not f.accepts_code]
        if proof.get("code") is not None:
            return [f for f in enrolled if f.accepts_code]
        raise ValidationError(
            {"code": ["Give a code, a recovery code or a credential (with its method)."]}
        )

    async def _prove(
        self,
        user: AuthUser,
        proof: Mapping[str, Any],
        client: MfaClient,
        challenge: LoginChallenge | None,
    ) -> SecondFactor:
        await self.throttle.check(user)
        candidates = await self._candidates(user, proof)
        for factor in candidates:
            if await factor.verify(self.session, user, proof, client):
                await self.throttle.succeeded(user)
                await self.events.dispatch(MfaVerified(user, factor.name, client))
                return factor
        method = candidates[0].name if len(candidates) == 1 else str(proof.get("method") or "code")
        await self.events.dispatch(MfaFailed(user, method, client))
        spent = await self.throttle.failed(
            user, client, None if challenge is None else challenge.key
        )
        if spent and challenge is not None:
            await self.tokens.spend(challenge)
        await self.session.commit()
        if spent and challenge is not None:
            raise InvalidMfaTokenError("Too many wrong answers. Please log in again.")
        raise SecondFactorFailedError()

    async def _answer(
        self, user: AuthUser, factor: SecondFactor, tokens: AuthTokens
    ) -> dict[str, Any]:
        body = tokens.to_dict()
        if factor.name == RecoveryCodeFactor.name:
            remaining = await self.codes.remaining(self.session, user)
            body["recovery_codes_remaining"] = remaining
            body["warning"] = (
                f"You signed in with a recovery code; {remaining} remain. Set up your second "
                "factor again or make new recovery codes."
            )
        return body

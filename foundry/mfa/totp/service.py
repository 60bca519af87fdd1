"""``TotpService``: enrol an authenticator app, confirm it, check its codes, remove it.

Secrets are encrypted with the app key (bound to the user's id, so a secret copied onto another
user's row does not decrypt). A code is accepted once: the credential row keeps the last time
step accepted, and a compare-and-set ``UPDATE`` accepts only a later one, so two processes
racing with one code (or a code of an earlier step still inside the window) cannot both win.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.passwords import PasswordHasher
from foundry.auth.user import AuthUser
from foundry.config.app import AppSettings
from foundry.database import utcnow
from foundry.events import EventDispatcher
from foundry.kernel.encryption import DecryptError, Encrypter
from foundry.kernel.errors import ConflictError, NotFoundError, ValidationError
from foundry.mfa.attempts import AttemptThrottle, changed_rows, enrolment_race, updated_one
from foundry.mfa.events import MfaDisabled, MfaEnrolled
from foundry.mfa.factors import MfaClient
from foundry.mfa.in_session import InSession
from foundry.mfa.models.totp_credential import TotpCredential
from foundry.mfa.totp.codes import TotpCodes
from foundry.rate_limiting import RateLimiterManager

__all__ = ["INVALID_CODE", "METHOD", "TotpEnrolment", "TotpService"]

#: The factor's name in events and answers.
METHOD = "totp"
#: What a person is told for a wrong, expired or replayed code (one message: no oracle).
INVALID_CODE = "The code is invalid or has already been used."


@dataclass(frozen=True)
class TotpEnrolment:
    """What an authenticator app needs: the ``otpauth://`` URI, its QR code, the secret."""

    uri: str
    secret: str
    qr_code: str

    def to_dict(self) -> dict[str, str]:
        """The API's answer."""
        return {"otpauth_uri": self.uri, "secret": self.secret, "qr_code": self.qr_code}


class TotpService(InSession):
    """The TOTP use cases; each method that changes something commits its own unit of work."""

    #: Wrong codes (or passwords, on removal) a user may send per window before 429.
    max_attempts = 5
    #: The window's length in seconds.
    decay_seconds = 60

    def __init__(
        self,
        session: AsyncSession,
        encrypter: Encrypter,
        app: AppSettings,
        events: EventDispatcher,
        limiter: RateLimiterManager,
        hasher: PasswordHasher,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session = session
        self.encrypter = encrypter
        self.app = app
        self.events = events
        self.hasher = hasher
        self.clock = clock
        self.throttle = AttemptThrottle(limiter, "mfa-totp", self.max_attempts, self.decay_seconds)

    # -- reading --------------------------------------------------------------------------------

    async def credential(self, user: AuthUser) -> TotpCredential | None:
        """The user's TOTP row, confirmed or not."""
        found: TotpCredential | None = await self.session.scalar(
            select(TotpCredential).where(TotpCredential.user_id == user.id)
        )
        return found

    async def is_enabled(self, user: AuthUser) -> bool:
        """Whether the user confirmed an authenticator app."""
        found = await self.session.scalar(
            select(TotpCredential.id).where(
                TotpCredential.user_id == user.id, TotpCredential.confirmed_at.is_not(None)
            )
        )
        return found is not None

    async def enrolled_count(self) -> int:
        """How many users confirmed an authenticator app (``artisan mfa:stats``)."""
        counted = await self.session.scalar(
            select(func.count())
            .select_from(TotpCredential)
            .where(TotpCredential.confirmed_at.is_not(None))
        )
        return int(counted or 0)

    # -- enrolment ------------------------------------------------------------------------------

    async def enrol(self, user: AuthUser) -> TotpEnrolment:
        """Start (or restart) enrolment with a new secret; nothing counts until :meth:`confirm`.

        Raises:
            ConflictError: TOTP is already enabled (remove it first to change apps).
        """
        row = await self.credential(user)
        if row is not None and row.confirmed_at is not None:
            raise ConflictError(
                "An authenticator app is already enabled: remove it first to set up another.",
                error="mfa_already_enabled",
            )
        codes = TotpCodes(TotpCodes.new_secret())
        sealed = self.encrypter.encrypt_string(codes.secret, context=_context(user))
        if row is None:
            self.session.add(TotpCredential(user_id=user.id, secret=sealed))
        else:
            row.secret, row.last_used_step = sealed, None
        try:
            await self.session.commit()
        except IntegrityError:  # a concurrent enrolment inserted the user's row first
            await self.session.rollback()
            raise enrolment_race() from None
        uri = codes.uri(user.email, self.app.name)
        return TotpEnrolment(uri=uri, secret=codes.secret, qr_code=TotpCodes.qr_code(uri))

    async def confirm(self, user: AuthUser, code: str, client: MfaClient) -> None:
        """Enable TOTP with a first code from the app.

        Raises:
            NotFoundError: no enrolment was started.
            ConflictError: TOTP is already enabled.
            ValidationError: a wrong, expired or replayed code (``code``).
            TooManyRequestsError: too many wrong codes.
        """
        row = await self.credential(user)
        if row is None:
            raise NotFoundError(
                "Start by enrolling an authenticator app.", error="mfa_not_enrolled"
            )
        if row.confirmed_at is not None:
            raise ConflictError(
                "The authenticator app is already enabled.", error="mfa_already_enabled"
            )
        await self.throttle.check(user)
        if not await self._spend(user, row, code):
            await self.throttle.failed(user)
            raise ValidationError({"code": [INVALID_CODE]})
        await self.throttle.succeeded(user)
        row.confirmed_at = utcnow()
        await self.events.dispatch(MfaEnrolled(user, METHOD, client))
        await self.session.commit()

    async def disable(
        self,
        user: AuthUser,
        client: MfaClient,
        *,
        code: str | None = None,
        password: str | None = None,
    ) -> None:
        """Remove the authenticator app, proved by a fresh ``code`` from it or the ``password``.

        An enrolment never confirmed is removed the same way (and no event is dispatched).

        Raises:
            NotFoundError: the user has no TOTP row.
            ValidationError: neither proof given, or the one given is wrong.
            TooManyRequestsError: too many wrong proofs.
        """
        if (code is None) == (password is None):
            raise ValidationError({"code": ["Send either a current code or your password."]})
        row = await self.credential(user)
        if row is None:
            raise NotFoundError("No authenticator app is enabled.", error="mfa_not_enrolled")
        await self.throttle.check(user)
        if code is not None:
            proved, field = await self._spend(user, row, code), "code"
        else:
            proved, field = await self.hasher.verify(user.password, password or ""), "password"
        if not proved:
            await self.throttle.failed(user)
            wrong = INVALID_CODE if field == "code" else "The password is incorrect."
            raise ValidationError({field: [wrong]})
        await self.throttle.succeeded(user)
        confirmed = row.confirmed_at is not None
        await self.session.delete(row)
        if confirmed:
            await self.events.dispatch(MfaDisabled(user, METHOD, client))
        await self.session.commit()

    # -- second factor --------------------------------------------------------------------------

    async def verify(self, user: AuthUser, code: object) -> bool:
        """Whether ``code`` is a current, unused code of the user's enabled app; spends it."""
        row = await self.credential(user)
        if row is None or row.confirmed_at is None:
            return False
        accepted = await self._spend(user, row, code)
        await self.session.commit()
        return accepted

    async def reset(self, user: AuthUser) -> bool:
        """Remove the user's TOTP row, confirmed or not (support staff: ``mfa:reset``).

        Left to the caller to commit, with whatever else the reset removes; answers whether
        there was one.
        """
        statement = delete(TotpCredential).where(TotpCredential.user_id == user.id)
        return await changed_rows(self.session, statement) > 0

    # -- internals ------------------------------------------------------------------------------

    async def _spend(self, user: AuthUser, row: TotpCredential, code: object) -> bool:
        step = TotpCodes(self._secret(user, row)).matching_step(code, self.clock())
        if step is None:
            return False
        # Compare-and-set on the last accepted step: a code is good once, and no code of an
        # earlier step (still inside the window) is good after it.
        return await updated_one(
            self.session,
            update(TotpCredential)
            .where(
                TotpCredential.id == row.id,
                or_(TotpCredential.last_used_step.is_(None), TotpCredential.last_used_step < step),
            )
            .values(last_used_step=step),
        )

    def _secret(self, user: AuthUser, row: TotpCredential) -> str:
        try:
            return self.encrypter.decrypt_string(row.secret, context=_context(user))
        except DecryptError:
            # Made before APP_KEY was rotated: the keys in APP_PREVIOUS_KEYS still open it.
            for previous in self._previous_keys():
                try:
                    return previous.decrypt_string(row.secret, context=_context(user))
                except DecryptError:
                    continue
            raise

    def _previous_keys(self) -> list[Encrypter]:
        listed = self.app.previous_keys.split(",")
        return [Encrypter.from_app_key(key.strip()) for key in listed if key.strip()]


def _context(user: AuthUser) -> str:
    return f"mfa_totp:{user.id}"

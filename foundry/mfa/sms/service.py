"""``SmsService``: a phone as a second factor, proved by six-digit codes sent to it by SMS.

Codes are kept as HMACs keyed by the app key, live five minutes, are good once, and die after
a few wrong guesses. Sending is rate limited per user and per phone number, so the endpoint can
be used neither to flood someone's phone nor to run up the SMS bill.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.passwords import PasswordHasher
from foundry.auth.user import AuthUser
from foundry.config.app import AppSettings
from foundry.database import utcnow
from foundry.events import EventDispatcher
from foundry.kernel.encryption import Encrypter
from foundry.kernel.errors import (
    ConflictError,
    NotFoundError,
    TooManyRequestsError,
    ValidationError,
)
from foundry.mfa.attempts import AttemptThrottle, changed_rows, enrolment_race
from foundry.mfa.events import MfaDisabled, MfaEnrolled
from foundry.mfa.factors import MfaClient
from foundry.mfa.in_session import InSession
from foundry.mfa.models.sms_credential import SmsCredential
from foundry.mfa.sms.codes import SmsCodes
from foundry.mfa.sms.errors import SmsNotSentError
from foundry.mfa.sms.notification import PhoneRoute, SmsCodeNotification
from foundry.notifications.channels.sms import SmsChannel
from foundry.rate_limiting import RateLimiterManager
from foundry.sms import E164_MESSAGE, ArrayDriver, LogDriver, SmsError, is_e164, mask_phone

__all__ = ["ENROL", "INVALID_CODE", "METHOD", "VERIFY", "SentCode", "SmsService"]

logger = logging.getLogger("foundry.mfa")

#: The factor's name in events and answers.
METHOD: Final = "sms"
#: Purposes of a code: confirming a new phone, or proving the user at login and step-up.
ENROL: Final = "enrol"
VERIFY: Final = "verify"
#: What a person is told for a wrong, expired or spent code (one message: no oracle).
INVALID_CODE: Final = "The code is invalid or has expired."


@dataclass(frozen=True)
class SentCode:
    """Where a code went (masked) and for how many seconds it is good."""

    phone: str
    expires_in: int

    def to_dict(self) -> dict[str, Any]:
        """The API's answer."""
        return {"sent_to": self.phone, "expires_in": self.expires_in}


class SmsService(InSession):
    """The SMS factor's use cases; each method that changes something commits its own work."""

    #: How long a code is good.
    code_ttl = timedelta(minutes=5)
    #: Wrong guesses a code survives.
    max_code_attempts = 5
    #: Codes sent per user, and per phone number, in :attr:`send_window_seconds`.
    sends_per_user = 5
    sends_per_phone = 5
    send_window_seconds = 15 * 60
    #: Wrong codes (or passwords, on removal) a user may send per window before 429.
    max_attempts = 5
    decay_seconds = 60

    def __init__(
        self,
        session: AsyncSession,
        encrypter: Encrypter,
        app: AppSettings,
        events: EventDispatcher,
        limiter: RateLimiterManager,
        hasher: PasswordHasher,
        channel: SmsChannel,
    ) -> None:
        self.session = session
        self.encrypter = encrypter
        self.app = app
        self.events = events
        self.limiter = limiter
        self.hasher = hasher
        self.channel = channel
        self.throttle = AttemptThrottle(limiter, "mfa-sms", self.max_attempts, self.decay_seconds)

    # -- reading --------------------------------------------------------------------------------

    async def credential(self, user: AuthUser) -> SmsCredential | None:
        """The user's phone row, confirmed or not."""
        found: SmsCredential | None = await self.session.scalar(
            select(SmsCredential).where(SmsCredential.user_id == user.id)
        )
        return found

    async def is_enabled(self, user: AuthUser) -> bool:
        """Whether the user confirmed a phone."""
        row = await self.credential(user)
        return row is not None and row.confirmed_at is not None

    async def enrolled_count(self) -> int:
        """How many users confirmed a phone (``artisan mfa:stats``)."""
        counted = await self.session.scalar(
            select(func.count())
            .select_from(SmsCredential)
            .where(SmsCredential.confirmed_at.is_not(None))
        )
        return int(counted or 0)

    # -- enrolment ------------------------------------------------------------------------------

    async def enrol(self, user: AuthUser, phone: str) -> SentCode:
        """Start (or restart) enrolment of ``phone`` and text it a code.

        Raises:
            ValidationError: ``phone`` is not an E.164 number.
            ConflictError: a phone is already enabled (remove it first to change numbers).
            TooManyRequestsError: too many codes sent to the user or to that number.
            SmsNotSentError: the SMS provider failed.
        """
        if not is_e164(phone):
            raise ValidationError({"phone": [E164_MESSAGE]})
        row = await self.credential(user)
        if row is not None and row.confirmed_at is not None:
            raise ConflictError(
                "A phone is already enabled: remove it first to use another number.",
                error="mfa_already_enabled",
            )
        await self._check_send_limits(user, phone)
        if row is None:
            self.session.add(SmsCredential(user_id=user.id, phone=phone))
        else:
            row.phone = phone
        return await self._send(user, phone, ENROL)

    async def confirm(self, user: AuthUser, code: str, client: MfaClient) -> None:
        """Enable the phone with the code sent to it.

        Raises:
            NotFoundError: no enrolment was started.
            ConflictError: the phone is already enabled.
            ValidationError: a wrong, expired or spent code (``code``).
            TooManyRequestsError: too many wrong codes.
        """
        row = await self.credential(user)
        if row is None:
            raise NotFoundError("Start by enrolling a phone number.", error="mfa_not_enrolled")
        if row.confirmed_at is not None:
            raise ConflictError("The phone is already enabled.", error="mfa_already_enabled")
        await self.throttle.check(user)
        if not await self._spend(user, ENROL, row.phone, code):
            await self.session.commit()  # the wrong guess counts against the code
            await self.throttle.failed(user)
            raise ValidationError({"code": [INVALID_CODE]})
        await self.throttle.succeeded(user)
        row.confirmed_at = utcnow()
        await self.events.dispatch(MfaEnrolled(user, METHOD, client, label=mask_phone(row.phone)))
        await self.session.commit()

    async def disable(self, user: AuthUser, client: MfaClient, *, password: str) -> None:
        """Remove the phone (and any code sent to it), proved by the user's ``password``.

        Raises:
            NotFoundError: the user has no phone row.
            ValidationError: a wrong password.
            TooManyRequestsError: too many wrong passwords.
        """
        row = await self.credential(user)
        if row is None:
            raise NotFoundError("No phone is enabled.", error="mfa_not_enrolled")
        await self.throttle.check(user)
        if not await self.hasher.verify(user.password, password):
            await self.throttle.failed(user)
            raise ValidationError({"password": ["The password is incorrect."]})
        await self.throttle.succeeded(user)
        confirmed, label = row.confirmed_at is not None, mask_phone(row.phone)
        await self._remove(user)
        if confirmed:
            await self.events.dispatch(MfaDisabled(user, METHOD, client, label=label))
        await self.session.commit()

    # -- second factor --------------------------------------------------------------------------

    async def challenge(self, user: AuthUser) -> SentCode | None:
        """Text a sign-in code to the user's enabled phone (``None``: they have none).

        Raises:
            TooManyRequestsError: too many codes sent to the user or to that number.
            SmsNotSentError: the SMS provider failed.
        """
        row = await self.credential(user)
        if row is None or row.confirmed_at is None:
            return None
        await self._check_send_limits(user, row.phone)
        return await self._send(user, row.phone, VERIFY)

    async def verify(self, user: AuthUser, code: object) -> bool:
        """Whether ``code`` is the live sign-in code sent to the user's enabled phone; spends it."""
        row = await self.credential(user)
        if row is None or row.confirmed_at is None:
            return False
        accepted = await self._spend(user, VERIFY, row.phone, code)
        await self.session.commit()
        return accepted

    async def reset(self, user: AuthUser) -> bool:
        """Remove the user's phone and codes (support's ``mfa:reset``); the caller commits.

        Answers whether there was a phone.
        """
        return await self._remove(user)

    # -- internals ------------------------------------------------------------------------------

    async def _remove(self, user: AuthUser) -> bool:
        await self._codes().forget(user)
        removed = await changed_rows(
            self.session, delete(SmsCredential).where(SmsCredential.user_id == user.id)
        )
        return removed > 0

    async def _check_send_limits(self, user: AuthUser, phone: str) -> None:
        keys = (
            (f"mfa-sms-send:{user.id}", self.sends_per_user),
            (f"mfa-sms-send-phone:{phone}", self.sends_per_phone),
        )
        for key, allowed in keys:
            if await self.limiter.too_many_attempts(key, allowed):
                retry_after = max(1, await self.limiter.available_in(key))
                raise TooManyRequestsError(
                    f"Too many codes sent. Please try again in {retry_after} seconds.",
                    retry_after=retry_after,
                )
        for key, _ in keys:
            await self.limiter.hit(key, self.send_window_seconds)

    async def _send(self, user: AuthUser, phone: str, purpose: str) -> SentCode:
        driver = self.channel.sms.driver(self.channel.driver)
        if self.app.env == "production" and isinstance(driver, (LogDriver, ArrayDriver)):
            # It would write the code to the log (or keep it in memory) and text no one.
            logger.error(
                "SMS code for user %s not sent: SMS_DRIVER=%s delivers nothing; set "
                "SMS_DRIVER=twilio in production",
                user.id,
                driver.name,
            )
            raise SmsNotSentError()
        try:
            code = await self._codes().issue(user, phone, purpose)
            # Stored before it is sent: a code someone receives can always be checked.
            await self.session.commit()
        except IntegrityError:  # a concurrent enrolment inserted the user's phone row first
            await self.session.rollback()
            raise enrolment_race() from None
        minutes = int(self.code_ttl.total_seconds() // 60)
        try:
            await self.channel.deliver(
                PhoneRoute(phone), SmsCodeNotification(code, self.app.name, minutes)
            )
        except SmsError as exc:
            logger.warning("SMS code for user %s not sent: %s", user.id, exc)
            raise SmsNotSentError() from None
        return SentCode(mask_phone(phone), int(self.code_ttl.total_seconds()))

    async def _spend(self, user: AuthUser, purpose: str, phone: str, code: object) -> bool:
        return await self._codes().spend(user, purpose, phone, code)

    def _codes(self) -> SmsCodes:
        return SmsCodes(
            self.session, self.encrypter, ttl=self.code_ttl, max_attempts=self.max_code_attempts
        )

"""Throttling of code guesses at enrolment, confirmation and removal of a factor.

Wrong codes (and wrong passwords when removing one) count against the user, per factor, in the
rate limiter's store (``RATE_LIMIT_STORE``: Redis shares the count between processes). A right
one clears the count.
"""

from __future__ import annotations

from sqlalchemy import Delete, Update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.kernel.errors import ConflictError, TooManyRequestsError
from foundry.rate_limiting import RateLimiterManager

__all__ = ["AttemptThrottle", "changed_rows", "enrolment_race", "updated_one"]


class AttemptThrottle:
    """``check`` before judging a guess, then ``failed`` or ``succeeded``.

    Args:
        limiter: the application's rate limiter.
        kind: keeps each factor's counters apart (``"mfa-totp"``).
        max_attempts: wrong guesses allowed per window before 429.
        decay_seconds: the window's length.
    """

    def __init__(
        self, limiter: RateLimiterManager, kind: str, max_attempts: int, decay_seconds: int
    ) -> None:
        self.limiter = limiter
        self.kind = kind
        self.max_attempts = max_attempts
        self.decay_seconds = decay_seconds

    def _key(self, user: AuthUser) -> str:
        return f"{self.kind}:{user.id}"

    async def check(self, user: AuthUser) -> None:
        """Raise :class:`TooManyRequestsError` (429, ``Retry-After``) once the count is full."""
        key = self._key(user)
        if await self.limiter.too_many_attempts(key, self.max_attempts):
            retry_after = max(1, await self.limiter.available_in(key))
            raise TooManyRequestsError(
                f"Too many attempts. Please try again in {retry_after} seconds.",
                retry_after=retry_after,
            )

    async def failed(self, user: AuthUser) -> None:
        """Count one wrong guess."""
        await self.limiter.hit(self._key(user), self.decay_seconds)

    async def succeeded(self, user: AuthUser) -> None:
        """Forget the wrong guesses."""
        await self.limiter.clear(self._key(user))


async def updated_one(session: AsyncSession, statement: Update) -> bool:
    """Run a compare-and-set ``UPDATE`` and answer whether it changed a row.

    The ``WHERE`` clause is the condition: of two processes racing to spend the same code, the
    database lets exactly one match (PostgreSQL re-checks it after the row lock; SQLite has one
    writer at a time).
    """
    return await changed_rows(session, statement) == 1


async def changed_rows(session: AsyncSession, statement: Update | Delete) -> int:
    """Run an ``UPDATE`` or ``DELETE`` (the session's loaded objects left as they are) and
    answer how many rows it changed."""
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]  # DML gives a CursorResult
        statement.execution_options(synchronize_session=False)
    )
    return result.rowcount


def enrolment_race() -> ConflictError:
    """409 for the loser of two enrolments of one user racing to insert their one row."""
    return ConflictError(
        "Another enrolment was started at the same time: please try again.",
        error="mfa_enrolment_conflict",
    )

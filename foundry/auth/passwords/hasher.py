"""The password hasher: argon2id for new hashes, bcrypt for imported ones, off the event loop.

    hasher = container.make(PasswordHasher)
    stored = await hasher.hash(password)
    result = await hasher.check(user.password if user else None, password)
    if result.valid and result.new_hash:       # an imported bcrypt hash, or old parameters
        user.password = result.new_hash

argon2id costs tens of milliseconds of CPU by design. Run on the event loop, one login would
stall every other request for that long, so every hash and verify runs in a small
:class:`~concurrent.futures.ThreadPoolExecutor` of ``PASSWORD_HASH_THREADS`` workers (argon2-cffi
and bcrypt release the GIL while hashing). A burst of logins queues behind those workers instead of
taking every core and starving the loop.
"""

from __future__ import annotations

import secrets
from asyncio import get_running_loop
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Final, TypeVar

import argon2
import bcrypt
from argon2.exceptions import InvalidHashError, VerificationError

from foundry.config.auth import AuthSettings

__all__ = ["BCRYPT_PREFIXES", "PasswordCheck", "PasswordHasher"]

T = TypeVar("T")

#: The prefixes of bcrypt hashes (PHP writes ``$2y$``; the algorithm is the same).
BCRYPT_PREFIXES: Final = ("$2a$", "$2b$", "$2y$")
# bcrypt only ever looked at the first 72 bytes; PHP and most importers truncated silently.
_BCRYPT_MAX_BYTES: Final = 72


def _encode(password: str) -> bytes:
    # JSON may carry lone surrogates ("\ud800"); encode them instead of raising (a 500).
    return password.encode("utf-8", "surrogatepass")


def _is_bcrypt(hashed: str) -> bool:
    return hashed.startswith(BCRYPT_PREFIXES)


@dataclass(frozen=True, slots=True)
class PasswordCheck:
    """The answer of :meth:`PasswordHasher.check`.

    Attributes:
        valid: whether the password matches the stored hash.
        new_hash: a fresh argon2id hash to store when the stored one is outdated (bcrypt, or older
            argon2 parameters) and the password was valid; else ``None``.
    """

    valid: bool
    new_hash: str | None = None

    def __repr__(self) -> str:
        # Hashes are secrets too: keep them out of logs and tracebacks.
        return f"PasswordCheck(valid={self.valid}, rehashed={self.new_hash is not None})"


class PasswordHasher:
    """Hashes with argon2id, verifies argon2 and bcrypt hashes, in a bounded thread pool.

    The parameters come from :class:`foundry.config.auth.AuthSettings`; their defaults follow the OWASP
    Password Storage Cheat Sheet for argon2id (m=19456 KiB, t=2, p=1). Register it as a singleton
    (:class:`foundry.auth.passwords.provider.PasswordServiceProvider` does) and call :meth:`close` at
    shutdown.
    """

    def __init__(self, settings: AuthSettings) -> None:
        self.threads = settings.password_hash_threads
        self._argon2 = argon2.PasswordHasher(
            time_cost=settings.password_argon2_time_cost,
            memory_cost=settings.password_argon2_memory_cost,
            parallelism=settings.password_argon2_parallelism,
            type=argon2.Type.ID,
        )
        self._executor = ThreadPoolExecutor(
            max_workers=self.threads, thread_name_prefix="password-hash"
        )
        self._dummy_hash: str | None = None

    def __repr__(self) -> str:
        params = self._argon2
        return (
            f"PasswordHasher(argon2id m={params.memory_cost} t={params.time_cost} "
            f"p={params.parallelism}, threads={self.threads})"
        )

    async def _run(self, fn: Callable[[], T]) -> T:
        return await get_running_loop().run_in_executor(self._executor, fn)

    async def hash(self, password: str) -> str:
        """A new argon2id hash of ``password`` (PHC string, salt included)."""
        secret = _encode(password)
        return await self._run(lambda: self._argon2.hash(secret))

    async def verify(self, hashed: str, password: str) -> bool:
        """Whether ``password`` matches ``hashed`` (argon2 or bcrypt).

        A wrong password, an empty or malformed hash, or a hash of an unknown scheme answers
        ``False``; this never raises for bad input.
        """
        secret = _encode(password)
        return await self._run(lambda: self._verify_sync(hashed, secret))

    def _verify_sync(self, hashed: str, secret: bytes) -> bool:
        if _is_bcrypt(hashed):
            try:
                return bcrypt.checkpw(secret[:_BCRYPT_MAX_BYTES], hashed.encode("ascii"))
            except ValueError:  # malformed (or non-ASCII) hash, unsupported cost
                return False
        if not hashed.startswith("$argon2"):
            return False
        try:
            return self._argon2.verify(hashed, secret)
        except (VerificationError, InvalidHashError):  # mismatch, or a hash it cannot parse
            return False

    def needs_rehash(self, hashed: str) -> bool:
        """Whether ``hashed`` should be replaced by a fresh hash at the next successful login.

        True for bcrypt hashes, argon2 hashes of another variant or with other parameters than
        the configured ones, and anything unparseable; False for a current argon2id hash.
        """
        if not hashed.startswith("$argon2"):
            return True
        try:
            return self._argon2.check_needs_rehash(hashed)
        except (InvalidHashError, ValueError):
            return True

    async def dummy_verify(self, password: str) -> bool:
        """Spend a real argon2id verify on a fixed dummy hash, and answer ``False``.

        Call it when there is no user to check against (an unknown email), so that answer takes
        as long as a wrong password for a real user: timing must not tell which emails exist.
        """
        if self._dummy_hash is None:
            # Hashed once with the current parameters, so the dummy costs what a real verify does.
            self._dummy_hash = await self.hash(secrets.token_urlsafe(32))
        await self.verify(self._dummy_hash, password)
        return False

    async def verify_or_dummy(self, hashed: str | None, password: str) -> bool:
        """:meth:`verify` against ``hashed``, or :meth:`dummy_verify` when there is none."""
        if hashed is None:
            return await self.dummy_verify(password)
        return await self.verify(hashed, password)

    async def check(self, hashed: str | None, password: str) -> PasswordCheck:
        """Verify (or dummy-verify when ``hashed`` is None) and rehash an outdated valid hash.

        This is what a login needs: a bcrypt hash from an import, or an argon2 hash made with
        older parameters, is upgraded the first time its owner logs in.
        """
        if hashed is None:
            await self.dummy_verify(password)
            return PasswordCheck(valid=False)
        if not await self.verify(hashed, password):
            return PasswordCheck(valid=False)
        if self.needs_rehash(hashed):
            return PasswordCheck(valid=True, new_hash=await self.hash(password))
        return PasswordCheck(valid=True)

    def close(self) -> None:
        """Stop the worker threads; hashes already running finish, queued ones are cancelled."""
        self._executor.shutdown(wait=False, cancel_futures=True)

"""The causer: who the current request, job or command acts for, filled in by itself.

A context variable holds it. The HTTP guard sets it to the authenticated user, the queue worker
to the user who dispatched the job (carried in the signed payload, see :class:`CauserCarrier`),
and artisan to the user of ``--as`` (or ``ACTIVITY_CAUSER``). Every entry written while it is
set names it, unless the entry names another with ``caused_by``; no app service passes it on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity.subjects import ModelRef, morph_of
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider

__all__ = [
    "CauserCarrier",
    "acting_as",
    "current_causer",
    "find_console_causer",
    "reset_causer",
    "set_causer",
]

_causer: ContextVar[object | None] = ContextVar("foundry_activity_causer", default=None)


def current_causer() -> object | None:
    """The causer of the running request, job or command (a model or a :class:`ModelRef`)."""
    return _causer.get()


def set_causer(causer: object | None) -> Token[object | None]:
    """Make ``causer`` the current one; :func:`reset_causer` with the token undoes it."""
    return _causer.set(causer)


def reset_causer(token: Token[object | None]) -> None:
    """Go back to the causer before :func:`set_causer` returned ``token``."""
    _causer.reset(token)


@contextmanager
def acting_as(causer: object | None) -> Iterator[None]:
    """``with acting_as(admin):`` entries written inside name ``admin`` (``None``: nobody)."""
    token = _causer.set(causer)
    try:
        yield
    finally:
        _causer.reset(token)


class CauserCarrier:
    """Carries the dispatching scope's causer in a job's payload (its ``causer`` key).

    The payload is signed with the rest, so a worker trusts the causer as it trusts the job.
    The worker restores it as a :class:`ModelRef`: naming the causer needs no query.
    """

    name = "causer"

    def capture(self) -> dict[str, str] | None:
        """``{"type": ..., "id": ...}`` of the current causer, or ``None``."""
        causer = _causer.get()
        if causer is None:
            return None
        try:
            kind, key = morph_of(causer)
        except (TypeError, ValueError):
            return None  # an unsaved user: nothing a worker could name
        return {"type": kind, "id": key}

    @contextmanager
    def activate(self, value: Any) -> Iterator[None]:
        """The job runs with the carried causer (none when the payload has none)."""
        causer = None
        if isinstance(value, dict) and isinstance(value.get("type"), str):
            causer = ModelRef(value["type"], str(value.get("id")))
        with acting_as(causer):
            yield


async def find_console_causer(
    session: AsyncSession, users: UserProvider, identifier: str
) -> AuthUser:
    """The user ``--as`` names: an id, or an email address.

    Raises:
        LookupError: no such user.
    """
    identifier = identifier.strip()
    user: AuthUser | None
    if identifier.isascii() and identifier.isdigit():
        user = await users.find(session, int(identifier))
    else:
        user = await users.find_by_email(session, identifier)
    if user is None:
        raise LookupError(f"--as {identifier!r}: no such user")
    return user

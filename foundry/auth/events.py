"""Authentication events (Laravel's ``Illuminate\\Auth\\Events``), dispatched by the auth service.

They carry the user (or, for a failed login, only the email tried): never a password or a token.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.auth.user import AuthUser

__all__ = [
    "Login",
    "LoginFailed",
    "Logout",
    "PasswordChanged",
    "PasswordReset",
    "Registered",
    "Verified",
]


@dataclass(frozen=True)
class Registered:
    """A user signed up."""

    user: AuthUser


@dataclass(frozen=True)
class Login:
    """A user logged in (after any second factor)."""

    user: AuthUser


@dataclass(frozen=True)
class LoginFailed:
    """Credentials were refused; ``email`` as typed, for audit logs and lockouts."""

    email: str
    ip: str | None = None


@dataclass(frozen=True)
class Logout:
    """A user logged out (``everywhere`` for logout-all)."""

    user: AuthUser
    everywhere: bool = False


@dataclass(frozen=True)
class PasswordChanged:
    """A signed-in user changed their password (knowing the current one)."""

    user: AuthUser


@dataclass(frozen=True)
class PasswordReset:
    """A user's password was reset through the emailed link."""

    user: AuthUser


@dataclass(frozen=True)
class Verified:
    """A user confirmed their email address."""

    user: AuthUser

"""Authentication: guards, password hashing, JWT keys and tokens."""

from foundry.auth.passwords import (
    PasswordCheck,
    PasswordHasher,
    PasswordRules,
    StrongPassword,
    check_password_strength,
)

__all__ = [
    "PasswordCheck",
    "PasswordHasher",
    "PasswordRules",
    "StrongPassword",
    "check_password_strength",
]

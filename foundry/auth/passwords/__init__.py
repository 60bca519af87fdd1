"""Passwords: the argon2id hasher (bcrypt hashes still verify), strength rules and their rule.

hasher = container.make(PasswordHasher)
stored = await hasher.hash("correct horse battery staple")
result = await hasher.check(stored, attempt)       # verify, dummy verify, rehash
problems = check_password_strength(new_password, email=user.email, name=user.name)
rules = {"password": [v.confirmed(), StrongPassword()]}
"""

from foundry.auth.passwords.common import is_common_password
from foundry.auth.passwords.hasher import BCRYPT_PREFIXES, PasswordCheck, PasswordHasher
from foundry.auth.passwords.provider import PasswordServiceProvider
from foundry.auth.passwords.rule import StrongPassword, strong_password
from foundry.auth.passwords.strength import PasswordRules, check_password_strength

__all__ = [
    "BCRYPT_PREFIXES",
    "PasswordCheck",
    "PasswordHasher",
    "PasswordRules",
    "PasswordServiceProvider",
    "StrongPassword",
    "check_password_strength",
    "is_common_password",
    "strong_password",
]

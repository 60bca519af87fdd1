"""Password strength: the configured minimum length, character classes, not a common password,
and not your own email.

    rules = PasswordRules.from_settings(settings(AuthSettings))
    problems = rules.check(password, email="ada@example.com", name="Ada")
    # ["The password field must be at least 12 characters."]

The messages are Laravel's (``Illuminate\\Validation\\Rules\\Password``). Character classes follow
Laravel's Unicode categories, so "É" counts as uppercase and "٣" as a number.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

from foundry.auth.passwords.common import COMMON_PASSWORD, is_common_password
from foundry.config.auth import AuthSettings
from foundry.kernel.config import settings
from foundry.validation.messages import fill

__all__ = [
    "COMMON_PASSWORD",
    "DIFFERENT_FROM_EMAIL",
    "DIFFERENT_FROM_NAME",
    "MIN_LENGTH",
    "MIXED_CASE",
    "NUMBERS",
    "PasswordRules",
    "SYMBOLS",
    "check_password_strength",
]

MIN_LENGTH: Final = "The :attribute field must be at least :min characters."
MIXED_CASE: Final = (
    "The :attribute field must contain at least one uppercase and one lowercase letter."
)
NUMBERS: Final = "The :attribute field must contain at least one number."
SYMBOLS: Final = "The :attribute field must contain at least one symbol."
DIFFERENT_FROM_EMAIL: Final = "The :attribute field and email must be different."
DIFFERENT_FROM_NAME: Final = "The :attribute field and name must be different."


def _categories(password: str) -> set[str]:
    return {unicodedata.category(char) for char in password}


def _same(password: str, other: str | None) -> bool:
    return bool(other) and password.casefold() == (other or "").strip().casefold()


@dataclass(frozen=True, slots=True)
class PasswordRules:
    """What a new password must satisfy.

    Attributes:
        min_length: the fewest characters (code points).
        mixed_case: require an uppercase and a lowercase letter.
        numbers: require a digit (any Unicode number).
        symbols: require a symbol, punctuation mark or space separator.
        reject_common: refuse common passwords and their patterns
            (:func:`foundry.auth.passwords.common.is_common_password`).
    """

    min_length: int = 12
    mixed_case: bool = False
    numbers: bool = False
    symbols: bool = False
    reject_common: bool = True

    @classmethod
    def from_settings(cls, config: AuthSettings) -> PasswordRules:
        """The rules ``PASSWORD_MIN_LENGTH``, ``PASSWORD_REQUIRE_*`` and
        ``PASSWORD_REJECT_COMMON`` configure."""
        return cls(
            min_length=config.password_min_length,
            mixed_case=config.password_require_mixed_case,
            numbers=config.password_require_numbers,
            symbols=config.password_require_symbols,
            reject_common=config.password_reject_common,
        )

    @classmethod
    def current(cls) -> PasswordRules:
        """The rules of the running application's configuration."""
        return cls.from_settings(settings(AuthSettings))

    def templates(
        self, password: str, *, email: str | None = None, name: str | None = None
    ) -> list[str]:
        """The unmet requirements as message templates (``:attribute`` and ``:min`` unfilled)."""
        found: list[str] = []
        if len(password) < self.min_length:
            found.append(MIN_LENGTH)
        categories = _categories(password)
        if self.mixed_case and not ({"Lu", "Lt"} & categories and "Ll" in categories):
            found.append(MIXED_CASE)
        if self.numbers and not any(category[0] == "N" for category in categories):
            found.append(NUMBERS)
        if self.symbols and not any(category[0] in "SPZ" for category in categories):
            found.append(SYMBOLS)
        local_part = email.rpartition("@")[0] if email and "@" in email else None
        if _same(password, email) or _same(password, local_part):
            found.append(DIFFERENT_FROM_EMAIL)
        if _same(password, name):
            found.append(DIFFERENT_FROM_NAME)
        # Checked last and alone, as Laravel's ``uncompromised()``: a password that is too short
        # is told so first, rather than two things at once.
        if not found and self.reject_common and is_common_password(password):
            found.append(COMMON_PASSWORD)
        return found

    def check(
        self,
        password: str,
        *,
        email: str | None = None,
        name: str | None = None,
        attribute: str = "password",
    ) -> list[str]:
        """The unmet requirements as messages; an empty list means the password is strong enough.

        The password itself never appears in a message.
        """
        values = {"attribute": attribute, "min": str(self.min_length)}
        return [
            fill(template, values) for template in self.templates(password, email=email, name=name)
        ]


def check_password_strength(
    password: str,
    *,
    email: str | None = None,
    name: str | None = None,
    rules: PasswordRules | None = None,
) -> list[str]:
    """:meth:`PasswordRules.check` with the configured rules (or ``rules``)."""
    return (rules or PasswordRules.current()).check(password, email=email, name=name)

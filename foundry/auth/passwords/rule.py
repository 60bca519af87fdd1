"""``StrongPassword``: the password strength policy as a validation rule for form requests.

    rules = {"password": [v.confirmed(), StrongPassword()]}

It reads the email and name of the same input (``email`` and ``name`` unless told otherwise), so a
password equal to either is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from foundry.auth.passwords.strength import PasswordRules
from foundry.validation.rule import Rule, lookup

__all__ = ["StrongPassword", "strong_password"]

_IDENTITY = "The :attribute field must be different from your email and name."
_NOT_STRING = "The :attribute field must be a string."


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


class StrongPassword(Rule):
    """Fails unless the value is a string meeting :class:`PasswordRules`.

    The message is the first unmet requirement in Laravel's wording (``"The password field must be
    at least 12 characters."``); use :func:`foundry.auth.passwords.check_password_strength` to list
    every one.

    Args:
        rules: the policy; by default the configured one, read when the rule runs.
        email_field: the input field holding the user's email (``None``: do not compare).
        name_field: the input field holding the user's name (``None``: do not compare).
    """

    key = "password"
    template = "The :attribute field is not strong enough."

    def __init__(
        self,
        rules: PasswordRules | None = None,
        *,
        email_field: str | None = "email",
        name_field: str | None = "name",
    ) -> None:
        self.rules = rules
        self.email_field = email_field
        self.name_field = name_field

    def __repr__(self) -> str:
        return f"StrongPassword({self.rules!r})"

    def _rules(self) -> PasswordRules:
        return self.rules or PasswordRules.current()

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        if not isinstance(value, str):
            return False
        email = _text(lookup(data, self.email_field)) if self.email_field else None
        name = _text(lookup(data, self.name_field)) if self.name_field else None
        return not self._rules().templates(value, email=email, name=name)

    def default(self, value: object) -> str:
        if not isinstance(value, str):
            return _NOT_STRING
        found = self._rules().templates(value)
        # Nothing wrong on its own: it failed for matching the email or the name.
        return found[0] if found else _IDENTITY

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        return {"min": str(self._rules().min_length)}


def strong_password(
    rules: PasswordRules | None = None,
    *,
    email_field: str | None = "email",
    name_field: str | None = "name",
) -> StrongPassword:
    """A :class:`StrongPassword` rule (the lower-case spelling the other rules use)."""
    return StrongPassword(rules, email_field=email_field, name_field=name_field)

"""Rules decided from the input alone, each with Laravel's default English message.

    rules = {
        "password": [confirmed(), min_length(12)],
        "role": [in_(["admin", "editor"])],
        "slug": [regex(r"^[a-z0-9-]+$")],
        "company": [required_if("type", "business")],
    }

Values are compared as JSON gives them: ``in_([1, 2])`` does not accept ``true`` or ``"1"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

from foundry.validation.files import FileInput
from foundry.validation.rule import MISSING, Rule, is_empty, lookup

__all__ = [
    "Confirmed",
    "Email",
    "In",
    "Max",
    "MaxLength",
    "Min",
    "MinLength",
    "NotIn",
    "Regex",
    "RequiredIf",
    "confirmed",
    "display",
    "email",
    "in_",
    "max",
    "max_length",
    "min",
    "min_length",
    "not_in",
    "regex",
    "required_if",
    "holds_one_of",
    "same_value",
]

# Deliberately permissive (as browsers' type=email): one @, no spaces, a dotted domain.
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_EMAIL_MAX_LENGTH: Final = 254


def holds_one_of(data: Mapping[str, object], field: str, values: Iterable[object]) -> bool:
    """Whether the input's ``field`` is present and equal to one of ``values``."""
    current = lookup(data, field)
    return current is not MISSING and any(same_value(current, v) for v in values)


def same_value(left: object, right: object) -> bool:
    """Equality as JSON sees it: ``true`` is not ``1``."""
    # ``True == 1`` in Python; in JSON they are different values.
    return isinstance(left, bool) == isinstance(right, bool) and left == right


def _number(value: object) -> int | float | Decimal | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return None


def display(value: object) -> str:
    """A value as it appears in a message (JSON spelling for booleans and null)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


class Confirmed(Rule):
    """``password`` must equal ``password_confirmation`` (declare that field on the model)."""

    key = "confirmed"
    template = "The :attribute field confirmation does not match."

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return same_value(lookup(data, f"{attribute}_confirmation"), value)


class In(Rule):
    """The value (or every item of a list) is one of ``values``."""

    key = "in"
    template = "The selected :attribute is invalid."
    _negate = False

    def __init__(self, values: Iterable[object]) -> None:
        self.values = tuple(values)

    def _allowed(self, item: object) -> bool:
        found = any(same_value(item, allowed) for allowed in self.values)
        return found != self._negate

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        if isinstance(value, list):
            return all(self._allowed(item) for item in value)
        return self._allowed(value)

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        return {"values": ", ".join(display(value) for value in self.values)}


class NotIn(In):
    """The value (or any item of a list) is none of ``values``."""

    key = "not_in"
    _negate = True


class Regex(Rule):
    """The value is a string in which ``pattern`` is found (``re.search``, as PHP's preg_match)."""

    key = "regex"
    template = "The :attribute field format is invalid."

    def __init__(self, pattern: str | re.Pattern[str]) -> None:
        self.pattern = re.compile(pattern) if isinstance(pattern, str) else pattern

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return isinstance(value, str) and self.pattern.search(value) is not None


class Email(Rule):
    """A plausible email address: one ``@``, no spaces, a dotted domain, at most 254 chars."""

    key = "email"
    template = "The :attribute field must be a valid email address."

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return (
            isinstance(value, str)
            and len(value) <= _EMAIL_MAX_LENGTH
            and _EMAIL.fullmatch(value) is not None
        )


class _Bound(Rule):
    """A lower (``min``) or upper (``max``) bound; subclasses say what is measured."""

    lower: bool
    limit_name: str

    def __init__(self, limit: int | float | Decimal) -> None:
        self.limit = limit

    def within(self, measured: int | float | Decimal) -> bool:
        """Whether ``measured`` is on the allowed side of the bound (inclusive)."""
        return measured >= self.limit if self.lower else measured <= self.limit

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        return {self.limit_name: str(self.limit)}


class _Length(_Bound):
    """Strings count characters; lists and objects count items."""

    items_template: str

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        if isinstance(value, str | list | tuple | Mapping):
            return self.within(len(value))
        return False

    def default(self, value: object) -> str:
        return self.items_template if isinstance(value, list | tuple | Mapping) else self.template


class MinLength(_Length):
    """At least ``limit`` characters (or items)."""

    key = "min_length"
    lower = True
    limit_name = "min"
    template = "The :attribute field must be at least :min characters."
    items_template = "The :attribute field must have at least :min items."


class MaxLength(_Length):
    """At most ``limit`` characters (or items)."""

    key = "max_length"
    lower = False
    limit_name = "max"
    template = "The :attribute field must not be greater than :max characters."
    items_template = "The :attribute field must not have more than :max items."


class _Value(_Bound):
    """A number compared with the bound, or an uploaded file's size in kilobytes (as Laravel's
    ``max:2048`` on a file); anything else fails."""

    file_template: str

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        if isinstance(value, FileInput):
            return self.within(value.size / 1024)
        number = _number(value)
        return number is not None and self.within(number)

    def default(self, value: object) -> str:
        return self.file_template if isinstance(value, FileInput) else self.template


class Min(_Value):
    """A number of at least ``limit``."""

    key = "min"
    lower = True
    limit_name = "min"
    template = "The :attribute field must be at least :min."
    file_template = "The :attribute field must be at least :min kilobytes."


class Max(_Value):
    """A number of at most ``limit``."""

    key = "max"
    lower = False
    limit_name = "max"
    template = "The :attribute field must not be greater than :max."
    file_template = "The :attribute field must not be greater than :max kilobytes."


class RequiredIf(Rule):
    """The field must be filled when the field ``other`` holds one of ``values``."""

    key = "required_if"
    template = "The :attribute field is required when :other is :value."
    implicit = True

    def __init__(self, other: str, values: Sequence[object]) -> None:
        self.other = other
        self.values = tuple(values)

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return not holds_one_of(data, self.other, self.values) or not is_empty(value)

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        current = lookup(data, self.other)
        shown = current if current is not MISSING else (self.values or (None,))[0]
        return {"other": self.other, "value": display(shown)}


def confirmed() -> Confirmed:
    """``field`` must equal ``field_confirmation``."""
    return Confirmed()


def in_(values: Iterable[object]) -> In:
    """The value is one of ``values``: "The selected :attribute is invalid."."""
    return In(values)


def not_in(values: Iterable[object]) -> NotIn:
    """The value is none of ``values``."""
    return NotIn(values)


def regex(pattern: str | re.Pattern[str]) -> Regex:
    """The value is a string matching ``pattern`` anywhere (anchor it with ``^...$``)."""
    return Regex(pattern)


def email() -> Email:
    """The value looks like an email address."""
    return Email()


def min_length(limit: int) -> MinLength:
    """A string of at least ``limit`` characters, or a list/object of at least ``limit`` items."""
    return MinLength(limit)


def max_length(limit: int) -> MaxLength:
    """A string of at most ``limit`` characters, or a list/object of at most ``limit`` items."""
    return MaxLength(limit)


def min(limit: int | float | Decimal) -> Min:  # noqa: A001 - Laravel's rule name
    """A number of at least ``limit``, or a file of at least ``limit`` kilobytes."""
    return Min(limit)


def max(limit: int | float | Decimal) -> Max:  # noqa: A001 - Laravel's rule name
    """A number of at most ``limit``, or a file of at most ``limit`` kilobytes.

    On a form request's file field, the limit is also enforced while the upload streams in: a
    larger file is refused before the rest of it is read.
    """
    return Max(limit)


def required_if(other: str, *values: object) -> RequiredIf:
    """Required when the field ``other`` equals one of ``values``."""
    return RequiredIf(other, values)

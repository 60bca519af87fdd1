"""Rules that look at other fields: ``same``, ``different``, ``required_with``, ``required_unless``.

    "email_confirmation": [same("email")],
    "new_password": [different("current_password")],
    "postcode": [required_with("street", "city")],
    "vat_number": [required_unless("country", "US")],

``confirmed`` and ``required_if`` live in :mod:`foundry.validation.rules`; these complete the set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from foundry.validation.rule import Rule, is_empty, lookup
from foundry.validation.rules import display, holds_one_of, same_value

__all__ = [
    "Different",
    "RequiredUnless",
    "RequiredWith",
    "Same",
    "different",
    "required_unless",
    "required_with",
    "same",
]


class Same(Rule):
    """The value equals the field ``other``."""

    key = "same"
    template = "The :attribute field must match :other."

    def __init__(self, other: str) -> None:
        self.other = other

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return same_value(lookup(data, self.other), value)

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        return {"other": self.other}


class Different(Same):
    """The value differs from the field ``other`` (an absent ``other`` counts as different)."""

    key = "different"
    template = "The :attribute field and :other must be different."

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return not super().passes(attribute, value, data)


class RequiredWith(Rule):
    """The field must be filled when any of the fields ``others`` is filled."""

    key = "required_with"
    template = "The :attribute field is required when :values is present."
    implicit = True

    def __init__(self, others: Sequence[str]) -> None:
        self.others = tuple(others)

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        triggered = any(not is_empty(lookup(data, other)) for other in self.others)
        return not triggered or not is_empty(value)

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        return {"values": " / ".join(other.replace("_", " ") for other in self.others)}


class RequiredUnless(Rule):
    """The field must be filled unless the field ``other`` holds one of ``values``."""

    key = "required_unless"
    template = "The :attribute field is required unless :other is in :values."
    implicit = True

    def __init__(self, other: str, values: Sequence[object]) -> None:
        self.other = other
        self.values = tuple(values)

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return holds_one_of(data, self.other, self.values) or not is_empty(value)

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        return {"other": self.other, "values": ", ".join(display(v) for v in self.values)}


def same(other: str) -> Same:
    """The value equals the field ``other``."""
    return Same(other)


def different(other: str) -> Different:
    """The value differs from the field ``other``."""
    return Different(other)


def required_with(*others: str) -> RequiredWith:
    """Required when any of ``others`` is filled."""
    return RequiredWith(others)


def required_unless(other: str, *values: object) -> RequiredUnless:
    """Required unless the field ``other`` equals one of ``values``."""
    return RequiredUnless(other, values)

"""Laravel's presence rules for :class:`~foundry.validation.Validator` rule lists.

    rules = {
        "title": [v.sometimes(), v.max_length(255)],   # checked only when sent
        "body": [v.filled()],                         # may be left out, never sent empty
        "terms": [v.required()],                      # sent and not empty
        "tags": [v.present()],                        # sent, even if empty
        "is_admin": [v.prohibited()],                 # left out, or empty
    }

"Empty" is Laravel's: null, a blank string, an empty list or object. Form requests spell the
same rules as field types (:mod:`foundry.validation.fields`): ``title: Sometimes[str]``.
"""

from __future__ import annotations

from collections.abc import Mapping

from foundry.validation.rule import MISSING, Rule, is_empty

__all__ = [
    "FilledRule",
    "PresentRule",
    "ProhibitedRule",
    "RequiredRule",
    "SometimesRule",
    "filled",
    "present",
    "prohibited",
    "required",
    "sometimes",
]

REQUIRED_MESSAGE = "The :attribute field is required."
FILLED_MESSAGE = "The :attribute field must have a value."
PRESENT_MESSAGE = "The :attribute field must be present."
PROHIBITED_MESSAGE = "The :attribute field is prohibited."


class RequiredRule(Rule):
    """The field is in the input and not empty."""

    key = "required"
    template = REQUIRED_MESSAGE
    implicit = True

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return not is_empty(value)


class FilledRule(Rule):
    """When the field is in the input, it is not empty."""

    key = "filled"
    template = FILLED_MESSAGE
    implicit = True

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return value is MISSING or not is_empty(value)


class PresentRule(Rule):
    """The field is in the input (null and empty values count as present)."""

    key = "present"
    template = PRESENT_MESSAGE
    implicit = True

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return value is not MISSING


class ProhibitedRule(Rule):
    """The field is left out or empty."""

    key = "prohibited"
    template = PROHIBITED_MESSAGE
    implicit = True

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return is_empty(value)


class SometimesRule(Rule):
    """The field's other rules run only when the field is in the input.

    The validator skips a field holding this rule when the input leaves it out; implicit rules
    such as ``required_with`` would otherwise still run on the absent field.
    """

    key = "sometimes"
    template = ""

    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        return True


def required() -> RequiredRule:
    """The field is in the input and not empty (not null, blank, ``[]`` or ``{}``)."""
    return RequiredRule()


def filled() -> FilledRule:
    """The field may be left out, but when sent it is not empty."""
    return FilledRule()


def present() -> PresentRule:
    """The field is in the input, whatever its value (null included)."""
    return PresentRule()


def prohibited() -> ProhibitedRule:
    """The field is left out, or sent empty."""
    return ProhibitedRule()


def sometimes() -> SometimesRule:
    """Check the field's other rules only when the input has the field."""
    return SometimesRule()

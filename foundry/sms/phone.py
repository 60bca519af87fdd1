"""Phone numbers in E.164 form, the only form the SMS battery sends to."""

from __future__ import annotations

import re
from typing import Final

from foundry.sms.errors import InvalidPhoneNumberError

__all__ = ["E164_MESSAGE", "check_e164", "is_e164", "mask_phone"]

# "+", a country code that does not start with 0, and at most 15 digits in all. Seven digits is
# shorter than any real subscriber number: it refuses typos such as "+1" or "+44".
_E164: Final = re.compile(r"\+[1-9][0-9]{6,14}")

#: What a person is told when a number is refused.
E164_MESSAGE: Final = (
    "The phone number must be in international E.164 format, such as +14155550123."
)


def is_e164(value: object) -> bool:
    """Whether ``value`` is a string holding one E.164 number and nothing else."""
    return isinstance(value, str) and _E164.fullmatch(value) is not None


def check_e164(value: object) -> str:
    """``value`` if it is an E.164 number.

    Raises:
        InvalidPhoneNumberError: anything else (spaces, dashes and national forms included: a
            number is never guessed at).
    """
    if not is_e164(value):
        raise InvalidPhoneNumberError(f"{value!r} is not an E.164 phone number")
    assert isinstance(value, str)
    return value


def mask_phone(phone: str) -> str:
    """The number with all but its first two and last two digits hidden (``+4*********89``), to
    show a person which phone a code went to without showing the whole number."""
    if len(phone) <= 5:
        return phone
    return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]
